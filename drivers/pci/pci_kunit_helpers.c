// SPDX-License-Identifier: GPL-2.0
/*
 * PCI helpers for KUnit tests: see <kunit/pci.h>.
 */

#include <kunit/pci.h>
#include <kunit/resource.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/semaphore.h>

/*
 * QEMU's "-device bochs-display" and "-device secondary-vga": 1234:1111
 * with the "other display" class, BAR 0 their VRAM (16 MiB by default).
 * QEMU's standard VGA has the same ID but the VGA class.
 */
#define PCI_IOMEM_KUNIT_BAR	0

static const struct pci_device_id pci_iomem_kunit_ids[] = {
	{ PCI_DEVICE(0x1234, 0x1111),
	  .class = PCI_CLASS_DISPLAY_OTHER << 8, .class_mask = 0xffff00 },
	{ }
};

/*
 * One test holds the device at a time; a second one (another suite's
 * module, say) waits for it.  A semaphore, not a mutex: the test takes it
 * and a KUnit action, which may run in another thread, gives it back.
 */
static DEFINE_SEMAPHORE(pci_iomem_kunit_sem, 1);
/*
 * While the semaphore is held: the device the driver bound, or NULL, and
 * the error of the last probe that failed, if any.
 */
static struct pci_dev *pci_iomem_kunit_pdev;
static int pci_iomem_kunit_probe_err;

static int pci_iomem_kunit_probe(struct pci_dev *pdev,
				 const struct pci_device_id *id)
{
	int err = -ENODEV;

	if (pci_iomem_kunit_pdev)
		return -ENODEV;		/* one is enough */
	if (pci_resource_flags(pdev, PCI_IOMEM_KUNIT_BAR) & IORESOURCE_MEM)
		err = pci_enable_device_mem(pdev);
	if (!err) {
		err = pci_request_region(pdev, PCI_IOMEM_KUNIT_BAR, "pci-iomem-kunit");
		if (err)
			pci_disable_device(pdev);
	}
	if (err) {
		pci_iomem_kunit_probe_err = err;
		return err;
	}
	pci_iomem_kunit_pdev = pdev;
	return 0;
}

static void pci_iomem_kunit_remove(struct pci_dev *pdev)
{
	pci_release_region(pdev, PCI_IOMEM_KUNIT_BAR);
	pci_disable_device(pdev);
	pci_iomem_kunit_pdev = NULL;
}

/*
 * Registered only while a test holds the device: no MODULE_DEVICE_TABLE,
 * so that loading the helper never binds a device, and no bind/unbind
 * through sysfs, which could pull the device from under a test.
 */
static struct pci_driver pci_iomem_kunit_driver = {
	.name = "pci-iomem-kunit",
	.id_table = pci_iomem_kunit_ids,
	.probe = pci_iomem_kunit_probe,
	.remove = pci_iomem_kunit_remove,
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
	.driver.suppress_bind_attrs = true,
};

static void pci_iomem_kunit_release(void *data)
{
	pci_unregister_driver(&pci_iomem_kunit_driver);
	up(&pci_iomem_kunit_sem);
}

static void pci_iomem_kunit_unmap(void *data)
{
	struct pci_iomem_kunit *mem = data;

	iounmap(mem->ref);
}

static void pci_iomem_kunit_fini(void *data)
{
	struct pci_iomem_kunit *mem = data;

	io_mapping_fini(&mem->iomap);
}

/**
 * pci_iomem_get_kunit() - hand a test a window of a PCI memory BAR
 * @test: the test, which holds the window until it ends
 * @size: bytes wanted, rounded up to whole pages
 *
 * Binds a free QEMU bochs-display (see <kunit/pci.h>) to a driver of the
 * helper's own, enables its memory decoding, claims BAR 0 and maps the
 * first @size bytes twice: a write-combined io_mapping for the code under
 * test and an ioremap_wc() as a reference.  The window is cleared.  While
 * the test runs no other test and no other driver can have the device;
 * everything is released when the test ends.  Call it once per test: a
 * second call waits for the first window, and fails after a minute.
 *
 * The test is skipped, with the reason, when there is no free device or
 * its BAR 0 is too small, and fails when a device was found but could not
 * be enabled or claimed.
 *
 * Return: the window; never NULL (the test does not return on failure).
 */
struct pci_iomem_kunit *pci_iomem_get_kunit(struct kunit *test,
					    unsigned long size)
{
	struct pci_iomem_kunit *mem;
	struct pci_dev *pdev;
	int err;

	size = PAGE_ALIGN(size);
	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);

	err = down_timeout(&pci_iomem_kunit_sem, 60 * HZ);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "PCI iomem held by another test for a minute");
	pci_iomem_kunit_probe_err = 0;
	err = pci_register_driver(&pci_iomem_kunit_driver);
	if (err)
		up(&pci_iomem_kunit_sem);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "pci_register_driver: %d", err);
	err = kunit_add_action_or_reset(test, pci_iomem_kunit_release, NULL);
	KUNIT_ASSERT_EQ(test, err, 0);

	pdev = pci_iomem_kunit_pdev;
	if (!pdev) {
		KUNIT_ASSERT_EQ_MSG(test, pci_iomem_kunit_probe_err, 0,
				    "a PCI display 1234:1111 was found but not usable (BAR 0 not memory, or enabling or claiming it failed)");
		kunit_skip(test,
			   "no free PCI display 1234:1111 (QEMU: -device bochs-display, no driver bound)");
	}
	if (pci_resource_len(pdev, PCI_IOMEM_KUNIT_BAR) < size)
		kunit_skip(test, "%s: BAR %d is smaller than %lu bytes",
			   pci_name(pdev), PCI_IOMEM_KUNIT_BAR, size);

	mem->pdev = pdev;
	mem->bar = PCI_IOMEM_KUNIT_BAR;
	mem->base = pci_resource_start(pdev, mem->bar);
	mem->size = size;

	mem->ref = ioremap_wc(mem->base, size);
	KUNIT_ASSERT_NOT_NULL_MSG(test, (void __force *)mem->ref,
				  "%s: ioremap_wc(%pa, %lu) failed",
				  pci_name(pdev), &mem->base, size);
	err = kunit_add_action_or_reset(test, pci_iomem_kunit_unmap, mem);
	KUNIT_ASSERT_EQ(test, err, 0);
	memset_io(mem->ref, 0, size);
	wmb();	/* the clearing is done before @iomap is used */

	KUNIT_ASSERT_NOT_NULL_MSG(test, io_mapping_init_wc(&mem->iomap, mem->base, size),
				  "%s: io_mapping_init_wc(%pa, %lu) failed",
				  pci_name(pdev), &mem->base, size);
	err = kunit_add_action_or_reset(test, pci_iomem_kunit_fini, mem);
	KUNIT_ASSERT_EQ(test, err, 0);

	return mem;
}
EXPORT_SYMBOL_GPL(pci_iomem_get_kunit);

MODULE_DESCRIPTION("PCI helpers for KUnit tests");
MODULE_LICENSE("GPL");
