// Paths that leave the function without the unmap: nothing converts.
#include <linux/highmem.h>

static void *returns_mapping(struct page *page, int ok)
{
	void *vaddr = kmap_atomic(page);

	if (ok)
		return vaddr;
	kunmap_atomic(vaddr);
	return NULL;
}

static int leaks_on_error(struct page *page, int err)
{
	char *vaddr;

	vaddr = kmap_atomic(page);
	if (err)
		return -EIO;
	vaddr[0] = 1;
	kunmap_atomic(vaddr);
	return 0;
}

static int unmaps_on_every_path(struct page *page, int err)
{
	char *vaddr;

	vaddr = kmap_atomic(page);
	if (err) {
		kunmap_atomic(vaddr);
		return -EIO;
	}
	vaddr[0] = 1;
	kunmap_atomic(vaddr);
	return 0;
}

static int unmaps_at_label(struct page *page, int err)
{
	char *vaddr = kmap_atomic(page);
	int ret = 0;

	if (err) {
		ret = -EIO;
		goto out;
	}
	vaddr[0] = 1;
out:
	kunmap_atomic(vaddr);
	return ret;
}
