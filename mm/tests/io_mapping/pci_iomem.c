// SPDX-License-Identifier: GPL-2.0
/*
 * A window of a PCI memory BAR for KUnit tests of I/O mappings: see
 * <kunit/pci_iomem.h>.
 */

#include <kunit/pci_iomem.h>
#include <kunit/resource.h>
#include <kunit/visibility.h>
#include <linux/pci.h>

/* QEMU's "-device bochs-display": BAR 0 is its VRAM (16 MiB by default). */
#define PCI_IOMEM_VENDOR	0x1234
#define PCI_IOMEM_DEVICE	0x1111
#define PCI_IOMEM_BAR		0

static void pci_iomem_put_dev(void *pdev)
{
	pci_dev_put(pdev);
}

static void pci_iomem_disable(void *pdev)
{
	pci_disable_device(pdev);
}

static void pci_iomem_release_region(void *data)
{
	struct kunit_pci_iomem *mem = data;

	pci_release_region(mem->pdev, mem->bar);
}

static void pci_iomem_fini(void *data)
{
	struct kunit_pci_iomem *mem = data;

	io_mapping_fini(&mem->iomap);
}

/**
 * kunit_pci_iomem_get() - hand a test an io_mapping over a PCI memory BAR
 * @test: the test, which holds the window until it ends
 * @size: bytes wanted, rounded up to whole pages
 *
 * Finds the device the test runner adds under QEMU, enables its memory
 * decoding, claims its BAR and sets up a write-combined io_mapping over
 * the first @size bytes.  Everything is released when @test ends.  The
 * test is skipped, with the reason, when there is no such device or its
 * BAR is too small or in use by a driver.
 *
 * Return: the window; never NULL (the test does not return on failure).
 */
struct kunit_pci_iomem *kunit_pci_iomem_get(struct kunit *test,
					    unsigned long size)
{
	struct kunit_pci_iomem *mem;
	struct pci_dev *pdev;
	int err;

	size = PAGE_ALIGN(size);
	pdev = pci_get_device(PCI_IOMEM_VENDOR, PCI_IOMEM_DEVICE, NULL);
	if (!pdev)
		kunit_skip(test, "no PCI device %04x:%04x (QEMU: -device bochs-display)",
			   PCI_IOMEM_VENDOR, PCI_IOMEM_DEVICE);
	err = kunit_add_action_or_reset(test, pci_iomem_put_dev, pdev);
	KUNIT_ASSERT_EQ(test, err, 0);

	if (!(pci_resource_flags(pdev, PCI_IOMEM_BAR) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, PCI_IOMEM_BAR) < size)
		kunit_skip(test, "%s: BAR %d is not a memory BAR of %lu bytes or more",
			   pci_name(pdev), PCI_IOMEM_BAR, size);

	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	mem->pdev = pdev;
	mem->bar = PCI_IOMEM_BAR;
	mem->base = pci_resource_start(pdev, PCI_IOMEM_BAR);
	mem->size = size;

	/* Claim the BAR first: never enable a device a driver owns. */
	if (pci_request_region(pdev, mem->bar, "kunit-pci-iomem"))
		kunit_skip(test, "%s: BAR %d is in use", pci_name(pdev), mem->bar);
	err = kunit_add_action_or_reset(test, pci_iomem_release_region, mem);
	KUNIT_ASSERT_EQ(test, err, 0);

	err = pci_enable_device_mem(pdev);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: cannot enable", pci_name(pdev));
	err = kunit_add_action_or_reset(test, pci_iomem_disable, pdev);
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_ASSERT_NOT_NULL_MSG(test, io_mapping_init_wc(&mem->iomap, mem->base, size),
				  "%s: io_mapping_init_wc(%pa, %lu) failed",
				  pci_name(pdev), &mem->base, size);
	err = kunit_add_action_or_reset(test, pci_iomem_fini, mem);
	KUNIT_ASSERT_EQ(test, err, 0);

	return mem;
}
EXPORT_SYMBOL_IF_KUNIT(kunit_pci_iomem_get);

MODULE_DESCRIPTION("A PCI memory BAR for KUnit tests of I/O mappings");
MODULE_LICENSE("GPL");
