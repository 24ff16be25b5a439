// Release order: local mappings at an offset or in members, and atomic
// pairs released out of order (not converted: the order needs a human).
#include <linux/highmem.h>

struct ctx {
	void *va;
	void *vb;
};

static void local_offset(struct page *a, struct page *b, unsigned int off)
{
	u8 *va = kmap_local_page(a) + off;
	u8 *vb = kmap_local_page(b) + off;

	*va = *vb;
	kunmap_local(va);
	kunmap_local(vb);
}

static void local_members(struct ctx *c, struct page *a, struct page *b)
{
	c->va = kmap_local_page(a);
	c->vb = kmap_local_page(b);
	memcpy(c->va, c->vb, 8);
	kunmap_local(c->va);
	kunmap_local(c->vb);
}

static void atomic_out_of_order(struct page *a, struct page *b)
{
	void *va = kmap_atomic(a);
	void *vb = kmap_atomic(b);

	memcpy(va, vb, 8);
	kunmap_atomic(va);
	kunmap_atomic(vb);
}

static void atomic_cast_unmaps(struct page *pa, struct page *pb)
{
	u8 *a, *b;

	a = kmap_atomic(pa);
	b = kmap_atomic(pb);
	memcpy(b, a, 16);
	kunmap_atomic((void *)a);
	kunmap_atomic((void *)b);
}

static void atomic_cast_offset(struct page *pa, struct page *pb, int off)
{
	u8 *a, *b;

	a = (u8 *)kmap_atomic(pa) + off;
	b = kmap_atomic(pb);
	memcpy(b, a, 16);
	kunmap_atomic(a);
	kunmap_atomic(b);
}
