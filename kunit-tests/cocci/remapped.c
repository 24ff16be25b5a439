// A variable mapped again out of sight (through its address, a macro)
// between two unmaps: the second unmap does not convert, nor its mappings.
#include <linux/highmem.h>

static void map_next(u8 **pp, struct page *pg)
{
	*pp = kmap_atomic(pg);
}

static void walk(struct page *a, struct page *b, int more)
{
	u8 *x = kmap_atomic(a);

	x[0] = 0;
	if (more) {
		kunmap_atomic(x);
		map_next(&x, b);
	}
	x[1] = 1;
	kunmap_atomic(x);
}

#define MAP_NEXT(v, pg)	((v) = kmap_atomic(pg))

static void walk_macro(struct page *a, struct page *b, int more)
{
	u8 *x = kmap_atomic(a);

	x[0] = 0;
	if (more) {
		kunmap_atomic(x);
		MAP_NEXT(x, b);
	}
	x[1] = 1;
	kunmap_atomic(x);
}
