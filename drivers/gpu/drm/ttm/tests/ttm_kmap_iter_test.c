// SPDX-License-Identifier: GPL-2.0 AND MIT
/*
 * KUnit tests for the TTM kmap iterators and ttm_move_memcpy(), the
 * page-by-page copy TTM uses to move buffers between system pages (a
 * ttm_tt) and device memory.  Device memory is a window of a real PCI
 * memory BAR (<kunit/pci.h>); the cases that need it skip, with the
 * reason, where there is none (UML).  What the tests put in the window or
 * expect there, they write and read through the window's reference
 * mapping, an ioremap_wc() made without io_mapping, not through a mapping
 * under test.
 */

#include <linux/bits.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/io-mapping.h>
#include <linux/iosys-map.h>
#include <linux/scatterlist.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#include <kunit/pci.h>

#include "ttm_kunit_helpers.h"
#include "ttm_mock_manager.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Pages every iterator covers. */
#define ITER_PAGES	6
/* Pages of the BAR window the tests use: see ttm_iter_iomap_page(). */
#define ITER_BAR_PAGES	16
/* The linear io iterator covers BAR pages 8 .. 8 + ITER_PAGES - 1. */
#define ITER_LINEAR_FIRST	8
#define ITER_LINEAR_MASK	GENMASK(ITER_LINEAR_FIRST + ITER_PAGES - 1, ITER_LINEAR_FIRST)
/* Pages of the buffer objects ttm_bo_move_memcpy() moves. */
#define ITER_BO_PAGES	4

/* A pattern that differs in every word of every page it is seeded for. */
static u32 ttm_iter_word(u32 seed, unsigned int i)
{
	return seed * 0x9e3779b1u + i * 0x85ebca6bu + 1;
}

static void ttm_iter_fill(void *buf, u32 seed)
{
	u32 *p = buf;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		p[i] = ttm_iter_word(seed, i);
}

/* Write pattern @seed (0: zeroes) to the page at @map, through @buf. */
static void ttm_iter_copy_in(struct iosys_map *map, void *buf, u32 seed)
{
	if (seed)
		ttm_iter_fill(buf, seed);
	else
		memset(buf, 0, PAGE_SIZE);
	iosys_map_memcpy_to(map, 0, buf, PAGE_SIZE);
}

/* Does the page at @map hold pattern @seed (0: zeroes)?  @buf, @want: scratch. */
static bool ttm_iter_holds(struct iosys_map *map, void *buf, void *want, u32 seed)
{
	if (seed)
		ttm_iter_fill(want, seed);
	else
		memset(want, 0, PAGE_SIZE);
	iosys_map_memcpy_from(buf, map, 0, PAGE_SIZE);
	return !memcmp(buf, want, PAGE_SIZE);
}

/*
 * Two pages of scratch, allocated before a page is mapped: nothing in a
 * mapped section below allocates or asserts.
 */
struct ttm_iter_scratch {
	void *buf;
	void *want;
};

static struct ttm_iter_scratch ttm_iter_scratch_get(struct kunit *test)
{
	struct ttm_iter_scratch s = {
		.buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL),
		.want = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL),
	};

	KUNIT_ASSERT_NOT_NULL(test, s.buf);
	KUNIT_ASSERT_NOT_NULL(test, s.want);
	return s;
}

static void ttm_iter_scratch_put(struct kunit *test, struct ttm_iter_scratch *s)
{
	kunit_kfree(test, s->buf);
	kunit_kfree(test, s->want);
}

/*
 * Get the BAR window, cleared (the cases expect zeroes where they wrote
 * nothing); skips the case when there is none.
 */
static struct pci_iomem_kunit *ttm_iter_bar_get(struct kunit *test)
{
	return pci_iomem_get_kunit(test, ITER_BAR_PAGES * PAGE_SIZE);
}

/* BAR page @page, through the reference mapping. */
static struct iosys_map ttm_iter_bar_page(struct pci_iomem_kunit *mem, unsigned int page)
{
	struct iosys_map map;

	iosys_map_set_vaddr_iomem(&map, mem->ref + page * PAGE_SIZE);
	return map;
}

/* Write pattern @seed (0: zeroes) to BAR page @page. */
static void ttm_iter_bar_fill(struct kunit *test, struct pci_iomem_kunit *mem,
			      unsigned int page, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	struct iosys_map map = ttm_iter_bar_page(mem, page);

	ttm_iter_copy_in(&map, s.buf, seed);
	/* Complete the write-combined stores before the code under test reads the page. */
	mb();
	ttm_iter_scratch_put(test, &s);
}

/* Does BAR page @page hold pattern @seed (0: zeroes)? */
static bool ttm_iter_bar_has(struct kunit *test, struct pci_iomem_kunit *mem,
			     unsigned int page, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	struct iosys_map map = ttm_iter_bar_page(mem, page);
	bool ok;

	/* The code under test wrote through a mapping of its own, without a barrier. */
	mb();
	ok = ttm_iter_holds(&map, s.buf, s.want, seed);
	ttm_iter_scratch_put(test, &s);
	return ok;
}

/* Expect the BAR pages outside @covered (a mask) to hold pattern @base + page (0: zeroes). */
static void ttm_iter_expect_bar_rest(struct kunit *test, struct pci_iomem_kunit *mem,
				     unsigned long covered, u32 base)
{
	unsigned int p;

	for (p = 0; p < ITER_BAR_PAGES; p++) {
		if (covered & BIT(p))
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_bar_has(test, mem, p, base ? base + p : 0),
				      "untouched BAR page %u", p);
	}
}

/*
 * The iomap iterator's sg_table: three segments, out of order and with a
 * gap, so iterator page i lives at BAR page ttm_iter_iomap_page(i).
 */
static const struct {
	unsigned int first, pages;
} ttm_iter_segs[] = { { 5, 2 }, { 0, 1 }, { 2, 3 } };

static unsigned int ttm_iter_iomap_page(unsigned int i)
{
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(ttm_iter_segs); s++) {
		if (i < ttm_iter_segs[s].pages)
			return ttm_iter_segs[s].first + i;
		i -= ttm_iter_segs[s].pages;
	}
	return UINT_MAX;
}

static unsigned long ttm_iter_iomap_mask(void)
{
	unsigned long mask = 0;
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++)
		mask |= BIT(ttm_iter_iomap_page(i));
	return mask;
}

static void ttm_iter_sg_free(void *st)
{
	sg_free_table(st);
}

static struct ttm_kmap_iter *ttm_iter_iomap(struct kunit *test, struct pci_iomem_kunit *mem,
					    struct ttm_kmap_iter_iomap *iter_io)
{
	struct sg_table *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int s;

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(st, ARRAY_SIZE(ttm_iter_segs), GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_sg_free, st), 0);
	for_each_sg(st->sgl, sg, st->nents, s) {
		sg->length = ttm_iter_segs[s].pages * PAGE_SIZE;
		sg_dma_address(sg) = mem->base + ttm_iter_segs[s].first * PAGE_SIZE;
		sg_dma_len(sg) = sg->length;
	}
	return ttm_kmap_iter_iomap_init(iter_io, &mem->iomap, st, mem->base);
}

struct ttm_iter_linear {
	struct ttm_kmap_iter_linear_io iter_io;
	struct ttm_resource res;
	struct ttm_device *bdev;
};

static void ttm_iter_linear_fini(void *data)
{
	struct ttm_iter_linear *lin = data;

	ttm_kmap_iter_linear_io_fini(&lin->iter_io, lin->bdev, &lin->res);
}

/*
 * A linear io iterator over ITER_PAGES pages of the BAR, from
 * ITER_LINEAR_FIRST on, mapped for @caching; or, if @premapped, through the
 * mapping a driver that keeps its VRAM mapped (xe) leaves in bus.addr, here
 * the reference mapping.
 */
static struct ttm_kmap_iter *ttm_iter_linear(struct kunit *test, struct pci_iomem_kunit *mem,
					     enum ttm_caching caching, bool premapped)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_iter_linear *lin = kunit_kzalloc(test, sizeof(*lin), GFP_KERNEL);
	struct ttm_kmap_iter *iter;

	KUNIT_ASSERT_NOT_NULL(test, lin);
	lin->bdev = devs->ttm_dev;
	lin->res.size = ITER_PAGES * PAGE_SIZE;
	lin->res.bus.offset = mem->base + ITER_LINEAR_FIRST * PAGE_SIZE;
	if (premapped)
		lin->res.bus.addr = (u8 __force *)mem->ref + ITER_LINEAR_FIRST * PAGE_SIZE;
	lin->res.bus.is_iomem = true;
	lin->res.bus.caching = caching;
	iter = ttm_kmap_iter_linear_io_init(&lin->iter_io, lin->bdev, &lin->res);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(iter), "%ld", PTR_ERR(iter));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_linear_fini, lin), 0);
	return iter;
}

struct ttm_iter_tt {
	struct ttm_tt tt;
	struct ttm_buffer_object *bo;
	struct ttm_device *bdev;
};

/* Also right for a tt that ttm_tt_init() or ttm_tt_populate() failed on, or never saw. */
static void ttm_iter_tt_fini(void *data)
{
	struct ttm_iter_tt *itt = data;

	ttm_tt_unpopulate(itt->bdev, &itt->tt);
	ttm_tt_fini(&itt->tt);
	dummy_ttm_bo_destroy(itt->bo);
}

/* A ttm_tt of ITER_PAGES pages, populated from TTM's pool. */
static struct ttm_tt *ttm_iter_tt(struct kunit *test)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_operation_ctx ctx = { };
	struct ttm_iter_tt *itt = kunit_kzalloc(test, sizeof(*itt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, itt);
	itt->bdev = devs->ttm_dev;
	itt->bo = ttm_bo_kunit_init(test, devs, ITER_PAGES * PAGE_SIZE, NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_tt_fini, itt), 0);
	KUNIT_ASSERT_EQ(test, ttm_tt_init(&itt->tt, itt->bo, 0, ttm_cached, 0), 0);
	KUNIT_ASSERT_EQ(test, ttm_tt_populate(devs->ttm_dev, &itt->tt, &ctx), 0);
	return &itt->tt;
}

/* Write pattern @seed (not 0) to page @i of @tt. */
static void ttm_iter_tt_page_fill(struct ttm_tt *tt, unsigned int i, u32 seed)
{
	void *addr = kmap_local_page(tt->pages[i]);

	ttm_iter_fill(addr, seed);
	kunmap_local(addr);
}

static bool ttm_iter_tt_page_has(struct kunit *test, struct ttm_tt *tt,
				 unsigned int i, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	struct iosys_map map;
	bool ok;

	iosys_map_set_vaddr(&map, kmap_local_page(tt->pages[i]));
	ok = ttm_iter_holds(&map, s.buf, s.want, seed);
	kunmap_local(map.vaddr);
	ttm_iter_scratch_put(test, &s);
	return ok;
}

/* Map page @i through @iter and write @seed to it; was it io memory? */
static bool ttm_iter_write(struct kunit *test, struct ttm_kmap_iter *iter,
			   pgoff_t i, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	struct iosys_map map;
	bool is_iomem;

	iter->ops->map_local(iter, &map, i);
	is_iomem = map.is_iomem;
	ttm_iter_copy_in(&map, s.buf, seed);
	if (iter->ops->unmap_local)
		iter->ops->unmap_local(iter, &map);
	ttm_iter_scratch_put(test, &s);
	return is_iomem;
}

/* Map page @i through @iter and check it holds @seed. */
static bool ttm_iter_read_has(struct kunit *test, struct ttm_kmap_iter *iter,
			      pgoff_t i, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	struct iosys_map map;
	bool ok;

	iter->ops->map_local(iter, &map, i);
	ok = ttm_iter_holds(&map, s.buf, s.want, seed);
	if (iter->ops->unmap_local)
		iter->ops->unmap_local(iter, &map);
	ttm_iter_scratch_put(test, &s);
	return ok;
}

static void ttm_kmap_iter_tt_maps_each_page(struct kunit *test)
{
	struct ttm_tt *tt = ttm_iter_tt(test);
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_kmap_iter *iter = ttm_kmap_iter_tt_init(&iter_tt, tt);
	unsigned int i, highmem = 0;

	KUNIT_EXPECT_TRUE(test, iter->ops->maps_tt);
	for (i = 0; i < ITER_PAGES; i++) {
		KUNIT_EXPECT_FALSE(test, ttm_iter_write(test, iter, i, 10 + i));
		highmem += PageHighMem(tt->pages[i]);
	}
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_tt_page_has(test, tt, i, 10 + i),
				      "page %u", i);
	kunit_info(test, "%u of %u pages in highmem\n", highmem, ITER_PAGES);
	/* TTM's pool allocates GFP_HIGHUSER: prefer highmem where there is any. */
	if (IS_ENABLED(CONFIG_HIGHMEM) && totalhigh_pages())
		KUNIT_EXPECT_GT(test, highmem, 0);
}

static void ttm_kmap_iter_iomap_maps_segments(struct kunit *test)
{
	struct pci_iomem_kunit *mem = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *iter = ttm_iter_iomap(test, mem, &iter_io);
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, iter->ops->maps_tt);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE(test, ttm_iter_write(test, iter, i, 20 + i));
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      ttm_iter_bar_has(test, mem, ttm_iter_iomap_page(i), 20 + i),
				      "page %u at BAR page %u", i, ttm_iter_iomap_page(i));
	/* The gap between the segments and the pages after them: untouched. */
	ttm_iter_expect_bar_rest(test, mem, ttm_iter_iomap_mask(), 0);
}

/*
 * The iomap iterator caches the segment of the last page it mapped and
 * walks forward from there; a page before that segment makes it restart
 * from the first segment.  Visit the pages out of order.
 */
static void ttm_kmap_iter_iomap_restarts_backwards(struct kunit *test)
{
	static const pgoff_t order[] = { 4, 1, 5, 0, 3, 2, 2, 5 };
	struct pci_iomem_kunit *mem = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *iter = ttm_iter_iomap(test, mem, &iter_io);
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++)
		ttm_iter_bar_fill(test, mem, ttm_iter_iomap_page(i), 30 + i);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_read_has(test, iter, order[i], 30 + order[i]),
				      "visit %u: page %lu", i, order[i]);
		/* The cache now holds the segment of that page. */
		KUNIT_EXPECT_LE(test, iter_io.cache.i, order[i]);
		KUNIT_EXPECT_GT(test, iter_io.cache.end, order[i]);
	}
}

/*
 * The branches of ttm_kmap_iter_linear_io_init(), which maps the whole
 * resource at once, and whether the pages it hands out are io memory.
 * Each is valid for a PCI BAR on x86 and arm: ttm_cached maps with
 * memremap(), which for memory that is not System RAM is ioremap_cache()
 * on x86 and a normal cacheable mapping on arm; neither refuses a BAR.
 * On x86, PAT (where enabled) gives the uncached and cached mappings the
 * WC type the window's other mappings hold: there those rows cover the
 * branches, not uncached or cached access.  Elsewhere a cached mapping
 * of memory that is also mapped write-combined is a mismatched alias,
 * whose contents the architecture does not define without cache
 * maintenance (arm): the cached row runs on x86 only.
 */
struct ttm_iter_linear_case {
	const char *description;
	enum ttm_caching caching;
	bool premapped;
	bool is_iomem;
	bool x86_only;
};

static const struct ttm_iter_linear_case ttm_iter_linear_cases[] = {
	{
		.description = "write-combined, ioremap_wc()",
		.caching = ttm_write_combined,
		.is_iomem = true,
	},
	{
		.description = "uncached, ioremap()",
		.caching = ttm_uncached,
		.is_iomem = true,
	},
	{
		.description = "cached, memremap()",
		.caching = ttm_cached,
		.is_iomem = false,
		.x86_only = true,
	},
	{
		.description = "pre-mapped by the driver in bus.addr",
		.caching = ttm_write_combined,
		.premapped = true,
		.is_iomem = false,
	},
};

static void ttm_iter_linear_case_desc(const struct ttm_iter_linear_case *t, char *desc)
{
	strscpy(desc, t->description, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ttm_iter_linear, ttm_iter_linear_cases, ttm_iter_linear_case_desc);

static void ttm_kmap_iter_linear_io_maps_range(struct kunit *test)
{
	const struct ttm_iter_linear_case *params = test->param_value;
	struct pci_iomem_kunit *mem;
	struct ttm_kmap_iter *iter;
	unsigned int i;

	if (params->x86_only && !IS_ENABLED(CONFIG_X86))
		kunit_skip(test, "a cached alias of write-combined memory is defined on x86 only");
	mem = ttm_iter_bar_get(test);
	iter = ttm_iter_linear(test, mem, params->caching, params->premapped);
	KUNIT_EXPECT_FALSE(test, iter->ops->maps_tt);
	for (i = ITER_PAGES; i-- > 0; )
		KUNIT_EXPECT_EQ_MSG(test, ttm_iter_write(test, iter, i, 40 + i), params->is_iomem,
				    "page %u: is_iomem", i);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      ttm_iter_bar_has(test, mem, ITER_LINEAR_FIRST + i, 40 + i),
				      "page %u", i);
	ttm_iter_expect_bar_rest(test, mem, ITER_LINEAR_MASK, 0);
}

/* A resource the driver reports as not io memory: the caller's cue to use a tt. */
static void ttm_kmap_iter_linear_io_rejects_system(struct kunit *test)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_kmap_iter_linear_io iter_io;
	struct ttm_resource res = { .size = PAGE_SIZE };
	struct ttm_kmap_iter *iter;

	iter = ttm_kmap_iter_linear_io_init(&iter_io, devs->ttm_dev, &res);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iter), -EINVAL);
}

static void ttm_iter_devices_put(void *test)
{
	ttm_test_devices_fini(test);
}

/*
 * The cases hold buffer objects and tts in KUnit actions; the devices must
 * outlive them, so they are put by an action too (a suite's .exit would
 * run before the actions).
 */
static int ttm_iter_test_init(struct kunit *test)
{
	int err = ttm_test_devices_all_init(test);

	if (err)
		return err;
	return kunit_add_action_or_reset(test, ttm_iter_devices_put, test);
}

static struct kunit_case ttm_kmap_iter_test_cases[] = {
	KUNIT_CASE(ttm_kmap_iter_tt_maps_each_page),
	KUNIT_CASE(ttm_kmap_iter_iomap_maps_segments),
	KUNIT_CASE(ttm_kmap_iter_iomap_restarts_backwards),
	KUNIT_CASE_PARAM(ttm_kmap_iter_linear_io_maps_range, ttm_iter_linear_gen_params),
	KUNIT_CASE(ttm_kmap_iter_linear_io_rejects_system),
	{}
};

static struct kunit_suite ttm_kmap_iter_test_suite = {
	.name = "ttm_kmap_iter",
	.init = ttm_iter_test_init,
	.test_cases = ttm_kmap_iter_test_cases,
};

/* The iterators a ttm_move_memcpy() case puts on either side. */
enum ttm_iter_kind {
	TTM_ITER_TT,		/* a populated ttm_tt */
	TTM_ITER_NO_TT,		/* a tt iterator without a tt: a source without data */
	TTM_ITER_IOMAP,		/* the iomap iterator over ttm_iter_segs */
	TTM_ITER_LINEAR,	/* the linear io iterator, write-combined */
	TTM_ITER_LINEAR_PREMAPPED,	/* the linear io iterator, through bus.addr */
};

struct ttm_iter_side {
	enum ttm_iter_kind kind;
	struct ttm_kmap_iter *iter;
	struct ttm_tt *tt;
	struct pci_iomem_kunit *mem;
	union {
		struct ttm_kmap_iter_tt tt;
		struct ttm_kmap_iter_iomap io;
	} u;
};

static struct ttm_iter_side *ttm_iter_side_get(struct kunit *test, struct pci_iomem_kunit *mem,
					       enum ttm_iter_kind kind)
{
	struct ttm_iter_side *side = kunit_kzalloc(test, sizeof(*side), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, side);
	side->kind = kind;
	side->mem = mem;
	switch (kind) {
	case TTM_ITER_TT:
		side->tt = ttm_iter_tt(test);
		side->iter = ttm_kmap_iter_tt_init(&side->u.tt, side->tt);
		break;
	case TTM_ITER_NO_TT:
		side->iter = ttm_kmap_iter_tt_init(&side->u.tt, NULL);
		break;
	case TTM_ITER_IOMAP:
		side->iter = ttm_iter_iomap(test, mem, &side->u.io);
		break;
	case TTM_ITER_LINEAR:
		side->iter = ttm_iter_linear(test, mem, ttm_write_combined, false);
		break;
	case TTM_ITER_LINEAR_PREMAPPED:
		side->iter = ttm_iter_linear(test, mem, ttm_write_combined, true);
		break;
	}
	return side;
}

/* The BAR pages an io memory side covers. */
static unsigned long ttm_iter_side_mask(const struct ttm_iter_side *side)
{
	switch (side->kind) {
	case TTM_ITER_IOMAP:
		return ttm_iter_iomap_mask();
	case TTM_ITER_LINEAR:
	case TTM_ITER_LINEAR_PREMAPPED:
		return ITER_LINEAR_MASK;
	default:
		return 0;
	}
}

static unsigned int ttm_iter_side_bar_page(const struct ttm_iter_side *side, unsigned int i)
{
	return side->kind == TTM_ITER_IOMAP ? ttm_iter_iomap_page(i) : ITER_LINEAR_FIRST + i;
}

/* Write pattern @seed (not 0) to page @i of a side that has pages. */
static void ttm_iter_side_fill(struct kunit *test, struct ttm_iter_side *side,
			       unsigned int i, u32 seed)
{
	if (side->tt)
		ttm_iter_tt_page_fill(side->tt, i, seed);
	else
		ttm_iter_bar_fill(test, side->mem, ttm_iter_side_bar_page(side, i), seed);
}

static bool ttm_iter_side_has(struct kunit *test, struct ttm_iter_side *side,
			      unsigned int i, u32 seed)
{
	if (side->tt)
		return ttm_iter_tt_page_has(test, side->tt, i, seed);
	return ttm_iter_bar_has(test, side->mem, ttm_iter_side_bar_page(side, i), seed);
}

struct ttm_iter_move_case {
	const char *description;
	enum ttm_iter_kind dst;
	enum ttm_iter_kind src;
};

static void ttm_iter_move_case_desc(const struct ttm_iter_move_case *t, char *desc)
{
	strscpy(desc, t->description, KUNIT_PARAM_DESC_SIZE);
}

/*
 * Every page of the source lands at the same page of the destination.
 * ttm_bo_move_memcpy() maps io memory with the linear io iterator, i915
 * with the iomap one; ttm_move_memcpy() maps each side through its own
 * ops, so io memory on both sides is tested with one iterator of each kind.
 */
static const struct ttm_iter_move_case ttm_move_memcpy_copy_cases[] = {
	{
		.description = "tt to iomap",
		.dst = TTM_ITER_IOMAP,
		.src = TTM_ITER_TT,
	},
	{
		.description = "iomap to tt",
		.dst = TTM_ITER_TT,
		.src = TTM_ITER_IOMAP,
	},
	{
		.description = "linear io to iomap",
		.dst = TTM_ITER_IOMAP,
		.src = TTM_ITER_LINEAR,
	},
	{
		.description = "tt to linear io",
		.dst = TTM_ITER_LINEAR,
		.src = TTM_ITER_TT,
	},
	{
		.description = "linear io to tt",
		.dst = TTM_ITER_TT,
		.src = TTM_ITER_LINEAR,
	},
};

KUNIT_ARRAY_PARAM(ttm_move_memcpy_copy, ttm_move_memcpy_copy_cases, ttm_iter_move_case_desc);

static void ttm_move_memcpy_copy(struct kunit *test)
{
	const struct ttm_iter_move_case *params = test->param_value;
	struct pci_iomem_kunit *mem = ttm_iter_bar_get(test);
	struct ttm_iter_side *dst = ttm_iter_side_get(test, mem, params->dst);
	struct ttm_iter_side *src = ttm_iter_side_get(test, mem, params->src);
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++) {
		ttm_iter_side_fill(test, src, i, 50 + i);
		ttm_iter_side_fill(test, dst, i, 150 + i);
	}
	ttm_move_memcpy(false, ITER_PAGES, dst->iter, src->iter);
	for (i = 0; i < ITER_PAGES; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_side_has(test, dst, i, 50 + i), "page %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_side_has(test, src, i, 50 + i),
				      "source page %u", i);
	}
	ttm_iter_expect_bar_rest(test, mem, ttm_iter_side_mask(dst) | ttm_iter_side_mask(src), 0);
}

/*
 * @clear: zero the destination instead of copying; the source is not read.
 * Callers clear from a tt iterator whose tt is missing or unpopulated
 * (ttm_bo_move_memcpy(), i915), so a tt destination would mean a tt on both
 * sides, where nothing is copied or cleared: the destinations are io
 * memory, mapped as io memory (memset_io()) or by the driver (memset()).
 */
static const struct ttm_iter_move_case ttm_move_memcpy_clear_cases[] = {
	{
		.description = "iomap",
		.dst = TTM_ITER_IOMAP,
		.src = TTM_ITER_NO_TT,
	},
	{
		.description = "linear io",
		.dst = TTM_ITER_LINEAR,
		.src = TTM_ITER_NO_TT,
	},
	{
		.description = "linear io pre-mapped in bus.addr",
		.dst = TTM_ITER_LINEAR_PREMAPPED,
		.src = TTM_ITER_NO_TT,
	},
};

KUNIT_ARRAY_PARAM(ttm_move_memcpy_clear, ttm_move_memcpy_clear_cases, ttm_iter_move_case_desc);

static void ttm_move_memcpy_clear(struct kunit *test)
{
	const struct ttm_iter_move_case *params = test->param_value;
	struct pci_iomem_kunit *mem = ttm_iter_bar_get(test);
	struct ttm_iter_side *dst = ttm_iter_side_get(test, mem, params->dst);
	struct ttm_iter_side *src = ttm_iter_side_get(test, mem, params->src);
	unsigned int i;

	for (i = 0; i < ITER_BAR_PAGES; i++)
		ttm_iter_bar_fill(test, mem, i, 90 + i);
	ttm_move_memcpy(true, ITER_PAGES, dst->iter, src->iter);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_side_has(test, dst, i, 0), "page %u", i);
	ttm_iter_expect_bar_rest(test, mem, ttm_iter_side_mask(dst), 90);
}

/*
 * ttm_bo_move_memcpy() on a device of its own: VRAM is a mock manager
 * without a tt whose resources the driver places in the BAR window, TT a
 * mock manager with a tt whose resources are not io memory.
 */
struct ttm_iter_bo_dev {
	struct ttm_device bdev;
	struct ttm_device_funcs funcs;
	struct ttm_test_devices devs;	/* for ttm_bo_kunit_init() */
	struct pci_iomem_kunit *mem;
};

/* The BAR page a contiguous mock VRAM resource starts at. */
static unsigned int ttm_iter_vram_page(struct ttm_resource *res)
{
	struct ttm_mock_resource *mock = container_of(res, typeof(*mock), base);
	struct gpu_buddy_block *block;

	block = list_first_entry(&mock->blocks, typeof(*block), link);
	return gpu_buddy_block_offset(block) >> PAGE_SHIFT;
}

static int ttm_iter_io_mem_reserve(struct ttm_device *bdev, struct ttm_resource *res)
{
	struct ttm_iter_bo_dev *dev = container_of(bdev, typeof(*dev), bdev);

	if (res->mem_type != TTM_PL_VRAM)
		return 0;
	res->bus.offset = dev->mem->base +
			  ((resource_size_t)ttm_iter_vram_page(res) << PAGE_SHIFT);
	res->bus.is_iomem = true;
	res->bus.caching = ttm_write_combined;
	return 0;
}

/* A move to VRAM destroys the tt: free its page array too. */
static void ttm_iter_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static void ttm_iter_bo_dev_fini(void *bdev)
{
	ttm_device_fini(bdev);
}

static void ttm_iter_gtt_fini(void *bdev)
{
	ttm_mock_manager_fini(bdev, TTM_PL_TT);
}

static void ttm_iter_vram_fini(void *bdev)
{
	ttm_mock_manager_fini(bdev, TTM_PL_VRAM);
}

/*
 * Each part of the device is put by a KUnit action registered as soon as
 * it is set up.  The actions run in reverse: the managers go before the
 * device, and the BOs, which a case gets later, before the managers.
 * VRAM only if there is a BAR window, @mem.
 */
static struct ttm_iter_bo_dev *ttm_iter_bo_dev_get(struct kunit *test,
						   struct pci_iomem_kunit *mem)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_iter_bo_dev *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->mem = mem;
	dev->funcs = ttm_dev_funcs;
	dev->funcs.io_mem_reserve = ttm_iter_io_mem_reserve;
	dev->funcs.ttm_tt_destroy = ttm_iter_tt_destroy;
	err = ttm_device_init(&dev->bdev, &dev->funcs, devs->drm->dev,
			      devs->drm->anon_inode->i_mapping,
			      devs->drm->vma_offset_manager, false, false);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_bo_dev_fini, &dev->bdev), 0);

	err = ttm_mock_manager_init(&dev->bdev, TTM_PL_TT, ITER_BAR_PAGES * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_gtt_fini, &dev->bdev), 0);

	if (mem) {
		err = ttm_mock_manager_init(&dev->bdev, TTM_PL_VRAM, ITER_BAR_PAGES * PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, err, 0);
		/* Device memory: not backed by a tt. */
		ttm_manager_type(&dev->bdev, TTM_PL_VRAM)->use_tt = false;
		KUNIT_ASSERT_EQ(test,
				kunit_add_action_or_reset(test, ttm_iter_vram_fini, &dev->bdev), 0);
	}

	dev->devs = *devs;
	dev->devs.ttm_dev = &dev->bdev;
	return dev;
}

/* A BO of the device and the resource a move is taking it to. */
struct ttm_iter_bo {
	struct ttm_buffer_object *bo;
	struct ttm_resource *dst;
};

static void ttm_iter_bo_release(void *data)
{
	struct ttm_iter_bo *ibo = data;
	struct ttm_buffer_object *bo = ibo->bo;

	/* A move that did not happen leaves the destination to the caller. */
	if (ibo->dst != bo->resource)
		ttm_resource_free(bo, &ibo->dst);
	ttm_resource_free(bo, &bo->resource);
	if (bo->ttm) {
		ttm_tt_unpopulate(bo->bdev, bo->ttm);
		ttm_tt_destroy(bo->bdev, bo->ttm);
		bo->ttm = NULL;
	}
	dummy_ttm_bo_destroy(bo);
}

/* A BO of ITER_BO_PAGES pages in system memory, with a tt, populated if asked. */
static struct ttm_iter_bo *ttm_iter_bo_get(struct kunit *test, struct ttm_iter_bo_dev *dev,
					   u32 page_flags, bool populate)
{
	static const struct ttm_place sys_place = { .mem_type = TTM_PL_SYSTEM };
	struct ttm_iter_bo *ibo = kunit_kzalloc(test, sizeof(*ibo), GFP_KERNEL);
	struct ttm_operation_ctx ctx = { };
	struct ttm_buffer_object *bo;
	struct ttm_tt *tt;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, ibo);
	bo = ttm_bo_kunit_init(test, &dev->devs, ITER_BO_PAGES * PAGE_SIZE, NULL);
	ibo->bo = bo;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_bo_release, ibo), 0);

	tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tt);
	/* The BO's now: a move or the release destroys it, even if ttm_tt_init() fails. */
	bo->ttm = tt;
	KUNIT_ASSERT_EQ(test, ttm_tt_init(tt, bo, page_flags, ttm_cached, 0), 0);
	if (populate)
		KUNIT_ASSERT_EQ(test, ttm_tt_populate(&dev->bdev, tt, &ctx), 0);

	dma_resv_lock(bo->base.resv, NULL);
	err = ttm_resource_alloc(bo, &sys_place, &bo->resource);
	dma_resv_unlock(bo->base.resv);
	KUNIT_ASSERT_EQ(test, err, 0);
	return ibo;
}

/* Move the BO to @place the way a driver's move callback does, with ttm_bo_move_memcpy(). */
static int ttm_iter_bo_move(struct ttm_iter_bo *ibo, const struct ttm_place *place)
{
	struct ttm_buffer_object *bo = ibo->bo;
	struct ttm_operation_ctx ctx = { };
	int err;

	/* No KUnit assertion under the reservation: a failing one would exit holding it. */
	dma_resv_lock(bo->base.resv, NULL);
	err = ttm_resource_alloc(bo, place, &ibo->dst);
	if (!err)
		err = ttm_bo_move_memcpy(bo, &ctx, ibo->dst);
	dma_resv_unlock(bo->base.resv);
	return err;
}

/*
 * ttm_bo_move_memcpy() of a BO whose tt was never populated into device
 * memory: there is no data to copy, and as the tt asks for zeroed pages
 * (TTM_TT_FLAG_ZERO_ALLOC) the destination is cleared, and nothing else.
 */
static void ttm_move_memcpy_unpopulated_zero_alloc_clears(struct kunit *test)
{
	static const struct ttm_place vram_place = {
		.mem_type = TTM_PL_VRAM,
		.flags = TTM_PL_FLAG_CONTIGUOUS,
	};
	struct pci_iomem_kunit *mem = ttm_iter_bar_get(test);
	struct ttm_iter_bo_dev *dev;
	struct ttm_iter_bo *ibo;
	unsigned int first, p;

	for (p = 0; p < ITER_BAR_PAGES; p++)
		ttm_iter_bar_fill(test, mem, p, 110 + p);
	dev = ttm_iter_bo_dev_get(test, mem);
	ibo = ttm_iter_bo_get(test, dev, TTM_TT_FLAG_ZERO_ALLOC, false);

	KUNIT_ASSERT_EQ(test, ttm_iter_bo_move(ibo, &vram_place), 0);
	KUNIT_EXPECT_PTR_EQ(test, ibo->bo->resource, ibo->dst);
	/* Moving to memory without a tt destroyed the tt. */
	KUNIT_EXPECT_NULL(test, ibo->bo->ttm);
	first = ttm_iter_vram_page(ibo->dst);
	for (p = first; p < first + ITER_BO_PAGES; p++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_bar_has(test, mem, p, 0), "BAR page %u", p);
	ttm_iter_expect_bar_rest(test, mem, GENMASK(first + ITER_BO_PAGES - 1, first), 110);
}

/*
 * ttm_bo_move_memcpy() between two placements that both use a tt (system
 * memory, and TT, whose resources are not io memory) gives
 * ttm_move_memcpy() a tt iterator over the BO's one tt on each side: the
 * BO keeps its tt, the tt its pages, the pages their contents.  Needs no
 * device memory.
 */
static void ttm_move_memcpy_tt_to_tt_keeps_tt(struct kunit *test)
{
	static const struct ttm_place tt_place = { .mem_type = TTM_PL_TT };
	struct ttm_iter_bo_dev *dev = ttm_iter_bo_dev_get(test, NULL);
	struct ttm_iter_bo *ibo = ttm_iter_bo_get(test, dev, 0, true);
	struct ttm_tt *tt = ibo->bo->ttm;
	struct page *pages[ITER_BO_PAGES];
	unsigned int i;

	for (i = 0; i < ITER_BO_PAGES; i++) {
		pages[i] = tt->pages[i];
		ttm_iter_tt_page_fill(tt, i, 80 + i);
	}
	KUNIT_ASSERT_EQ(test, ttm_iter_bo_move(ibo, &tt_place), 0);
	KUNIT_EXPECT_PTR_EQ(test, ibo->bo->resource, ibo->dst);
	KUNIT_ASSERT_PTR_EQ(test, ibo->bo->ttm, tt);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(tt));
	for (i = 0; i < ITER_BO_PAGES; i++) {
		KUNIT_EXPECT_PTR_EQ_MSG(test, tt->pages[i], pages[i], "page %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_tt_page_has(test, tt, i, 80 + i),
				      "page %u", i);
	}
}

static struct kunit_case ttm_move_memcpy_test_cases[] = {
	KUNIT_CASE_PARAM(ttm_move_memcpy_copy, ttm_move_memcpy_copy_gen_params),
	KUNIT_CASE_PARAM(ttm_move_memcpy_clear, ttm_move_memcpy_clear_gen_params),
	KUNIT_CASE(ttm_move_memcpy_unpopulated_zero_alloc_clears),
	KUNIT_CASE(ttm_move_memcpy_tt_to_tt_keeps_tt),
	{}
};

static struct kunit_suite ttm_move_memcpy_test_suite = {
	.name = "ttm_move_memcpy",
	.init = ttm_iter_test_init,
	.test_cases = ttm_move_memcpy_test_cases,
};

kunit_test_suites(&ttm_kmap_iter_test_suite, &ttm_move_memcpy_test_suite);

MODULE_DESCRIPTION("KUnit tests for the TTM kmap iterators and ttm_move_memcpy()");
MODULE_LICENSE("GPL and additional rights");
