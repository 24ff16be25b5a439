// Mappings made in forms the rules do not follow (a condition, a chained
// assignment, a comma, a for header): nothing in their function converts,
// even the plain mapping that shares their unmap.
#include <linux/highmem.h>

static int in_condition(struct page *page, struct page *other, int which)
{
	char *p;

	if (which) {
		p = kmap_atomic(page);
	} else {
		if (!(p = kmap_atomic(other)))
			return -ENOMEM;
	}
	p[0] = 1;
	kunmap_atomic(p);
	return 0;
}

static void in_loop_condition(struct page **pages, int c)
{
	u32 *p;
	int i = 0;

	if (c)
		p = kmap_atomic(pages[0]);
	else
		while (!(p = kmap_atomic(pages[i])))
			i++;
	p[0] = 0;
	kunmap_atomic(p);
}

static void chained(struct page *page)
{
	__be32 *start, *p;

	start = p = kmap_atomic(page);
	*p++ = 1;
	kunmap_atomic(start);
}

static void comma(struct page *pa, struct page *pb, int c, int n)
{
	u8 *a;

	if (c)
		a = kmap_atomic(pa);
	else
		a = kmap_atomic(pb), n++;
	a[0] = n;
	kunmap_atomic(a);
}

static void for_init(struct page *pa, struct page *pb, int c)
{
	u8 *a;
	int i;

	if (c) {
		a = kmap_atomic(pa);
	} else {
		for (a = kmap_atomic(pb), i = 0; i < 4; i++)
			a[i] = 0;
	}
	kunmap_atomic(a);
}

static void reassigned_in_condition(struct page *page, int c)
{
	u8 *a = kmap_atomic(page);

	a[0] = 0;
	kunmap_atomic(a);
	if (c && (a = get_mapped()))
		kunmap_atomic(a);
}
