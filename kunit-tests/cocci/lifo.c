// LIFO order of local unmaps: only the middle function breaks it.
#include <linux/highmem.h>
#include <linux/io-mapping.h>

static void in_order(struct page *a, struct page *b)
{
	void *va = kmap_local_page(a);
	void *vb = kmap_local_page(b);

	memcpy(va, vb, 8);
	kunmap_local(vb);
	kunmap_local(va);
}

static void out_of_order(struct page *a, struct io_mapping *iomap)
{
	void *va = kmap_local_page(a);
	void __iomem *io;

	io = io_mapping_map_local_wc(iomap, 0);
	memcpy_fromio(va, io, 8);
	kunmap_local(va);
	io_mapping_unmap_local(io);
}

static void sequential(struct page *a, struct page *b)
{
	void *va = kmap_local_page(a);

	memset(va, 0, 8);
	kunmap_local(va);
	va = kmap_local_page(b);
	memset(va, 1, 8);
	kunmap_local(va);
}
