// Mappings held in members: whatever the member's base does before the
// unmap, the rules cannot follow it, so nothing converts there; a base
// dropped for a member pointer is not dropped.
#include <linux/highmem.h>

struct buf {
	u8 *p;
	struct buf *next;
};

struct cur {
	u8 *ptr;
};

static void member_moved(struct buf *s, struct page *page)
{
	s->p = kmap_atomic(page);
	s->p[0] = 1;
	s = s->next;
	kunmap_atomic(s->p);
}

static void drop_into_member(struct cur *c, struct cur *d, struct page *page, loff_t pos)
{
	void *base;

	base = kmap_atomic(page);
	c->ptr = base + offset_in_page(pos);
	c->ptr[0] = 0;
	c = d;
	kunmap_atomic(base);
}
