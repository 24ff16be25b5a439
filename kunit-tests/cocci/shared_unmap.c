// One unmap reached from more than one mapping.
#include <linux/highmem.h>

static void page_or_pfn(struct page *page, unsigned long pfn)
{
	u32 *p;

	if (page)
		p = kmap_atomic(page);
	else
		p = kmap_atomic_pfn(pfn);
	p[0] = 0;
	kunmap_atomic(p);
}

static unsigned long safe_and_unsafe(struct page *page, const void __user *ubuf, int copy)
{
	void *p;
	unsigned long left = 0;

	if (copy) {
		p = kmap_atomic(page);
		left = __copy_from_user_inatomic(p, ubuf, 64);
	} else {
		p = kmap_atomic(page);
		memset(p, 0, 64);
	}
	kunmap_atomic(p);
	return left;
}

static void *map_other(struct page *page)
{
	return kmap_atomic(page);
}

static void remapped_by_helper(struct page *page, struct page *next, int more)
{
	u8 *p = kmap_atomic(page);

	if (more) {
		kunmap_atomic(p);
		p = map_other(next);
	}
	p[0] = 0;
	kunmap_atomic(p);
}

static void remapped_in_place(struct page *page, struct page *next, int more)
{
	u8 *p = kmap_atomic(page);

	p[0] = 0;
	if (more)
		p = page_address(next);
	kunmap_atomic(p);
}

static void mapped_on_one_path(struct page *page, u8 *p, int map)
{
	if (map)
		p = kmap_atomic(page);
	p[0] = 0;
	kunmap_atomic(p);
}

static void address_taken(struct page *page)
{
	u8 *p = kmap_atomic(page);

	remap(&p);
	kunmap_atomic(p);
}
