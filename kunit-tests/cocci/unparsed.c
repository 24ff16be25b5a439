// A helper of the file that spatch cannot parse: the section calling it
// needs a human.
#include <linux/highmem.h>
#include <linux/uaccess.h>

static int helper_copies(void *dst, const void __user *u)
{
	FOO_BEGIN(dst)
		return copy_from_user(dst, u, 8);
	FOO_END
}

static int caller(struct page *page, const void __user *u)
{
	void *p = kmap_atomic(page);
	int ret = helper_copies(p, u);

	kunmap_atomic(p);
	return ret;
}
