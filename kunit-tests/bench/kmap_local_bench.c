// SPDX-License-Identifier: GPL-2.0
/*
 * Path lengths of the temporary mapping APIs, for `make bench`.
 *
 * Not part of the series: kunit-tests/bench.py copies this file unchanged
 * into the base tree and into the series tree (as mm/kmap_local_bench.c,
 * built with CONFIG_KUNIT), so that both kernels run the same code, and
 * boots them under QEMU with "-icount shift=0,sleep=off".  Guest time then
 * advances one nanosecond per instruction, so a ktime_get_ns() delta is a
 * path length: the same from boot to boot and machine to machine, and no
 * measure of time on hardware.
 *
 * Each figure is the shortest of BENCH_REPS runs of a loop of @ops
 * operations, less the shortest of an empty loop of as many iterations
 * (a run an interrupt or a preemption lands in is longer, never shorter),
 * printed as
 *
 *	kmap_bench: NAME OPS INSTRUCTIONS
 *
 * Only upstream interfaces are used, those the base has too: the PCI
 * memory is QEMU's bochs-display BAR 0 (RAM-backed), found by ID, and
 * TTM's iterators are run over a hand-made ttm_tt and resource.
 */
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/io-mapping.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <drm/drm_cache.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#define BENCH_REPS	7
/* At least this many operations per run. */
#define BENCH_MIN_OPS	1024
/* The longest stream: four times i386's kmap() pool, eight times arm's. */
#define BENCH_PAGES	4096
#define BENCH_TTM_PAGES	64

/* Consume @x without a store. */
static __always_inline void bench_use(unsigned long x)
{
	asm volatile("" : : "r" (x));
}

/*
 * The shortest of BENCH_REPS runs of a loop of @ops iterations of @body
 * (which sees the iteration as "i"), in guest nanoseconds.
 */
#define bench_loop(ops, body)						\
({									\
	u64 __best = U64_MAX;						\
	int __r;							\
									\
	for (__r = 0; __r < BENCH_REPS; __r++) {			\
		unsigned int i, __n = (ops);				\
		u64 __t = ktime_get_ns();				\
									\
		for (i = 0; i < __n; i++) {				\
			body;						\
		}							\
		__t = ktime_get_ns() - __t;				\
		__best = min(__best, __t);				\
	}								\
	__best;								\
})

static u64 bench_net(u64 loop, unsigned int ops)
{
	u64 empty = bench_loop(ops, barrier());

	return loop > empty ? loop - empty : 0;
}

/*
 * Zero is a figure too: without highmem, or where io_mapping maps the
 * whole range at init (64-bit, arm), a "mapping" is an addition the
 * compiler may fold into the loop's own.
 */
static void bench_report(const char *name, unsigned int ops, u64 loop)
{
	pr_info("kmap_bench: %s %u %llu\n", name, ops, bench_net(loop, ops));
}

static unsigned long bench_read(const void *addr)
{
	return READ_ONCE(*(const unsigned long *)addr);
}

/*
 * pages[i], reloaded every time: where a mapping is page_address() inline
 * (lowmem, no highmem) the compiler must not compute it once for the
 * whole loop.
 */
static __always_inline struct page *bench_page(struct page **pages, unsigned int i)
{
	struct page *page = READ_ONCE(pages[i]);

	OPTIMIZER_HIDE_VAR(page);
	return page;
}

/* Pages for the mapping figures: BENCH_PAGES of highmem and of lowmem. */
static struct page **bench_high, **bench_low;

static void bench_free_pages(struct page **pages)
{
	int i;

	if (!pages)
		return;
	for (i = 0; i < BENCH_PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
	kfree(pages);
}

static struct page **bench_alloc_pages(gfp_t gfp)
{
	struct page **pages;
	int i;

	pages = kcalloc(BENCH_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < BENCH_PAGES; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i] || PageHighMem(pages[i]) != !!(gfp & __GFP_HIGHMEM)) {
			bench_free_pages(pages);
			return NULL;
		}
		/* What the round trips read: the page's index. */
		memcpy_to_page(pages[i], 0, (char *)&(unsigned long){ i }, sizeof(unsigned long));
	}
	return pages;
}

static int kmap_bench_suite_init(struct kunit_suite *suite)
{
	pr_info("kmap_bench: info KM_MAX_IDX=%d DEBUG_KMAP_LOCAL=%d HIGHMEM=%d FORCE_MAP=%d\n",
		KM_MAX_IDX, IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL), IS_ENABLED(CONFIG_HIGHMEM),
		IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP));
#ifdef CONFIG_HIGHMEM
	pr_info("kmap_bench: info LAST_PKMAP=%d\n", LAST_PKMAP);
#endif
	bench_low = bench_alloc_pages(GFP_KERNEL);
	if (!bench_low)
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_HIGHMEM)) {
		bench_high = bench_alloc_pages(GFP_HIGHUSER);
		if (!bench_high) {
			/* suite_exit() is not called when suite_init() fails. */
			bench_free_pages(bench_low);
			bench_low = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void kmap_bench_suite_exit(struct kunit_suite *suite)
{
	bench_free_pages(bench_high);
	bench_free_pages(bench_low);
	bench_high = NULL;
	bench_low = NULL;
}

enum bench_api { BENCH_KMAP_LOCAL, BENCH_KMAP_ATOMIC, BENCH_KMAP };

static const char *const bench_api_name[] = {
	[BENCH_KMAP_LOCAL] = "kmap_local_page",
	[BENCH_KMAP_ATOMIC] = "kmap_atomic",
	[BENCH_KMAP] = "kmap",
};

struct roundtrip_param {
	enum bench_api api;
	bool high;
	unsigned int pages;	/* 1: the same page each time */
};

/*
 * Every API on highmem for 1, 2, 4 ... BENCH_PAGES pages cycled through,
 * and on lowmem for 1 and BENCH_PAGES; no highmem rows without
 * CONFIG_HIGHMEM.
 */
static const void *roundtrip_gen_params(const void *prev, char *desc)
{
	static struct roundtrip_param p;
	const struct roundtrip_param *last = prev;

	if (!last) {
		p = (struct roundtrip_param){
			.api = 0, .high = IS_ENABLED(CONFIG_HIGHMEM), .pages = 1,
		};
	} else if (p.pages < BENCH_PAGES) {
		p.pages = p.high ? p.pages * 2 : BENCH_PAGES;
	} else if (p.high) {
		p.high = false;
		p.pages = 1;
	} else if (p.api < BENCH_KMAP) {
		p.api++;
		p.high = IS_ENABLED(CONFIG_HIGHMEM);
		p.pages = 1;
	} else {
		return NULL;
	}
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s/%s/pages=%u", bench_api_name[p.api],
		 p.high ? "highmem" : "lowmem", p.pages);
	return &p;
}

/*
 * One map, read of a word, unmap, over @pages pages in turn: the path of
 * the API itself when the same page is mapped each time, and what kmap()'s
 * pool costs once more pages pass through it than it holds.
 */
static void kmap_bench_roundtrip(struct kunit *test)
{
	const struct roundtrip_param *p = test->param_value;
	struct page **pages = p->high ? bench_high : bench_low;
	unsigned int mask = p->pages - 1;
	/*
	 * kmap(): four passes over the stream at least, so that how far the
	 * pool happens to be from wrapping when a run starts changes the
	 * figure by a quarter of a flush at most.  The others: one pass,
	 * short enough (under a million instructions) that most runs see no
	 * timer interrupt.
	 */
	unsigned int ops = max((p->api == BENCH_KMAP ? 4 : 1) * p->pages, BENCH_MIN_OPS);
	struct page *page;
	char name[64];
	u64 loop;
	void *v;

	switch (p->api) {
	case BENCH_KMAP_LOCAL:
		loop = bench_loop(ops, {
			page = bench_page(pages, i & mask);
			v = kmap_local_page(page);
			bench_use(bench_read(v));
			kunmap_local(v);
		});
		break;
	case BENCH_KMAP_ATOMIC:
		loop = bench_loop(ops, {
			page = bench_page(pages, i & mask);
			v = kmap_atomic(page);
			bench_use(bench_read(v));
			kunmap_atomic(v);
		});
		break;
	default:
		loop = bench_loop(ops, {
			page = bench_page(pages, i & mask);
			v = kmap(page);
			bench_use(bench_read(v));
			kunmap(page);
		});
		break;
	}
	/* The mappings were of the right pages. */
	v = kmap_local_page(pages[mask]);
	KUNIT_EXPECT_EQ(test, bench_read(v), mask);
	kunmap_local(v);
	snprintf(name, sizeof(name), "roundtrip/%s/%s/pages=%u", bench_api_name[p->api],
		 p->high ? "highmem" : "lowmem", p->pages);
	bench_report(name, ops, loop);
}

/* The deepest nesting both the base and the series allow. */
#define BENCH_KM_INCR		(IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL) ? 2 : 1)
#define BENCH_MAX_DEPTH		((KM_MAX_IDX - 1) / BENCH_KM_INCR - 1)

static const void *nested_gen_params(const void *prev, char *desc)
{
	static unsigned int depth;

	depth = prev ? depth + 1 : 1;
	if (depth > BENCH_MAX_DEPTH)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "depth=%u", depth);
	return &depth;
}

/* @depth nested kmap_local_page() mappings, read, undone in reverse. */
static void kmap_bench_nested(struct kunit *test)
{
	unsigned int depth = *(const unsigned int *)test->param_value;
	struct page **pages = bench_high ?: bench_low;
	void *v[KM_MAX_IDX];
	char name[32];
	unsigned int d;
	u64 loop;

	loop = bench_loop(BENCH_MIN_OPS, {
		for (d = 0; d < depth; d++)
			v[d] = kmap_local_page(bench_page(pages, d));
		for (d = 0; d < depth; d++)
			bench_use(bench_read(v[d]));
		for (d = depth; d-- > 0;)
			kunmap_local(v[d]);
	});
	for (d = 0; d < depth; d++) {
		v[d] = kmap_local_page(pages[d]);
		KUNIT_EXPECT_EQ(test, bench_read(v[d]), d);
	}
	for (d = depth; d-- > 0;)
		kunmap_local(v[d]);
	snprintf(name, sizeof(name), "nested/depth=%u", depth);
	bench_report(name, BENCH_MIN_OPS, loop);
}

/*
 * Two mappings undone in order, then in the wrong order: what a misuse
 * costs.  The base warns once and pops the top slot whatever the
 * address; the series unmaps the slot named (and, with
 * DEBUG_KMAP_LOCAL, reports, rate limited).  Either way both slots are
 * free again after each pair, unless the task is switched out between
 * the two unmaps: the base's context switch then maps the slot the first
 * unmap cleared again, and the next map into it BUG()s (what the
 * series' 04/3 fixes).  So each pair runs with preemption disabled.
 */
static void kmap_bench_unmap_order(struct kunit *test)
{
	struct page **pages = bench_high ?: bench_low;
	void *a, *b;
	u64 loop;

	loop = bench_loop(BENCH_MIN_OPS, {
		preempt_disable();
		a = kmap_local_page(bench_page(pages, 0));
		b = kmap_local_page(bench_page(pages, 1));
		bench_use(bench_read(a) + bench_read(b));
		kunmap_local(b);
		kunmap_local(a);
		preempt_enable();
	});
	bench_report("unmap_order/in_order", BENCH_MIN_OPS, loop);

	pr_info("kunit-expected-report-begin\n");
	loop = bench_loop(BENCH_MIN_OPS, {
		preempt_disable();
		a = kmap_local_page(bench_page(pages, 0));
		b = kmap_local_page(bench_page(pages, 1));
		bench_use(bench_read(a) + bench_read(b));
		kunmap_local(a);
		kunmap_local(b);
		preempt_enable();
	});
	pr_info("kunit-expected-report-end\n");
	bench_report("unmap_order/out_of_order", BENCH_MIN_OPS, loop);

	a = kmap_local_page(pages[1]);
	KUNIT_EXPECT_EQ(test, bench_read(a), 1);
	kunmap_local(a);
}

static struct kunit_case kmap_bench_cases[] = {
	KUNIT_CASE_PARAM(kmap_bench_roundtrip, roundtrip_gen_params),
	KUNIT_CASE_PARAM(kmap_bench_nested, nested_gen_params),
	KUNIT_CASE(kmap_bench_unmap_order),
	{}
};

static struct kunit_suite kmap_bench_suite = {
	.name = "kmap_bench",
	.suite_init = kmap_bench_suite_init,
	.suite_exit = kmap_bench_suite_exit,
	.test_cases = kmap_bench_cases,
};

/*
 * QEMU's bochs-display (1234:1111, class 0x0380): BAR 0 is RAM-backed
 * VRAM.  Both windows below lie in it.
 */
static struct pci_dev *bench_pdev;
static resource_size_t bench_bar;

#define BENCH_IO_WINDOW	SZ_1M

/* suite_init of the suites that use the BAR. */
static int bench_pci_init(struct kunit_suite *suite)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(0x1234, 0x1111, pdev))) {
		/* Not a device a driver (bochs-drm) owns. */
		if (pdev->class >> 8 != PCI_CLASS_DISPLAY_OTHER || pdev->driver ||
		    pci_resource_len(pdev, 0) < 2 * BENCH_IO_WINDOW ||
		    pci_enable_device_mem(pdev))
			continue;
		if (pci_request_region(pdev, 0, "kmap_bench")) {
			pci_disable_device(pdev);
			continue;
		}
		bench_pdev = pdev;
		bench_bar = pci_resource_start(pdev, 0);
		return 0;
	}
	pr_err("kmap_bench: no bochs-display (QEMU -device bochs-display,romfile=)\n");
	return -ENODEV;
}

static void bench_pci_exit(struct kunit_suite *suite)
{
	if (bench_pdev) {
		pci_release_region(bench_pdev, 0);
		pci_disable_device(bench_pdev);
		pci_dev_put(bench_pdev);
	}
	bench_pdev = NULL;
}

enum bench_io_api { BENCH_IO_LOCAL, BENCH_IO_ATOMIC, BENCH_IO_WC };

static const char *const bench_io_name[] = {
	[BENCH_IO_LOCAL] = "io_mapping_map_local_wc",
	[BENCH_IO_ATOMIC] = "io_mapping_map_atomic_wc",
	[BENCH_IO_WC] = "io_mapping_map_wc",
};

static const enum bench_io_api bench_io_apis[] = { BENCH_IO_LOCAL, BENCH_IO_ATOMIC, BENCH_IO_WC };

static void bench_io_desc(const enum bench_io_api *api, char *desc)
{
	strscpy(desc, bench_io_name[*api], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bench_io, bench_io_apis, bench_io_desc);

/* The io_mapping, reloaded every time, as bench_page() does the page. */
static __always_inline struct io_mapping *bench_iomap(struct io_mapping *iomap)
{
	OPTIMIZER_HIDE_VAR(iomap);
	return iomap;
}

/* One map of a page of the BAR, readl(), unmap. */
static void io_mapping_bench_roundtrip(struct kunit *test)
{
	enum bench_io_api api = *(const enum bench_io_api *)test->param_value;
	struct io_mapping iomap;
	void __iomem *v;
	char name[64];
	u64 loop;

	KUNIT_ASSERT_NOT_NULL(test, io_mapping_init_wc(&iomap, bench_bar, BENCH_IO_WINDOW));
	v = io_mapping_map_wc(&iomap, PAGE_SIZE, PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v);
	writel(0x6b6d6170, v);
	io_mapping_unmap(v);

	switch (api) {
	case BENCH_IO_LOCAL:
		loop = bench_loop(BENCH_MIN_OPS, {
			v = io_mapping_map_local_wc(bench_iomap(&iomap), PAGE_SIZE);
			bench_use(readl(v));
			io_mapping_unmap_local(v);
		});
		break;
	case BENCH_IO_ATOMIC:
		loop = bench_loop(BENCH_MIN_OPS, {
			v = io_mapping_map_atomic_wc(bench_iomap(&iomap), PAGE_SIZE);
			bench_use(readl(v));
			io_mapping_unmap_atomic(v);
		});
		break;
	default:
		loop = bench_loop(BENCH_MIN_OPS, {
			v = io_mapping_map_wc(bench_iomap(&iomap), PAGE_SIZE, PAGE_SIZE);
			bench_use(readl(v));
			io_mapping_unmap(v);
		});
		break;
	}
	v = io_mapping_map_local_wc(&iomap, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, readl(v), 0x6b6d6170);
	io_mapping_unmap_local(v);
	io_mapping_fini(&iomap);
	snprintf(name, sizeof(name), "io_mapping/%s", bench_io_name[api]);
	bench_report(name, BENCH_MIN_OPS, loop);
}

static struct kunit_case io_mapping_bench_cases[] = {
	KUNIT_CASE_PARAM(io_mapping_bench_roundtrip, bench_io_gen_params),
	{}
};

static struct kunit_suite io_mapping_bench_suite = {
	.name = "io_mapping_bench",
	.suite_init = bench_pci_init,
	.suite_exit = bench_pci_exit,
	.test_cases = io_mapping_bench_cases,
};

/*
 * ttm_move_memcpy() over BENCH_TTM_PAGES pages, between a ttm_tt of
 * highmem pages (lowmem without CONFIG_HIGHMEM), mapped page by page with
 * kmap_local_page_prot(), and write-combined windows of the BAR (TTM's
 * linear io iterator, one ioremap_wc() at init), against one
 * drm_memcpy_from_wc() of the same bytes, the copy ttm_move_memcpy() makes
 * page by page, between memory mapped beforehand: a contiguous lowmem
 * buffer and the same windows.
 */
struct ttm_bench_side {
	bool io;
	struct page **pages;		/* tt: the ttm_tt's pages */
	struct ttm_tt tt;
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_resource mem;	/* io: the window */
	struct ttm_kmap_iter_linear_io iter_io;
	struct iosys_map whole;		/* the reference copy's mapping */
	struct page *buf;
};

static const struct ttm_device_funcs ttm_bench_funcs;
static struct ttm_device ttm_bench_bdev = { .funcs = &ttm_bench_funcs };

static void ttm_bench_side_fini(void *data)
{
	struct ttm_bench_side *s = data;
	int i;

	if (s->io) {
		if (s->mem.bus.offset)
			ttm_kmap_iter_linear_io_fini(&s->iter_io, &ttm_bench_bdev, &s->mem);
		return;
	}
	for (i = 0; s->pages && i < BENCH_TTM_PAGES; i++)
		if (s->pages[i])
			__free_page(s->pages[i]);
	kfree(s->pages);
	if (s->buf)
		__free_pages(s->buf, get_order(BENCH_TTM_PAGES * PAGE_SIZE));
}

static struct ttm_kmap_iter *ttm_bench_side_init(struct kunit *test, struct ttm_bench_side *s,
						 bool io, resource_size_t offset)
{
	struct ttm_kmap_iter *iter;
	int i;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_bench_side_fini, s), 0);
	s->io = io;
	if (io) {
		s->mem.size = BENCH_TTM_PAGES * PAGE_SIZE;
		s->mem.bus.offset = bench_bar + offset;
		s->mem.bus.is_iomem = true;
		s->mem.bus.caching = ttm_write_combined;
		iter = ttm_kmap_iter_linear_io_init(&s->iter_io, &ttm_bench_bdev, &s->mem);
		KUNIT_ASSERT_FALSE(test, IS_ERR(iter));
		s->whole = s->iter_io.dmap;
		return iter;
	}
	s->pages = kcalloc(BENCH_TTM_PAGES, sizeof(*s->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->pages);
	for (i = 0; i < BENCH_TTM_PAGES; i++) {
		s->pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, s->pages[i]);
		KUNIT_ASSERT_EQ(test, PageHighMem(s->pages[i]), IS_ENABLED(CONFIG_HIGHMEM));
	}
	s->tt.pages = s->pages;
	s->tt.num_pages = BENCH_TTM_PAGES;
	s->tt.caching = ttm_cached;
	s->buf = alloc_pages(GFP_KERNEL, get_order(BENCH_TTM_PAGES * PAGE_SIZE));
	KUNIT_ASSERT_NOT_NULL(test, s->buf);
	iosys_map_set_vaddr(&s->whole, page_address(s->buf));
	return ttm_kmap_iter_tt_init(&s->iter_tt, &s->tt);
}

/* Write @val to, or read, the first word of page @i of @s. */
static unsigned long ttm_bench_word(struct ttm_bench_side *s, int i, bool write,
				    unsigned long val)
{
	void __iomem *io;

	if (s->io) {
		io = s->whole.vaddr_iomem + i * PAGE_SIZE;
		if (write)
			writel(val, io);
		return readl(io);
	}
	if (write)
		memcpy_to_page(s->pages[i], 0, (char *)&val, sizeof(val));
	else
		memcpy_from_page((char *)&val, s->pages[i], 0, sizeof(val));
	return val;
}

struct ttm_bench_param {
	bool dst_io, src_io;
	const char *name;
};

static const struct ttm_bench_param ttm_bench_params[] = {
	{ false, false, "tt_to_tt" },
	{ true, false, "tt_to_iomem" },
	{ false, true, "iomem_to_tt" },
	{ true, true, "iomem_to_iomem" },
};

static void ttm_bench_desc(const struct ttm_bench_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ttm_bench, ttm_bench_params, ttm_bench_desc);

static void ttm_move_memcpy_bench_move(struct kunit *test)
{
	const struct ttm_bench_param *p = test->param_value;
	struct ttm_bench_side *dst, *src;
	struct ttm_kmap_iter *dst_iter, *src_iter;
	char name[64];
	u64 loop;
	int i;

	dst = kunit_kzalloc(test, sizeof(*dst), GFP_KERNEL);
	src = kunit_kzalloc(test, sizeof(*src), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_NOT_NULL(test, src);
	dst_iter = ttm_bench_side_init(test, dst, p->dst_io, 0);
	src_iter = ttm_bench_side_init(test, src, p->src_io, BENCH_IO_WINDOW);

	for (i = 0; i < BENCH_TTM_PAGES; i++)
		ttm_bench_word(src, i, true, i + 1);
	loop = bench_loop(1, ttm_move_memcpy(false, BENCH_TTM_PAGES, dst_iter, src_iter));
	/* tt to tt is no copy: ttm_move_memcpy() returns at once. */
	for (i = 0; i < BENCH_TTM_PAGES && (p->dst_io || p->src_io); i++)
		KUNIT_EXPECT_EQ(test, ttm_bench_word(dst, i, false, 0), i + 1);
	snprintf(name, sizeof(name), "ttm/%s/ttm_move_memcpy", p->name);
	bench_report(name, 1, loop);

	loop = bench_loop(1, drm_memcpy_from_wc(&dst->whole, &src->whole,
						BENCH_TTM_PAGES * PAGE_SIZE));
	snprintf(name, sizeof(name), "ttm/%s/drm_memcpy_from_wc", p->name);
	bench_report(name, 1, loop);
}

static struct kunit_case ttm_move_memcpy_bench_cases[] = {
	KUNIT_CASE_PARAM(ttm_move_memcpy_bench_move, ttm_bench_gen_params),
	{}
};

static struct kunit_suite ttm_move_memcpy_bench_suite = {
	.name = "ttm_move_memcpy_bench",
	.suite_init = bench_pci_init,
	.suite_exit = bench_pci_exit,
	.test_cases = ttm_move_memcpy_bench_cases,
};

kunit_test_suites(&kmap_bench_suite, &io_mapping_bench_suite, &ttm_move_memcpy_bench_suite);

MODULE_DESCRIPTION("Path lengths of the temporary mapping APIs (make bench)");
MODULE_LICENSE("GPL");
