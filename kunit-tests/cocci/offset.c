// Mappings used at an offset into the page.
#include <linux/highmem.h>
#include <linux/uaccess.h>

static void at_offset(struct page *page, unsigned int off, u8 val)
{
	u8 *p = kmap_atomic(page) + off;

	*p = val;
	kunmap_atomic(p);
}

static void assigned_at_offset(struct page *page, unsigned int off, u8 val)
{
	u8 *p;

	p = kmap_atomic(page) + off;
	*p = val;
	kunmap_atomic(p);
}

static unsigned long unsafe_at_offset(struct page *page, unsigned int off,
				      const void __user *ubuf)
{
	u8 *p = kmap_atomic(page) + off;
	unsigned long left = __copy_from_user_inatomic(p, ubuf, 8);

	kunmap_atomic(p);
	return left;
}
