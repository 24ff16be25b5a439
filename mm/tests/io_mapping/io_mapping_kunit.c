// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for io_mapping: write-combined mappings of device memory,
 * one page at a time with io_mapping_map_local_wc() or a range at a time
 * with io_mapping_map_wc(), run on a real PCI memory BAR from
 * pci_iomem_get_kunit() (<kunit/pci.h>).  What the code under test wrote
 * is read back through the helper's reference mapping, an ioremap_wc() of
 * the window made without io_mapping, so that an offset io_mapping got
 * wrong cannot cancel out against itself.
 *
 * On 32-bit x86 (CONFIG_HAVE_ATOMIC_IOMAP) io_mapping_map_local_wc() maps
 * the page through a kmap_local slot of the calling task, so it follows
 * every kmap_local rule: LIFO nesting with kmap_local_page(), mappings that
 * survive a context switch, page faults allowed.  Elsewhere it returns an
 * address inside one ioremap_wc() of the whole window, and the same cases
 * pin down that callers see no difference.
 */

#include <kunit/pci.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/io-mapping.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* Pages of the BAR a test works on. */
#define IOM_PAGES	16

/* A pattern that differs in every word of every page it is seeded for. */
static u32 iom_word(u32 seed, unsigned int i)
{
	return seed * 0x9e3779b1u + i * 0x85ebca6bu + 1;
}

static void iom_fill(void *buf, u32 seed)
{
	u32 *p = buf;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		p[i] = iom_word(seed, i);
}

static void *iom_buf(struct kunit *test)
{
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/* Fill page @idx of the window with pattern @seed through a local map. */
static void iom_write_page(struct kunit *test, struct io_mapping *iomap,
			   unsigned int idx, u32 seed)
{
	void *buf = iom_buf(test);
	void __iomem *io;

	iom_fill(buf, seed);
	io = io_mapping_map_local_wc(iomap, (unsigned long)idx * PAGE_SIZE);
	memcpy_toio(io, buf, PAGE_SIZE);
	io_mapping_unmap_local(io);
	kunit_kfree(test, buf);
}

/*
 * Drain the write-combining buffers filled through one mapping of the
 * window before the same memory is read through another.
 */
static void iom_drain(void)
{
	wmb();	/* orders the WC writes before the reads that follow */
}

/* Copy page @idx of the window into @buf through the reference mapping. */
static void iom_ref_read(struct pci_iomem_kunit *mem, unsigned int idx, void *buf)
{
	iom_drain();
	memcpy_fromio(buf, mem->ref + (unsigned long)idx * PAGE_SIZE, PAGE_SIZE);
}

/* Does page @idx of the window hold pattern @seed?  Read by the reference. */
static bool iom_page_has(struct kunit *test, struct pci_iomem_kunit *mem,
			 unsigned int idx, u32 seed)
{
	void *buf = iom_buf(test), *want = iom_buf(test);
	bool ok;

	iom_fill(want, seed);
	iom_ref_read(mem, idx, buf);
	ok = !memcmp(buf, want, PAGE_SIZE);
	kunit_kfree(test, buf);
	kunit_kfree(test, want);
	return ok;
}

/* Is page @idx of the window all zeroes?  Read by the reference. */
static bool iom_page_is_zero(struct kunit *test, struct pci_iomem_kunit *mem,
			     unsigned int idx)
{
	void *buf = iom_buf(test);
	bool ok;

	iom_ref_read(mem, idx, buf);
	ok = !memchr_inv(buf, 0, PAGE_SIZE);
	kunit_kfree(test, buf);
	return ok;
}

static struct pci_iomem_kunit *iom_get(struct kunit *test)
{
	return pci_iomem_get_kunit(test, IOM_PAGES * PAGE_SIZE);
}

static void iom_fini(void *iomap)
{
	io_mapping_fini(iomap);
}

static void iom_free(void *iomap)
{
	io_mapping_free(iomap);
}

static void init_wc_maps_window(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	struct io_mapping *iomap = kunit_kzalloc(test, sizeof(*iomap), GFP_KERNEL);
	struct io_mapping *ret;

	KUNIT_ASSERT_NOT_NULL(test, iomap);
	ret = io_mapping_init_wc(iomap, mem->base + PAGE_SIZE, 2 * PAGE_SIZE);
	KUNIT_ASSERT_PTR_EQ(test, ret, iomap);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, iom_fini, iomap), 0);
	KUNIT_EXPECT_EQ(test, iomap->base, mem->base + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, iomap->size, 2 * PAGE_SIZE);

	/* Page 0 of the new mapping is page 1 of the window. */
	iom_write_page(test, iomap, 0, 11);
	iom_write_page(test, iomap, 1, 12);
	KUNIT_EXPECT_TRUE(test, iom_page_is_zero(test, mem, 0));
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 1, 11));
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 2, 12));
	KUNIT_EXPECT_TRUE(test, iom_page_is_zero(test, mem, 3));
}

static void create_wc_maps_window(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	struct io_mapping *iomap;

	iomap = io_mapping_create_wc(mem->base + 3 * PAGE_SIZE, PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, iomap);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, iom_free, iomap), 0);
	KUNIT_EXPECT_EQ(test, iomap->base, mem->base + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, iomap->size, PAGE_SIZE);

	iom_write_page(test, iomap, 0, 13);
	KUNIT_EXPECT_TRUE(test, iom_page_is_zero(test, mem, 2));
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 3, 13));
	KUNIT_EXPECT_TRUE(test, iom_page_is_zero(test, mem, 4));
}

static void map_local_round_trip(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	unsigned int i;

	for (i = 0; i < IOM_PAGES; i++)
		iom_write_page(test, &mem->iomap, i, 100 + i);
	/* Read back in the other order: each page kept its own pattern. */
	for (i = IOM_PAGES; i-- > 0; )
		KUNIT_EXPECT_TRUE_MSG(test, iom_page_has(test, mem, i, 100 + i),
				      "page %u", i);
}

/*
 * Write the first and last byte of every page through a local map of that
 * page, and unaligned runs that end at and start from a page boundary;
 * read them back through the reference mapping of the whole window.
 */
static void map_local_page_edges(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	static const u8 run[13] = "edge-of-page";
	void __iomem *io, *all = mem->ref;
	u8 got[sizeof(run)];
	unsigned int i;

	/* The fixture hands the window out cleared. */

	for (i = 0; i < IOM_PAGES; i++) {
		io = io_mapping_map_local_wc(&mem->iomap, i * PAGE_SIZE);
		writeb(0x40 + i, io);
		writeb(0x80 + i, io + PAGE_SIZE - 1);
		io_mapping_unmap_local(io);
	}
	iom_drain();
	for (i = 0; i < IOM_PAGES; i++) {
		KUNIT_EXPECT_EQ_MSG(test, readb(all + i * PAGE_SIZE), 0x40 + i,
				    "first byte of page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, readb(all + i * PAGE_SIZE + 1), 0,
				    "second byte of page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, readb(all + (i + 1) * PAGE_SIZE - 2), 0,
				    "last but one byte of page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, readb(all + (i + 1) * PAGE_SIZE - 1), 0x80 + i,
				    "last byte of page %u", i);
	}

	/* Page 2 ends with the run, page 3 starts with it. */
	io = io_mapping_map_local_wc(&mem->iomap, 2 * PAGE_SIZE);
	memcpy_toio(io + PAGE_SIZE - sizeof(run), run, sizeof(run));
	io_mapping_unmap_local(io);
	io = io_mapping_map_local_wc(&mem->iomap, 3 * PAGE_SIZE);
	memcpy_toio(io, run, sizeof(run));
	io_mapping_unmap_local(io);
	iom_drain();

	memcpy_fromio(got, all + 3 * PAGE_SIZE - sizeof(run), sizeof(run));
	KUNIT_EXPECT_MEMEQ(test, got, run, sizeof(run));
	memcpy_fromio(got, all + 3 * PAGE_SIZE, sizeof(run));
	KUNIT_EXPECT_MEMEQ(test, got, run, sizeof(run));
	/* Neither run spilled onto the byte next to it. */
	KUNIT_EXPECT_EQ(test, readb(all + 3 * PAGE_SIZE - sizeof(run) - 1), 0);
	KUNIT_EXPECT_EQ(test, readb(all + 3 * PAGE_SIZE + sizeof(run)), 0);

	/* And a local map reads what was written through the reference. */
	memcpy_toio(all + 4 * PAGE_SIZE + 1, run, sizeof(run));
	iom_drain();
	io = io_mapping_map_local_wc(&mem->iomap, 4 * PAGE_SIZE);
	memcpy_fromio(got, io + 1, sizeof(run));
	io_mapping_unmap_local(io);
	KUNIT_EXPECT_MEMEQ(test, got, run, sizeof(run));
}

/*
 * io_mapping_map_wc() maps a range of pages at once: write it in one go,
 * read it back page by page through the reference, and check that the
 * pages around it were left alone.
 */
static void map_wc_multi_page(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	const unsigned int first = 5, nr = 4;
	void __iomem *io;
	unsigned int i;
	void *buf;

	buf = kunit_kmalloc(test, nr * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* The neighbours, through the reference. */
	iom_fill(buf, 200);
	memcpy_toio(mem->ref + (first - 1) * PAGE_SIZE, buf, PAGE_SIZE);
	iom_fill(buf, 201);
	memcpy_toio(mem->ref + (first + nr) * PAGE_SIZE, buf, PAGE_SIZE);
	iom_drain();
	for (i = 0; i < nr; i++)
		iom_fill(buf + i * PAGE_SIZE, 300 + i);
	io = io_mapping_map_wc(&mem->iomap, first * PAGE_SIZE, nr * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, (void __force *)io);
	memcpy_toio(io, buf, nr * PAGE_SIZE);
	io_mapping_unmap(io);

	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test, iom_page_has(test, mem, first + i, 300 + i),
				      "page %u", first + i);
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, first - 1, 200));
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, first + nr, 201));
}

static void iom_free_page(void *page)
{
	__free_page(page);
}

/*
 * A page kmap_local_page() maps through a slot where the kernel has any:
 * with CONFIG_HIGHMEM a highmem page, checked (skipped on a kernel without
 * highmem), with DEBUG_KMAP_LOCAL_FORCE_MAP any page.
 */
static struct page *iom_alloc_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_HIGHUSER);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, iom_free_page, page), 0);
	if (IS_ENABLED(CONFIG_HIGHMEM) && !totalhigh_pages())
		kunit_skip(test, "no highmem: kmap_local_page() would not use a slot");
	if (IS_ENABLED(CONFIG_HIGHMEM))
		KUNIT_ASSERT_TRUE(test, PageHighMem(page));
	return page;
}

/*
 * An io page and a RAM page mapped at the same time, in either order, and
 * unmapped in the reverse order: copy one into the other both ways.
 */
static void iom_nest(struct kunit *test, bool io_first)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	struct page *page = iom_alloc_page(test);
	void __iomem *io;
	void *addr, *want = iom_buf(test);

	if (io_first) {
		io = io_mapping_map_local_wc(&mem->iomap, 6 * PAGE_SIZE);
		addr = kmap_local_page(page);
	} else {
		addr = kmap_local_page(page);
		io = io_mapping_map_local_wc(&mem->iomap, 6 * PAGE_SIZE);
	}
	KUNIT_EXPECT_PTR_NE(test, (void __force *)io, addr);

	iom_fill(addr, 400);
	memcpy_toio(io, addr, PAGE_SIZE);
	memset(addr, 0, PAGE_SIZE);
	memcpy_fromio(addr, io, PAGE_SIZE);
	iom_fill(want, 400);
	KUNIT_EXPECT_MEMEQ(test, addr, want, PAGE_SIZE);

	if (io_first) {
		kunmap_local(addr);
		io_mapping_unmap_local(io);
	} else {
		io_mapping_unmap_local(io);
		kunmap_local(addr);
	}
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 6, 400));
}

static void nest_io_then_kmap_local(struct kunit *test)
{
	iom_nest(test, true);
}

static void nest_kmap_local_then_io(struct kunit *test)
{
	iom_nest(test, false);
}

/*
 * A slot thief: a kthread bound to the CPU of the sleeping test task.  A
 * fresh task starts at slot 0, so on 32-bit x86 its io and page mappings
 * land at the addresses the test task holds.  It reports what it saw; the
 * test checks (no KUnit asserts off the test thread).
 */
struct iom_thief {
	struct io_mapping *iomap;
	struct page *page;
	void __iomem *io;
	void *addr;
	bool ok;
	struct completion done;
};

static int iom_thief_fn(void *data)
{
	struct iom_thief *t = data;
	u32 *p;

	t->io = io_mapping_map_local_wc(t->iomap, 9 * PAGE_SIZE);
	t->addr = kmap_local_page(t->page);
	iom_fill(t->addr, 501);
	memcpy_toio(t->io, t->addr, PAGE_SIZE);
	p = t->addr;
	iom_drain();
	t->ok = readl(t->io + 8) == p[2];
	kunmap_local(t->addr);
	io_mapping_unmap_local(t->io);

	complete(&t->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/*
 * Hold an io mapping and a page mapping across a sleep while a thief on
 * the same CPU maps other pages at the same slots: both mappings still
 * reach their own page afterwards.
 */
static void mapping_survives_slot_thief(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	struct iom_thief *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct page *page = iom_alloc_page(test);
	struct task_struct *tsk;
	void *addr, *want = iom_buf(test);
	void __iomem *io;
	unsigned long left;

	KUNIT_ASSERT_NOT_NULL(test, t);
	if (!IS_ENABLED(CONFIG_HAVE_ATOMIC_IOMAP) && !IS_ENABLED(CONFIG_HIGHMEM) &&
	    !IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP))
		kunit_skip(test, "neither mapping takes a kmap_local slot here");
	t->iomap = &mem->iomap;
	t->page = iom_alloc_page(test);
	init_completion(&t->done);

	/* Created before mapping: no KUnit assertion while mappings are held. */
	tsk = kthread_create(iom_thief_fn, t, "io_mapping_thief");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));

	io = io_mapping_map_local_wc(&mem->iomap, 8 * PAGE_SIZE);
	addr = kmap_local_page(page);
	iom_fill(addr, 500);
	memcpy_toio(io, addr, PAGE_SIZE);

	kthread_bind(tsk, raw_smp_processor_id());
	wake_up_process(tsk);
	left = wait_for_completion_timeout(&t->done, 30 * HZ);
	kthread_stop(tsk);

	iom_fill(want, 500);
	KUNIT_EXPECT_MEMEQ(test, addr, want, PAGE_SIZE);
	memset(addr, 0, PAGE_SIZE);
	memcpy_fromio(addr, io, PAGE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, addr, want, PAGE_SIZE);
	kunmap_local(addr);
	io_mapping_unmap_local(io);

	KUNIT_ASSERT_NE_MSG(test, left, 0, "slot thief did not run");
	KUNIT_EXPECT_TRUE(test, t->ok);
	/* Where the mappings take slots, the thief took the same ones. */
	if (IS_ENABLED(CONFIG_HAVE_ATOMIC_IOMAP))
		KUNIT_EXPECT_PTR_EQ(test, (void __force *)t->io, (void __force *)io);
	if (IS_ENABLED(CONFIG_HIGHMEM) || IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP))
		KUNIT_EXPECT_PTR_EQ(test, t->addr, addr);
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 8, 500));
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 9, 501));
}

static unsigned long iom_user_page(struct kunit *test)
{
	unsigned long uaddr;

	uaddr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(uaddr), "kunit_vm_mmap: %ld",
			       (long)uaddr);
	return uaddr;
}

/*
 * Copy the untouched user page at @uaddr into the io page through @buf:
 * the copy must fault.  Nothing here may sleep other than the fault.
 */
static unsigned long iom_copy_user_to_io(void __iomem *io, void *buf,
					 unsigned long uaddr)
{
	unsigned long left;

	left = copy_from_user(buf, (void __user *)uaddr, PAGE_SIZE);
	if (!left)
		memcpy_toio(io, buf, PAGE_SIZE);
	return left;
}

static void page_fault_allowed(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	unsigned long left, uaddr = iom_user_page(test);
	void *buf = iom_buf(test);
	void __iomem *io;

	iom_write_page(test, &mem->iomap, 10, 600);
	io = io_mapping_map_local_wc(&mem->iomap, 10 * PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());
	left = iom_copy_user_to_io(io, buf, uaddr);
	io_mapping_unmap_local(io);

	/* The fault was served: the io page now holds the zeroed user page. */
	KUNIT_EXPECT_EQ(test, left, 0);
	KUNIT_EXPECT_TRUE(test, iom_page_is_zero(test, mem, 10));
}

static void atomic_page_fault_short_copy(struct kunit *test)
{
	struct pci_iomem_kunit *mem = iom_get(test);
	unsigned long left, uaddr = iom_user_page(test);
	void *buf = iom_buf(test);
	void __iomem *io;
	bool pf_disabled;

	iom_write_page(test, &mem->iomap, 11, 700);
	/*
	 * io_mapping_map_atomic_wc() is deprecated; this case calls it because
	 * it pins down how it differs from io_mapping_map_local_wc().
	 */
	io = io_mapping_map_atomic_wc(&mem->iomap, 11 * PAGE_SIZE);
	/* No KUnit expectation in here: a failing one allocates. */
	pf_disabled = pagefault_disabled();
	left = iom_copy_user_to_io(io, buf, uaddr);
	io_mapping_unmap_atomic(io);

	KUNIT_EXPECT_TRUE(test, pf_disabled);
	/* The fault was not served: the copy came back short. */
	KUNIT_EXPECT_GT(test, left, 0);
	KUNIT_EXPECT_TRUE(test, iom_page_has(test, mem, 11, 700));
}

static struct kunit_case io_mapping_test_cases[] = {
	KUNIT_CASE(init_wc_maps_window),
	KUNIT_CASE(create_wc_maps_window),
	KUNIT_CASE(map_local_round_trip),
	KUNIT_CASE(map_local_page_edges),
	KUNIT_CASE(map_wc_multi_page),
	KUNIT_CASE(nest_io_then_kmap_local),
	KUNIT_CASE(nest_kmap_local_then_io),
	KUNIT_CASE(mapping_survives_slot_thief),
	KUNIT_CASE(page_fault_allowed),
	KUNIT_CASE(atomic_page_fault_short_copy),
	{}
};

static struct kunit_suite io_mapping_test_suite = {
	.name = "io_mapping",
	.test_cases = io_mapping_test_cases,
};

kunit_test_suite(io_mapping_test_suite);

MODULE_DESCRIPTION("KUnit tests for io_mapping on a PCI memory BAR");
MODULE_LICENSE("GPL");
