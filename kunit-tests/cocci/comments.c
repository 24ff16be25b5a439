// A comment that names the atomic API next to a converted section.
#include <linux/highmem.h>

static void commented(struct page *page, const void *buf)
{
	void *vaddr;

	/* kmap_atomic() keeps us from sleeping until kunmap_atomic() */
	vaddr = kmap_atomic(page);
	memcpy(vaddr, buf, 64);
	kunmap_atomic(vaddr);
}
