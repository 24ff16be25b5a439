/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A window of a PCI memory BAR for KUnit tests of I/O mappings.
 *
 * The io_mapping and TTM kmap iterator tests need real device memory: a
 * fake resource would not go through ioremap_wc() or, on 32-bit x86, the
 * kmap_local slots that io_mapping_map_local_wc() uses.  Under QEMU the
 * test runner adds "-device bochs-display", whose BAR 0 is its VRAM: RAM
 * behind a PCI memory BAR, on every machine with a PCI host.
 */
#ifndef _KUNIT_PCI_IOMEM_H
#define _KUNIT_PCI_IOMEM_H

#include <kunit/test.h>
#include <linux/io-mapping.h>

struct pci_dev;

/**
 * struct kunit_pci_iomem - a window of a PCI memory BAR held by a test
 * @pdev: the PCI device
 * @bar: the BAR the window lies in
 * @base: CPU physical address of the window's first byte
 * @size: size of the window in bytes, a multiple of PAGE_SIZE
 * @iomap: write-combined io_mapping over the whole window
 */
struct kunit_pci_iomem {
	struct pci_dev *pdev;
	int bar;
	resource_size_t base;
	unsigned long size;
	struct io_mapping iomap;
};

#if IS_ENABLED(CONFIG_KUNIT_PCI_IOMEM)
struct kunit_pci_iomem *kunit_pci_iomem_get(struct kunit *test,
					    unsigned long size);
#else
static inline struct kunit_pci_iomem *
kunit_pci_iomem_get(struct kunit *test, unsigned long size)
{
	kunit_skip(test, "no PCI iomem fixture (CONFIG_KUNIT_PCI_IOMEM=n)");
	return NULL;
}
#endif

#endif /* _KUNIT_PCI_IOMEM_H */
