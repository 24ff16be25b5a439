// The mapped base is only kept for the unmap (seed 000's case): the pair
// converts as it is; dropping the base is a cleanup left to a human (a
// macro or callee could move the pointer used off the page).
#include <linux/highmem.h>

static void read_from_page(struct page *page, unsigned long offset,
			   void *dst, int size)
{
	void *src_map;
	void *src_ptr;

	src_map = kmap_atomic(page);
	src_ptr = src_map + offset_in_page(offset);
	memcpy(dst, src_ptr, size);
	kunmap_atomic(src_map);
}

// The base is used again: it stays, the pair still converts.
static void base_used(struct page *page, unsigned long offset, void *dst)
{
	void *src_map;
	void *src_ptr;

	src_map = kmap_atomic(page);
	src_ptr = src_map + offset_in_page(offset);
	memcpy(dst, src_ptr, 8);
	memcpy(dst + 8, src_map, 8);
	kunmap_atomic(src_map);
}

// The pointer moves before the unmap: the base stays, the pair converts.
static void ptr_moves(struct page *page, unsigned long offset, u8 *dst)
{
	void *src_map;
	u8 *src_ptr;

	src_map = kmap_atomic(page);
	src_ptr = src_map + offset_in_page(offset);
	while (*src_ptr)
		*dst++ = *src_ptr++;
	kunmap_atomic(src_map);
}
