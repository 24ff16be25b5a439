// Plain pairs: every one converts.
#include <linux/highmem.h>
#include <linux/io-mapping.h>

static void assign(struct page *page, void *buf)
{
	void *vaddr;

	vaddr = kmap_atomic(page);
	memcpy(buf, vaddr, PAGE_SIZE);
	kunmap_atomic(vaddr);
}

static void init(struct page *page, const void *buf)
{
	void *vaddr = kmap_atomic(page);

	memcpy(vaddr, buf, PAGE_SIZE);
	kunmap_atomic(vaddr);
}

static void prot(struct page *page, pgprot_t prot)
{
	u32 *p = kmap_atomic_prot(page, prot);

	p[0] = 1;
	kunmap_atomic(p);
}

static void pfn(unsigned long pfn)
{
	u32 *p;

	p = kmap_atomic_pfn(pfn);
	p[1] = 2;
	kunmap_atomic(p);
}

static int branches(struct page *page, int flag)
{
	u8 *vaddr = kmap_atomic(page);
	int ret = 0;

	if (flag)
		ret = vaddr[0];
	else
		vaddr[0] = 1;
	kunmap_atomic(vaddr);
	return ret;
}

static void io(struct io_mapping *iomap, unsigned long offset, const void *src)
{
	void __iomem *vaddr;

	vaddr = io_mapping_map_atomic_wc(iomap, offset);
	memcpy_toio(vaddr, src, 64);
	io_mapping_unmap_atomic(vaddr);
}

static void user_page(struct page *page, unsigned long vaddr)
{
	void *kaddr = kmap_atomic(page);

	clear_user_page(kaddr, vaddr, page);
	kunmap_atomic(kaddr);
}
