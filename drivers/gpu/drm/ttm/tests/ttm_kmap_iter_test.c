// SPDX-License-Identifier: GPL-2.0 AND MIT
/*
 * KUnit tests for the TTM kmap iterators and ttm_move_memcpy(), the
 * page-by-page copy TTM uses to move buffers between system pages (a
 * ttm_tt) and device memory.  Device memory is a real PCI memory BAR
 * (<kunit/pci_iomem.h>); the iomem cases skip, with the reason, where
 * there is none (UML).
 */

#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/io-mapping.h>
#include <linux/iosys-map.h>
#include <linux/scatterlist.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#include <kunit/pci_iomem.h>

#include "ttm_kunit_helpers.h"
#include "ttm_mock_manager.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Pages every iterator covers. */
#define ITER_PAGES	6
/* Pages of the BAR the tests use: see ttm_iter_iomap_page(). */
#define ITER_BAR_PAGES	16
/* The linear io iterator covers BAR pages 8 .. 8 + ITER_PAGES - 1. */
#define ITER_LINEAR_FIRST	8

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

/* Write pattern @seed (0: zeroes) to a page of the BAR's linear mapping. */
static void ttm_iter_map_fill(struct kunit *test, struct iosys_map *map, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);

	ttm_iter_copy_in(map, s.buf, seed);
	ttm_iter_scratch_put(test, &s);
}

/* Does a page of the BAR's linear mapping hold pattern @seed (0: zeroes)? */
static bool ttm_iter_map_has(struct kunit *test, struct iosys_map *map, u32 seed)
{
	struct ttm_iter_scratch s = ttm_iter_scratch_get(test);
	bool ok = ttm_iter_holds(map, s.buf, s.want, seed);

	ttm_iter_scratch_put(test, &s);
	return ok;
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

/* Everything a case needs to reach the BAR without the iterators. */
struct ttm_iter_bar {
	struct kunit_pci_iomem *mem;
	void __iomem *all;
};

static void ttm_iter_bar_unmap(void *data)
{
	struct ttm_iter_bar *bar = data;

	io_mapping_unmap(bar->all);
}

/* Get the BAR and clear it; skips the case when there is none. */
static struct ttm_iter_bar *ttm_iter_bar_get(struct kunit *test)
{
	struct ttm_iter_bar *bar = kunit_kzalloc(test, sizeof(*bar), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bar);
	bar->mem = kunit_pci_iomem_get(test, ITER_BAR_PAGES * PAGE_SIZE);
	bar->all = io_mapping_map_wc(&bar->mem->iomap, 0, ITER_BAR_PAGES * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, (void __force *)bar->all);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_bar_unmap, bar), 0);
	memset_io(bar->all, 0, ITER_BAR_PAGES * PAGE_SIZE);
	return bar;
}

static struct iosys_map ttm_iter_bar_page(struct ttm_iter_bar *bar, unsigned int page)
{
	struct iosys_map map;

	iosys_map_set_vaddr_iomem(&map, bar->all + page * PAGE_SIZE);
	return map;
}

static void ttm_iter_sg_free(void *st)
{
	sg_free_table(st);
}

static struct ttm_kmap_iter *ttm_iter_iomap(struct kunit *test, struct ttm_iter_bar *bar,
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
		sg_dma_address(sg) = bar->mem->base + ttm_iter_segs[s].first * PAGE_SIZE;
		sg_dma_len(sg) = sg->length;
	}
	return ttm_kmap_iter_iomap_init(iter_io, &bar->mem->iomap, st, bar->mem->base);
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

/* A linear io iterator over ITER_PAGES write-combined pages of the BAR. */
static struct ttm_kmap_iter *ttm_iter_linear(struct kunit *test, struct ttm_iter_bar *bar)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_iter_linear *lin = kunit_kzalloc(test, sizeof(*lin), GFP_KERNEL);
	struct ttm_kmap_iter *iter;

	KUNIT_ASSERT_NOT_NULL(test, lin);
	lin->bdev = devs->ttm_dev;
	lin->res.size = ITER_PAGES * PAGE_SIZE;
	lin->res.bus.offset = bar->mem->base + ITER_LINEAR_FIRST * PAGE_SIZE;
	lin->res.bus.is_iomem = true;
	lin->res.bus.caching = ttm_write_combined;
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

static void ttm_iter_tt_fini(void *data)
{
	struct ttm_iter_tt *itt = data;

	if (ttm_tt_is_populated(&itt->tt))
		ttm_tt_unpopulate(itt->bdev, &itt->tt);
	ttm_tt_fini(&itt->tt);
	dummy_ttm_bo_destroy(itt->bo);
}

/* A ttm_tt of ITER_PAGES pages, populated from TTM's pool if asked. */
static struct ttm_tt *ttm_iter_tt(struct kunit *test, u32 page_flags, bool populate)
{
	struct ttm_test_devices *devs = test->priv;
	struct ttm_operation_ctx ctx = { };
	struct ttm_iter_tt *itt = kunit_kzalloc(test, sizeof(*itt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, itt);
	itt->bdev = devs->ttm_dev;
	itt->bo = ttm_bo_kunit_init(test, devs, ITER_PAGES * PAGE_SIZE, NULL);
	KUNIT_ASSERT_EQ(test, ttm_tt_init(&itt->tt, itt->bo, page_flags, ttm_cached, 0), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_tt_fini, itt), 0);
	if (populate)
		KUNIT_ASSERT_EQ(test, ttm_tt_populate(devs->ttm_dev, &itt->tt, &ctx), 0);
	return &itt->tt;
}

static void ttm_iter_tt_fill(struct kunit *test, struct ttm_tt *tt, u32 seed)
{
	unsigned int i;
	void *addr;

	for (i = 0; i < tt->num_pages; i++) {
		addr = kmap_local_page(tt->pages[i]);
		ttm_iter_fill(addr, seed + i);
		kunmap_local(addr);
	}
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
	struct ttm_tt *tt = ttm_iter_tt(test, 0, true);
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
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *iter = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, iter->ops->maps_tt);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE(test, ttm_iter_write(test, iter, i, 20 + i));
	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 20 + i),
				      "page %u at BAR page %u", i, ttm_iter_iomap_page(i));
	}
	/* The gap between the segments and the page after them: untouched. */
	map = ttm_iter_bar_page(bar, 1);
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 0));
	map = ttm_iter_bar_page(bar, 7);
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 0));
}

/*
 * The iomap iterator caches the segment of the last page it mapped and
 * walks forward from there; a page before that segment makes it restart
 * from the first segment.  Visit the pages out of order.
 */
static void ttm_kmap_iter_iomap_restarts_backwards(struct kunit *test)
{
	static const pgoff_t order[] = { 4, 1, 5, 0, 3, 2, 2, 5 };
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *iter = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		ttm_iter_map_fill(test, &map, 30 + i);
	}
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_read_has(test, iter, order[i], 30 + order[i]),
				      "visit %u: page %lu", i, order[i]);
		/* The cache now holds the segment of that page. */
		KUNIT_EXPECT_LE(test, iter_io.cache.i, order[i]);
		KUNIT_EXPECT_GT(test, iter_io.cache.end, order[i]);
	}
}

static void ttm_kmap_iter_linear_io_maps_range(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_kmap_iter *iter = ttm_iter_linear(test, bar);
	struct iosys_map map;
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, iter->ops->maps_tt);
	for (i = ITER_PAGES; i-- > 0; )
		KUNIT_EXPECT_TRUE(test, ttm_iter_write(test, iter, i, 40 + i));
	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ITER_LINEAR_FIRST + i);
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 40 + i), "page %u", i);
	}
	map = ttm_iter_bar_page(bar, ITER_LINEAR_FIRST - 1);
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 0));
	map = ttm_iter_bar_page(bar, ITER_LINEAR_FIRST + ITER_PAGES);
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 0));
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
	KUNIT_CASE(ttm_kmap_iter_linear_io_maps_range),
	KUNIT_CASE(ttm_kmap_iter_linear_io_rejects_system),
	{}
};

static struct kunit_suite ttm_kmap_iter_test_suite = {
	.name = "ttm_kmap_iter",
	.init = ttm_iter_test_init,
	.test_cases = ttm_kmap_iter_test_cases,
};

/* ttm_move_memcpy(): every page of the source lands at the same page of the destination. */
static void ttm_move_memcpy_tt_to_iomem(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_tt *tt = ttm_iter_tt(test, 0, true);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_kmap_iter *dst = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	ttm_iter_tt_fill(test, tt, 50);
	ttm_move_memcpy(false, ITER_PAGES, dst, ttm_kmap_iter_tt_init(&iter_tt, tt));
	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 50 + i), "page %u", i);
	}
}

static void ttm_move_memcpy_iomem_to_tt(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_tt *tt = ttm_iter_tt(test, 0, true);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_kmap_iter *src = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		ttm_iter_map_fill(test, &map, 60 + i);
	}
	ttm_iter_tt_fill(test, tt, 160);
	ttm_move_memcpy(false, ITER_PAGES, ttm_kmap_iter_tt_init(&iter_tt, tt), src);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_tt_page_has(test, tt, i, 60 + i),
				      "page %u", i);
}

static void ttm_move_memcpy_iomem_to_iomem(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *dst = ttm_iter_iomap(test, bar, &iter_io);
	struct ttm_kmap_iter *src = ttm_iter_linear(test, bar);
	struct iosys_map map;
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ITER_LINEAR_FIRST + i);
		ttm_iter_map_fill(test, &map, 70 + i);
	}
	ttm_move_memcpy(false, ITER_PAGES, dst, src);
	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 70 + i), "page %u", i);
		map = ttm_iter_bar_page(bar, ITER_LINEAR_FIRST + i);
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 70 + i),
				      "source page %u", i);
	}
}

/*
 * Both sides map a tt: in TTM that is the same ttm_tt moving between two
 * placements that share its pages, so ttm_move_memcpy() neither copies
 * nor clears.
 */
static void ttm_move_memcpy_tt_to_tt_is_nop(struct kunit *test)
{
	struct ttm_tt *src_tt = ttm_iter_tt(test, 0, true);
	struct ttm_tt *dst_tt = ttm_iter_tt(test, 0, true);
	struct ttm_kmap_iter_tt src_iter, dst_iter;
	struct ttm_kmap_iter *dst, *src;
	unsigned int i;

	ttm_iter_tt_fill(test, src_tt, 80);
	ttm_iter_tt_fill(test, dst_tt, 180);
	dst = ttm_kmap_iter_tt_init(&dst_iter, dst_tt);
	src = ttm_kmap_iter_tt_init(&src_iter, src_tt);
	ttm_move_memcpy(false, ITER_PAGES, dst, src);
	ttm_move_memcpy(true, ITER_PAGES, dst, src);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_tt_page_has(test, dst_tt, i, 180 + i),
				      "page %u", i);
}

/*
 * @clear: zero the destination instead of copying; the source is not
 * read.  TTM passes a tt iterator without a tt for a source that has none.
 */
static void ttm_move_memcpy_clear_iomem(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_kmap_iter *dst = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	for (i = 0; i < ITER_BAR_PAGES; i++) {
		map = ttm_iter_bar_page(bar, i);
		ttm_iter_map_fill(test, &map, 90 + i);
	}
	ttm_move_memcpy(true, ITER_PAGES, dst, ttm_kmap_iter_tt_init(&iter_tt, NULL));
	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 0), "page %u", i);
	}
	map = ttm_iter_bar_page(bar, 1);
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 90 + 1));
}

static void ttm_move_memcpy_clear_tt(struct kunit *test)
{
	struct ttm_iter_bar *bar = ttm_iter_bar_get(test);
	struct ttm_tt *tt = ttm_iter_tt(test, 0, true);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter_tt dst_iter;
	struct ttm_kmap_iter *src = ttm_iter_iomap(test, bar, &iter_io);
	struct iosys_map map;
	unsigned int i;

	for (i = 0; i < ITER_PAGES; i++) {
		map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(i));
		ttm_iter_map_fill(test, &map, 200 + i);
	}
	ttm_iter_tt_fill(test, tt, 100);
	ttm_move_memcpy(true, ITER_PAGES, ttm_kmap_iter_tt_init(&dst_iter, tt), src);
	for (i = 0; i < ITER_PAGES; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_tt_page_has(test, tt, i, 0), "page %u", i);
	map = ttm_iter_bar_page(bar, ttm_iter_iomap_page(0));
	KUNIT_EXPECT_TRUE(test, ttm_iter_map_has(test, &map, 200));
}

/*
 * ttm_bo_move_memcpy() from an unpopulated tt to device memory: there is
 * nothing to copy, so the destination is cleared, and only if the tt asks
 * for zeroed pages (TTM_TT_FLAG_ZERO_ALLOC).  Device memory here is a mock
 * manager whose resources the driver places in the BAR.
 */
struct ttm_iter_bo_dev {
	struct ttm_device bdev;
	struct ttm_device_funcs funcs;
	struct ttm_iter_bar *bar;
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
	res->bus.offset = dev->bar->mem->base +
			  ((resource_size_t)ttm_iter_vram_page(res) << PAGE_SHIFT);
	res->bus.is_iomem = true;
	res->bus.caching = ttm_write_combined;
	return 0;
}

/* The move destroys the tt: free its page array too. */
static void ttm_iter_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static void ttm_iter_bo_dev_fini(void *data)
{
	struct ttm_iter_bo_dev *dev = data;

	ttm_mock_manager_fini(&dev->bdev, TTM_PL_VRAM);
	ttm_device_fini(&dev->bdev);
}

static void ttm_iter_bo_move_unpopulated(struct kunit *test, u32 page_flags)
{
	static const struct ttm_place sys_place = { .mem_type = TTM_PL_SYSTEM };
	static const struct ttm_place vram_place = {
		.mem_type = TTM_PL_VRAM,
		.flags = TTM_PL_FLAG_CONTIGUOUS,
	};
	struct ttm_test_devices *devs = test->priv, bo_devs;
	struct ttm_operation_ctx ctx = { };
	struct ttm_iter_bo_dev *dev;
	struct ttm_buffer_object *bo;
	struct ttm_resource *dst;
	struct iosys_map map;
	struct ttm_tt *tt;
	unsigned int i;
	int err, err_dst = 0;

	dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->bar = ttm_iter_bar_get(test);
	for (i = 0; i < ITER_BAR_PAGES; i++) {
		map = ttm_iter_bar_page(dev->bar, i);
		ttm_iter_map_fill(test, &map, 110 + i);
	}

	dev->funcs = ttm_dev_funcs;
	dev->funcs.io_mem_reserve = ttm_iter_io_mem_reserve;
	dev->funcs.ttm_tt_destroy = ttm_iter_tt_destroy;
	err = ttm_device_init(&dev->bdev, &dev->funcs, devs->drm->dev,
			      devs->drm->anon_inode->i_mapping,
			      devs->drm->vma_offset_manager, false, false);
	KUNIT_ASSERT_EQ(test, err, 0);
	err = ttm_mock_manager_init(&dev->bdev, TTM_PL_VRAM, ITER_BAR_PAGES * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, err, 0);
	/* Device memory: not backed by a tt. */
	ttm_manager_type(&dev->bdev, TTM_PL_VRAM)->use_tt = false;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_iter_bo_dev_fini, dev), 0);

	bo_devs = *devs;
	bo_devs.ttm_dev = &dev->bdev;
	bo = ttm_bo_kunit_init(test, &bo_devs, 4 * PAGE_SIZE, NULL);
	tt = kzalloc(sizeof(*tt), GFP_KERNEL);	/* the move destroys it */
	KUNIT_ASSERT_NOT_NULL(test, tt);
	KUNIT_ASSERT_EQ(test, ttm_tt_init(tt, bo, page_flags, ttm_cached, 0), 0);
	bo->ttm = tt;

	/* No KUnit assertion under the reservation: a failing one would exit holding it. */
	dma_resv_lock(bo->base.resv, NULL);
	err = ttm_resource_alloc(bo, &sys_place, &bo->resource);
	if (!err) {
		err_dst = ttm_resource_alloc(bo, &vram_place, &dst);
		if (!err_dst)
			err = ttm_bo_move_memcpy(bo, &ctx, dst);
	}
	dma_resv_unlock(bo->base.resv);

	KUNIT_ASSERT_EQ(test, err_dst, 0);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_PTR_EQ(test, bo->resource, dst);
	/* Moving to memory without a tt destroyed the tt. */
	KUNIT_EXPECT_NULL(test, bo->ttm);
	for (i = 0; i < 4; i++) {
		unsigned int page = ttm_iter_vram_page(dst) + i;

		map = ttm_iter_bar_page(dev->bar, page);
		if (page_flags & TTM_TT_FLAG_ZERO_ALLOC)
			KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 0),
					      "BAR page %u", page);
		else
			KUNIT_EXPECT_TRUE_MSG(test, ttm_iter_map_has(test, &map, 110 + page),
					      "BAR page %u", page);
	}

	if (bo->ttm) {
		ttm_tt_fini(bo->ttm);
		kfree(bo->ttm);
		bo->ttm = NULL;
	}
	ttm_resource_free(bo, &bo->resource);
	dummy_ttm_bo_destroy(bo);
}

static void ttm_move_memcpy_unpopulated_zero_alloc_clears(struct kunit *test)
{
	ttm_iter_bo_move_unpopulated(test, TTM_TT_FLAG_ZERO_ALLOC);
}

static void ttm_move_memcpy_unpopulated_leaves_contents(struct kunit *test)
{
	ttm_iter_bo_move_unpopulated(test, 0);
}

static struct kunit_case ttm_move_memcpy_test_cases[] = {
	KUNIT_CASE(ttm_move_memcpy_tt_to_iomem),
	KUNIT_CASE(ttm_move_memcpy_iomem_to_tt),
	KUNIT_CASE(ttm_move_memcpy_iomem_to_iomem),
	KUNIT_CASE(ttm_move_memcpy_tt_to_tt_is_nop),
	KUNIT_CASE(ttm_move_memcpy_clear_iomem),
	KUNIT_CASE(ttm_move_memcpy_clear_tt),
	KUNIT_CASE(ttm_move_memcpy_unpopulated_zero_alloc_clears),
	KUNIT_CASE(ttm_move_memcpy_unpopulated_leaves_contents),
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
