/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI helpers for KUnit tests.
 *
 * pci_iomem_get_kunit() hands a test a window of a real PCI memory BAR,
 * for tests of code that maps device memory (io_mapping, TTM's kmap
 * iterators): a fake resource would not go through ioremap_wc() or, on
 * 32-bit x86, the kmap_local slots io_mapping_map_local_wc() uses.
 *
 * It needs QEMU's "-device bochs-display" (PCI ID 1234:1111, class
 * 0x0380; "-device secondary-vga" matches too), whose BAR 0 is 16 MiB of
 * RAM-backed VRAM, on any machine with a PCI host; kunit.py's
 * qemu_configs for i386, x86_64 and arm add one.  The device must be
 * free: the helper binds it to a driver of its own for as long as the
 * test runs, so a device a driver (bochs-drm) already owns is not
 * touched, and neither is QEMU's standard VGA, which has the same ID but
 * the VGA class.
 */
#ifndef _KUNIT_PCI_H
#define _KUNIT_PCI_H

#include <kunit/test.h>
#include <linux/io-mapping.h>

struct pci_dev;

/**
 * struct pci_iomem_kunit - a window of a PCI memory BAR held by a test
 * @pdev: the PCI device, bound to the helper's driver
 * @bar: the BAR the window lies in
 * @base: CPU physical address of the window's first byte
 * @size: size of the window in bytes, a multiple of PAGE_SIZE
 * @iomap: write-combined io_mapping over the whole window
 * @ref: ioremap_wc() of the whole window, made without io_mapping: a
 *	 reference for checking what goes through @iomap
 */
struct pci_iomem_kunit {
	struct pci_dev *pdev;
	int bar;
	resource_size_t base;
	unsigned long size;
	struct io_mapping iomap;
	void __iomem *ref;
};

#if IS_ENABLED(CONFIG_PCI)
struct pci_iomem_kunit *pci_iomem_get_kunit(struct kunit *test,
					    unsigned long size);
#else
static inline struct pci_iomem_kunit *
pci_iomem_get_kunit(struct kunit *test, unsigned long size)
{
	kunit_skip(test, "no PCI iomem (CONFIG_PCI=n)");
	return NULL;
}
#endif

#endif /* _KUNIT_PCI_H */
