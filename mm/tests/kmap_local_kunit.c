// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kmap_local, the per-task temporary mappings of
 * mm/highmem.c: slot allocation and nesting, the save/restore of a task's
 * slots across context switches, and what a kmap_local section allows
 * (preemption, page faults, interrupts nesting on top) compared with
 * kmap_atomic().
 *
 * Cases that need a page which kmap_local_page() really maps through a
 * fixmap slot skip, with the reason, on configurations where no such page
 * exists (no highmem and no CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/pgtable.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <trace/events/printk.h>

#ifdef CONFIG_KMAP_LOCAL
#include <asm/fixmap.h>
#include <asm/kmap_size.h>

/* mm/highmem.c leaves every other slot unused as a guard with DEBUG. */
#define KL_INCR		(IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL) ? 2 : 1)
/* kmap_local_idx_push() BUGs when the index reaches KM_MAX_IDX. */
#define KL_MAX_DEPTH	((KM_MAX_IDX - 1) / KL_INCR)
#else
#define KL_INCR		1
#define KL_MAX_DEPTH	8
#endif

#define KL_NO_SLOT_REASON \
	"kmap_local_page() maps no page through a slot here (needs highmem pages or CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP)"

/* A pattern that differs in every word of every page it is seeded for. */
static u32 kl_word(u32 seed, unsigned int i)
{
	return seed * 0x9e3779b1u + i * 0x85ebca6bu + 1;
}

static void kl_fill(void *addr, u32 seed)
{
	u32 *p = addr;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		p[i] = kl_word(seed, i);
}

static bool kl_check(const void *addr, u32 seed)
{
	const u32 *p = addr;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		if (READ_ONCE(p[i]) != kl_word(seed, i))
			return false;
	return true;
}

/* Does kmap_local_page() map @page through a slot, or return page_address()? */
static bool kl_page_gets_slot(struct page *page)
{
	return PageHighMem(page) || IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP);
}

static bool kl_in_kmap_fixmap(const void *addr)
{
#ifdef CONFIG_KMAP_LOCAL
	unsigned long a = (unsigned long)addr & PAGE_MASK;

	return a >= __fix_to_virt(FIX_KMAP_END) &&
	       a <= __fix_to_virt(FIX_KMAP_BEGIN);
#else
	return false;
#endif
}

/* Number of live kmap_local mappings of the current task. */
static int kl_depth(void)
{
#ifdef CONFIG_KMAP_LOCAL
	return current->kmap_ctrl.idx / KL_INCR;
#else
	return 0;
#endif
}

/*
 * The kernel PTE behind a kmap slot address, read without touching the
 * mapping itself.  Only slot addresses are looked up: the direct map may
 * use large pages.
 */
static pte_t kl_kernel_pte(const void *addr)
{
	pte_t *ptep;

	if (!kl_in_kmap_fixmap(addr))
		return __pte(0);
	ptep = virt_to_kpte((unsigned long)addr & PAGE_MASK);
	return ptep ? ptep_get(ptep) : __pte(0);
}

static bool kl_pte_maps(const void *addr, struct page *page)
{
	pte_t pte = kl_kernel_pte(addr);

	return pte_present(pte) && pte_pfn(pte) == page_to_pfn(page);
}

static void kl_free_page(void *page)
{
	__free_page(page);
}

static struct page *kl_alloc_page(struct kunit *test, gfp_t gfp)
{
	struct page *page = alloc_page(gfp);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kl_free_page, page));
	return page;
}

/* A page kmap_local_page() maps through a slot, or skip the case. */
static struct page *kl_alloc_slot_page(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_HIGHUSER);

	if (!kl_page_gets_slot(page))
		kunit_skip(test, KL_NO_SLOT_REASON);
	return page;
}

static void kl_alloc_slot_pages(struct kunit *test, struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		pages[i] = kl_alloc_slot_page(test);
}

static void map_highmem_page(struct kunit *test)
{
	struct page *page;
	void *addr;

	if (!totalhigh_pages())
		kunit_skip(test, "no highmem on this configuration");
	page = kl_alloc_page(test, GFP_HIGHUSER);
	if (!PageHighMem(page))
		kunit_skip(test, "no free highmem page");

	addr = kmap_local_page(page);
	KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr));
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	kl_fill(addr, 1);
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 1));
	kunmap_local(addr);

	KUNIT_EXPECT_EQ(test, kl_depth(), 0);
	KUNIT_EXPECT_TRUE(test, pte_none(kl_kernel_pte(addr)));
}

static void map_lowmem_page(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_KERNEL);
	void *addr;

	addr = kmap_local_page(page);
	if (kl_page_gets_slot(page)) {
		KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr));
		KUNIT_EXPECT_EQ(test, kl_depth(), 1);
		KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	} else {
		KUNIT_EXPECT_PTR_EQ(test, addr, page_address(page));
		KUNIT_EXPECT_EQ(test, kl_depth(), 0);
	}
	kl_fill(addr, 2);
	kunmap_local(addr);

	KUNIT_EXPECT_EQ(test, kl_depth(), 0);
	KUNIT_EXPECT_TRUE(test, kl_check(page_address(page), 2));
}

static void contents_survive_remap(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_HIGHUSER);
	struct page *other = kl_alloc_page(test, GFP_HIGHUSER);
	void *addr, *oaddr;

	addr = kmap_local_page(page);
	kl_fill(addr, 3);
	kunmap_local(addr);

	/* Map it again one level deeper, so it lands in another slot. */
	oaddr = kmap_local_page(other);
	addr = kmap_local_page(page);
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 3));
	kunmap_local(addr);
	kunmap_local(oaddr);

	addr = kmap_local_page(page);
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 3));
	kunmap_local(addr);
}

static void nest_to_max_depth(struct kunit *test)
{
	struct page *pages[KL_MAX_DEPTH];
	void *addr[KL_MAX_DEPTH];
	int i, j;

	kl_alloc_slot_pages(test, pages, KL_MAX_DEPTH);
	kunit_info(test, "nesting %d mappings\n", KL_MAX_DEPTH);

	for (i = 0; i < KL_MAX_DEPTH; i++) {
		addr[i] = kmap_local_page(pages[i]);
		KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr[i]));
		KUNIT_EXPECT_EQ(test, kl_depth(), i + 1);
		kl_fill(addr[i], 100 + i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, addr[i], addr[j]);
	}

	for (i = KL_MAX_DEPTH - 1; i >= 0; i--) {
		for (j = 0; j <= i; j++)
			KUNIT_EXPECT_TRUE_MSG(test, kl_check(addr[j], 100 + j),
					      "mapping %d corrupted at depth %d", j, i + 1);
		kunmap_local(addr[i]);
		KUNIT_EXPECT_EQ(test, kl_depth(), i);
		KUNIT_EXPECT_TRUE(test, pte_none(kl_kernel_pte(addr[i])));
	}
}

static void unmap_any_address_in_page(struct kunit *test)
{
	static const unsigned int offsets[] = { 1, 123, PAGE_SIZE / 2, PAGE_SIZE - 1 };
	struct page *page = kl_alloc_slot_page(test);
	unsigned int i;
	void *addr;

	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		addr = kmap_local_page(page);
		KUNIT_EXPECT_EQ(test, kl_depth(), 1);
		kunmap_local(addr + offsets[i]);
		KUNIT_EXPECT_EQ_MSG(test, kl_depth(), 0, "offset %u", offsets[i]);
		KUNIT_EXPECT_TRUE_MSG(test, pte_none(kl_kernel_pte(addr)),
				      "offset %u", offsets[i]);
	}
}

/*
 * A "slot thief": a kthread bound to the CPU of a task that holds
 * mappings and sleeps.  Being a fresh task it starts at slot 0, so it maps
 * its own pages at the very addresses the sleeping task uses.  It records
 * what it saw; the test checks it afterwards (no KUnit asserts off the
 * test thread).
 */
#define KL_THIEF_PAGES 4

struct kl_thief {
	struct page *victim[KL_THIEF_PAGES];
	void *victim_addr[KL_THIEF_PAGES];
	int nr_victims;
	struct page *page[KL_THIEF_PAGES];
	void *addr[KL_THIEF_PAGES];
	bool victim_pte_none[KL_THIEF_PAGES];	/* before the thief maps */
	bool pte_maps_own[KL_THIEF_PAGES];	/* while the thief holds it */
	bool pte_none_after[KL_THIEF_PAGES];	/* after the thief unmapped */
	bool contents_ok;
	int cpu;
	struct completion done;
};

static int kl_thief_fn(void *data)
{
	struct kl_thief *t = data;
	int i;

	t->cpu = raw_smp_processor_id();
	for (i = 0; i < t->nr_victims; i++)
		t->victim_pte_none[i] = pte_none(kl_kernel_pte(t->victim_addr[i]));

	t->contents_ok = true;
	for (i = 0; i < KL_THIEF_PAGES; i++) {
		t->addr[i] = kmap_local_page(t->page[i]);
		kl_fill(t->addr[i], 500 + i);
		t->pte_maps_own[i] = kl_pte_maps(t->addr[i], t->page[i]);
	}
	for (i = KL_THIEF_PAGES - 1; i >= 0; i--) {
		t->contents_ok &= kl_check(t->addr[i], 500 + i);
		kunmap_local(t->addr[i]);
	}
	for (i = 0; i < t->nr_victims; i++)
		t->pte_none_after[i] = pte_none(kl_kernel_pte(t->victim_addr[i]));

	complete(&t->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/*
 * Sleep, holding the mappings at t->victim_addr[], until a thief on the
 * same CPU has used the same slots for its own pages.
 */
static void kl_switch_to_thief(struct kunit *test, struct kl_thief *t)
{
	struct task_struct *tsk;
	unsigned long left;
	int cpu;

	kl_alloc_slot_pages(test, t->page, KL_THIEF_PAGES);
	init_completion(&t->done);

	/* The mappings disabled migration: this CPU is ours until unmap. */
	cpu = raw_smp_processor_id();
	tsk = kthread_create(kl_thief_fn, t, "kmap_local_thief");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	kthread_bind(tsk, cpu);
	wake_up_process(tsk);
	left = wait_for_completion_timeout(&t->done, 30 * HZ);
	kthread_stop(tsk);

	KUNIT_ASSERT_NE_MSG(test, left, 0, "slot thief did not run");
	KUNIT_ASSERT_EQ(test, t->cpu, cpu);
	KUNIT_ASSERT_EQ(test, raw_smp_processor_id(), cpu);
}

/*
 * Map KL_THIEF_PAGES pages, then sleep until a thief has used their slots.
 * Leaves the mappings in place for the caller to check and unmap.
 */
static void kl_sleep_with_thief(struct kunit *test, struct kl_thief *t)
{
	int i;

	kl_alloc_slot_pages(test, t->victim, KL_THIEF_PAGES);
	t->nr_victims = KL_THIEF_PAGES;
	for (i = 0; i < KL_THIEF_PAGES; i++) {
		t->victim_addr[i] = kmap_local_page(t->victim[i]);
		kl_fill(t->victim_addr[i], 400 + i);
	}
	kl_switch_to_thief(test, t);
}

static void kl_unmap_victim(struct kl_thief *t)
{
	int i;

	for (i = KL_THIEF_PAGES - 1; i >= 0; i--)
		kunmap_local(t->victim_addr[i]);
}

static void switch_saves_and_restores_slots(struct kunit *test)
{
	struct kl_thief *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	kl_sleep_with_thief(test, t);

	KUNIT_EXPECT_TRUE(test, t->contents_ok);
	for (i = 0; i < KL_THIEF_PAGES; i++) {
		/* The thief really used our slots ... */
		KUNIT_EXPECT_PTR_EQ(test, t->addr[i], t->victim_addr[i]);
		/* ... and we got ours back with our own pages behind them. */
		KUNIT_EXPECT_TRUE_MSG(test, kl_check(t->victim_addr[i], 400 + i),
				      "mapping %d shows another page after the switch", i);
	}
	KUNIT_EXPECT_EQ(test, kl_depth(), KL_THIEF_PAGES);
	kl_unmap_victim(t);
	KUNIT_EXPECT_EQ(test, kl_depth(), 0);
}

static void switch_unmaps_slot_pte(struct kunit *test)
{
	struct kl_thief *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	kl_sleep_with_thief(test, t);

	for (i = 0; i < KL_THIEF_PAGES; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, t->victim_pte_none[i],
				      "slot %d still mapped the sleeping task's page", i);
		KUNIT_EXPECT_TRUE(test, t->pte_maps_own[i]);
		KUNIT_EXPECT_TRUE(test, t->pte_none_after[i]);
		/* Restored on switch-in, before we ever touched it again. */
		KUNIT_EXPECT_TRUE(test, kl_pte_maps(t->victim_addr[i], t->victim[i]));
	}
	kl_unmap_victim(t);
}

struct kl_hog {
	bool stop;
	struct completion running;
};

static int kl_hog_fn(void *data)
{
	struct kl_hog *h = data;

	complete(&h->running);
	while (!READ_ONCE(h->stop))
		cpu_relax();
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void migration_disabled_preemption_enabled(struct kunit *test)
{
	struct page *page = kl_alloc_slot_page(test);
	struct kl_hog hog = { };
	struct task_struct *tsk;
	unsigned short migdis = 0;
	void *addr;
	int cpu;

	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs at least 2 online CPUs");
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "preemptible() needs CONFIG_PREEMPT_COUNT");

#ifdef CONFIG_SMP
	migdis = current->migration_disabled;
#endif
	addr = kmap_local_page(page);
	cpu = raw_smp_processor_id();
#ifdef CONFIG_SMP
	KUNIT_EXPECT_GT(test, current->migration_disabled, migdis);
#endif
	KUNIT_EXPECT_TRUE(test, preemptible());

	/*
	 * Keep our CPU busy while we sleep: a task free to migrate would be
	 * woken on the idle one.
	 */
	init_completion(&hog.running);
	tsk = kthread_create(kl_hog_fn, &hog, "kmap_local_hog");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	kthread_bind(tsk, cpu);
	wake_up_process(tsk);
	wait_for_completion(&hog.running);
	msleep(20);
	KUNIT_EXPECT_EQ(test, raw_smp_processor_id(), cpu);
	WRITE_ONCE(hog.stop, true);
	kthread_stop(tsk);

	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	kunmap_local(addr);
#ifdef CONFIG_SMP
	KUNIT_EXPECT_EQ(test, current->migration_disabled, migdis);
#endif
}

/*
 * kmap_atomic() is deprecated, and checkpatch rightly flags new callers.
 * The cases below pin down how it differs from kmap_local_page(), which is
 * what every conversion relies on, so they call it through these.
 */
static void *(*const kl_kmap_atomic)(struct page *page) = kmap_atomic;
static void (*const kl_kunmap_atomic)(const void *addr) = __kunmap_atomic;

static unsigned long kl_user_page(struct kunit *test)
{
	unsigned long uaddr;

	uaddr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(uaddr), "kunit_vm_mmap: %ld",
			       (long)uaddr);
	return uaddr;
}

static void page_fault_allowed(struct kunit *test)
{
	struct page *page = kl_alloc_slot_page(test);
	unsigned long dst = kl_user_page(test), src = kl_user_page(test);
	void *addr;

	/* Both user pages are untouched: every access below must fault. */
	addr = kmap_local_page(page);
	kl_fill(addr, 7);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)dst, addr, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(addr, (void __user *)src, PAGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	KUNIT_EXPECT_NULL(test, memchr_inv(addr, 0, PAGE_SIZE));
	kunmap_local(addr);
}

static void atomic_page_fault_short_copy(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_HIGHUSER);
	unsigned long dst = kl_user_page(test), src = kl_user_page(test);
	unsigned long left_to, left_from;
	void *addr;

	addr = kl_kmap_atomic(page);
	kl_fill(addr, 8);
	KUNIT_EXPECT_TRUE(test, pagefault_disabled());
	left_to = copy_to_user((void __user *)dst, addr, PAGE_SIZE);
	left_from = copy_from_user(addr, (void __user *)src, PAGE_SIZE);
	kl_kunmap_atomic(addr);

	/* Faults were not served: the copies came back short. */
	KUNIT_EXPECT_GT(test, left_to, 0);
	KUNIT_EXPECT_GT(test, left_from, 0);

	/* The same copies succeed once the atomic section is over. */
	addr = kmap_local_page(page);
	kl_fill(addr, 8);
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)dst, addr, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(addr, (void __user *)src, PAGE_SIZE), 0);
	kunmap_local(addr);
}

/* Map two pages from interrupt context while the test task holds three. */
#define KL_TASK_PAGES	3
#define KL_IRQ_PAGES	2

struct kl_irq {
	struct hrtimer timer;
	bool hard;
	struct task_struct *task;
	int task_depth;
	struct page *page[KL_IRQ_PAGES];
	void *addr[KL_IRQ_PAGES];
	bool right_context, on_top, contents_ok, depth_restored;
	bool done;
};

static enum hrtimer_restart kl_irq_fn(struct hrtimer *timer)
{
	struct kl_irq *c = container_of(timer, struct kl_irq, timer);
	int i;

	c->right_context = c->hard ? in_hardirq() : in_serving_softirq();
	c->on_top = current == c->task && kl_depth() == c->task_depth;
	c->contents_ok = true;
	for (i = 0; i < KL_IRQ_PAGES; i++) {
		c->addr[i] = kmap_local_page(c->page[i]);
		kl_fill(c->addr[i], 600 + i);
	}
	for (i = KL_IRQ_PAGES - 1; i >= 0; i--) {
		c->contents_ok &= kl_check(c->addr[i], 600 + i);
		kunmap_local(c->addr[i]);
	}
	c->depth_restored = kl_depth() == c->task_depth;
	/* Publish the results above before the task sees done. */
	smp_store_release(&c->done, true);
	return HRTIMER_NORESTART;
}

static void kl_nest_in_irq(struct kunit *test, bool hard)
{
	struct kl_irq *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct page *pages[KL_TASK_PAGES];
	void *addr[KL_TASK_PAGES];
	unsigned long timeout;
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, c);
	kl_alloc_slot_pages(test, pages, KL_TASK_PAGES);
	kl_alloc_slot_pages(test, c->page, KL_IRQ_PAGES);

	for (i = 0; i < KL_TASK_PAGES; i++) {
		addr[i] = kmap_local_page(pages[i]);
		kl_fill(addr[i], 700 + i);
	}

	c->hard = hard;
	c->task = current;
	c->task_depth = kl_depth();
	hrtimer_init(&c->timer, CLOCK_MONOTONIC,
		     hard ? HRTIMER_MODE_REL_PINNED_HARD : HRTIMER_MODE_REL_PINNED_SOFT);
	c->timer.function = kl_irq_fn;

	/*
	 * Spin with preemption off so that the interrupt (and the softirq
	 * run on its exit) lands on top of this task and its mappings.
	 */
	timeout = jiffies + 10 * HZ;
	preempt_disable();
	hrtimer_start(&c->timer, ns_to_ktime(100 * NSEC_PER_USEC),
		      hard ? HRTIMER_MODE_REL_PINNED_HARD : HRTIMER_MODE_REL_PINNED_SOFT);
	/* Pairs with smp_store_release() in kl_irq_fn(). */
	while (!smp_load_acquire(&c->done) && time_before(jiffies, timeout))
		cpu_relax();
	preempt_enable();
	hrtimer_cancel(&c->timer);

	KUNIT_ASSERT_TRUE_MSG(test, c->done, "timer callback did not run");
	KUNIT_EXPECT_TRUE(test, c->right_context);
	KUNIT_EXPECT_TRUE_MSG(test, c->on_top,
			      "interrupt did not nest on top of the task's mappings");
	KUNIT_EXPECT_TRUE(test, c->contents_ok);
	KUNIT_EXPECT_TRUE(test, c->depth_restored);
	for (i = 0; i < KL_IRQ_PAGES; i++) {
		KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(c->addr[i]));
		for (j = 0; j < KL_TASK_PAGES; j++)
			KUNIT_EXPECT_PTR_NE(test, c->addr[i], addr[j]);
	}

	for (i = KL_TASK_PAGES - 1; i >= 0; i--) {
		KUNIT_EXPECT_TRUE_MSG(test, kl_check(addr[i], 700 + i),
				      "task mapping %d damaged by the interrupt", i);
		kunmap_local(addr[i]);
	}
}

static void nest_in_hardirq(struct kunit *test)
{
	kl_nest_in_irq(test, true);
}

static void nest_in_softirq(struct kunit *test)
{
	kl_nest_in_irq(test, false);
}

static void kl_folio_put(void *folio)
{
	folio_put(folio);
}

static void folio_offset_in_large_folio(struct kunit *test)
{
	const unsigned int order = 2;
	const size_t offsets[] = { 8, PAGE_SIZE + 4, 3 * PAGE_SIZE + PAGE_SIZE - 4 };
	struct folio *folio = folio_alloc(GFP_HIGHUSER, order);
	unsigned int i;
	void *addr;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kl_folio_put, folio));

	for (i = 0; i < folio_nr_pages(folio); i++) {
		addr = kmap_local_page(folio_page(folio, i));
		kl_fill(addr, 800 + i);
		kunmap_local(addr);
	}

	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		size_t off = offsets[i];
		struct page *page = folio_page(folio, off / PAGE_SIZE);

		addr = kmap_local_folio(folio, off);
		KUNIT_EXPECT_EQ(test, offset_in_page(addr), offset_in_page(off));
		KUNIT_EXPECT_EQ(test, *(u32 *)addr,
				kl_word(800 + off / PAGE_SIZE, offset_in_page(off) / sizeof(u32)));
		if (kl_page_gets_slot(page)) {
			KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr));
			KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
		} else {
			KUNIT_EXPECT_PTR_EQ(test, addr, folio_address(folio) + off);
		}
		kunmap_local(addr);
	}
}

static void map_pfn(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_HIGHUSER);
	void *addr;

	addr = kmap_local_page(page);
	kl_fill(addr, 9);
	kunmap_local(addr);

	addr = kmap_local_pfn(page_to_pfn(page));
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 9));
	/* kmap_local_pfn() takes a slot for any pfn when slots are in use. */
	if (IS_ENABLED(CONFIG_HIGHMEM) ||
	    IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP)) {
		KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr));
		KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
		KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	}
	kunmap_local(addr);
	KUNIT_EXPECT_EQ(test, kl_depth(), 0);
}

/* The PTE of a fresh slot mapping, ignoring accessed/dirty. */
static bool kl_pte_is(const void *addr, struct page *page, pgprot_t prot)
{
	pte_t pte = pte_mkold(pte_mkclean(kl_kernel_pte(addr)));
	pte_t want = pte_mkold(pte_mkclean(pfn_pte(page_to_pfn(page), prot)));

	return pte_val(pte) == pte_val(want);
}

static void map_page_prot(struct kunit *test)
{
	struct page *page = kl_alloc_slot_page(test);
	void *addr;

	addr = kmap_local_page_prot(page, PAGE_KERNEL);
	KUNIT_EXPECT_TRUE(test, kl_pte_is(addr, page, PAGE_KERNEL));
	KUNIT_EXPECT_TRUE(test, pte_write(kl_kernel_pte(addr)));
	kl_fill(addr, 10);
	kunmap_local(addr);

	addr = kmap_local_page_prot(page, pgprot_writecombine(PAGE_KERNEL));
	KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(addr));
	KUNIT_EXPECT_TRUE(test, kl_pte_is(addr, page, pgprot_writecombine(PAGE_KERNEL)));
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 10));
	kunmap_local(addr);

	/* Not every arch has a read-only kernel protection (arm does not). */
	if (pgprot_val(PAGE_KERNEL_RO) == pgprot_val(PAGE_KERNEL))
		return;
	addr = kmap_local_page_prot(page, PAGE_KERNEL_RO);
	KUNIT_EXPECT_TRUE(test, kl_pte_is(addr, page, PAGE_KERNEL_RO));
	KUNIT_EXPECT_FALSE(test, pte_write(kl_kernel_pte(addr)));
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 10));
	kunmap_local(addr);
}

static void kmap_atomic_on_top(struct kunit *test)
{
	struct page *lpage = kl_alloc_page(test, GFP_HIGHUSER);
	struct page *apage = kl_alloc_page(test, GFP_HIGHUSER);
	void *laddr, *aaddr;

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test,
			   "kmap_atomic() raises preempt_count() only with PREEMPT_COUNT and !PREEMPT_RT");

	laddr = kmap_local_page(lpage);
	kl_fill(laddr, 11);
	KUNIT_EXPECT_EQ(test, preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());

	aaddr = kl_kmap_atomic(apage);
	/* in_atomic(), spelt out */
	KUNIT_EXPECT_NE(test, preempt_count(), 0);
	KUNIT_EXPECT_TRUE(test, pagefault_disabled());
	KUNIT_EXPECT_PTR_NE(test, aaddr, laddr);
	if (kl_page_gets_slot(apage))
		KUNIT_EXPECT_TRUE(test, kl_in_kmap_fixmap(aaddr));
	kl_fill(aaddr, 12);
	KUNIT_EXPECT_TRUE(test, kl_check(laddr, 11));
	KUNIT_EXPECT_TRUE(test, kl_check(aaddr, 12));
	kl_kunmap_atomic(aaddr);

	KUNIT_EXPECT_EQ(test, preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());
	KUNIT_EXPECT_TRUE(test, kl_check(laddr, 11));
	kunmap_local(laddr);

	aaddr = kmap_local_page(apage);
	KUNIT_EXPECT_TRUE(test, kl_check(aaddr, 12));
	kunmap_local(aaddr);
}

/*
 * Misuse reports (CONFIG_DEBUG_KMAP_LOCAL).  Each case commits one misuse
 * on purpose, in functions named for their role so that the report can
 * be checked for them, and captures the console through the console
 * tracepoint as mm/kfence/kfence_test.c does.  The report is bracketed by
 * marker lines that tell the test runner it was provoked on purpose.
 */
static struct {
	spinlock_t lock;	/* the probe can run in any context */
	bool armed;
	size_t len;
	char buf[8192];
} kl_console = {
	.lock = __SPIN_LOCK_UNLOCKED(kl_console.lock),
};

static bool kl_console_probe_registered;

static void kl_probe_console(void *ignore, const char *buf, size_t len)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&kl_console.lock, flags);
	if (kl_console.armed) {
		n = min(len, sizeof(kl_console.buf) - 1 - kl_console.len);
		memcpy(kl_console.buf + kl_console.len, buf, n);
		kl_console.len += n;
		kl_console.buf[kl_console.len] = '\0';
	}
	spin_unlock_irqrestore(&kl_console.lock, flags);
}

/* Skip unless misuse is reported and the report can be captured. */
static void kl_need_reports(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL))
		kunit_skip(test, "misuse reports need CONFIG_DEBUG_KMAP_LOCAL");
	if (!kl_console_probe_registered)
		kunit_skip(test, "cannot capture the console: no console tracepoint");
}

static void kl_report_begin(struct kunit *test)
{
	unsigned long flags;

	spin_lock_irqsave(&kl_console.lock, flags);
	kl_console.len = 0;
	kl_console.buf[0] = '\0';
	kl_console.armed = true;
	spin_unlock_irqrestore(&kl_console.lock, flags);
	pr_info("kmap_local_test: kunit-expected-report-begin\n");
}

static void kl_report_end(void)
{
	pr_info("kmap_local_test: kunit-expected-report-end\n");
	WRITE_ONCE(kl_console.armed, false);
}

/* Expect the captured report to contain the formatted string. */
static __printf(2, 3) void kl_report_has(struct kunit *test, const char *fmt, ...)
{
	char want[128];
	va_list args;

	va_start(args, fmt);
	vsnprintf(want, sizeof(want), fmt, args);
	va_end(args);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(kl_console.buf, want),
			      "report lacks \"%s\"", want);
}

static void kl_report_held(struct kunit *test, int held)
{
	kl_report_has(test, "%d kmap_local mapping%s held by %s/%d:", held,
		      held == 1 ? "" : "s", current->comm, task_pid_nr(current));
}

/* No mapping held and no hole left: the stack is back to empty. */
static bool kl_stack_empty(void)
{
#ifdef CONFIG_KMAP_LOCAL
	return current->kmap_ctrl.idx == 0;
#else
	return true;
#endif
}

/* Live mappings of the current task, holes not counted. */
static int kl_live(void)
{
#ifdef CONFIG_KMAP_LOCAL
	int i, n = 0;

	for (i = 0; i < KM_MAX_IDX; i++)
		n += !pte_none(current->kmap_ctrl.pteval[i]);
	return n;
#else
	return 0;
#endif
}

/*
 * The functions whose names the reports must show.  The barriers keep the
 * compiler from turning the calls into tail calls, and the distinct stores
 * from folding the identical functions into one, either of which would
 * hide their names.
 */
static int kl_named_fn;

static noinline void *kl_map_first(struct page *page)
{
	void *addr = kmap_local_page(page);

	WRITE_ONCE(kl_named_fn, 1);
	OPTIMIZER_HIDE_VAR(addr);
	return addr;
}

static noinline void *kl_map_second(struct page *page)
{
	void *addr = kmap_local_page(page);

	WRITE_ONCE(kl_named_fn, 2);
	OPTIMIZER_HIDE_VAR(addr);
	return addr;
}

static noinline void *kl_map_third(struct page *page)
{
	void *addr = kmap_local_page(page);

	WRITE_ONCE(kl_named_fn, 3);
	OPTIMIZER_HIDE_VAR(addr);
	return addr;
}

static noinline void kl_unmap_out_of_order(void *addr)
{
	WRITE_ONCE(kl_named_fn, 5);
	kunmap_local(addr);
	barrier();
}

static noinline void kl_unmap_again(void *addr)
{
	WRITE_ONCE(kl_named_fn, 6);
	kunmap_local(addr);
	barrier();
}

static noinline void kl_unmap_foreign(void *addr)
{
	WRITE_ONCE(kl_named_fn, 7);
	kunmap_local(addr);
	barrier();
}

/* Map three pages through the three named functions. */
static void kl_map_three(struct kunit *test, struct page **pages, void **addr)
{
	int i;

	kl_need_reports(test);
	kl_alloc_slot_pages(test, pages, 3);
	addr[0] = kl_map_first(pages[0]);
	addr[1] = kl_map_second(pages[1]);
	addr[2] = kl_map_third(pages[2]);
	for (i = 0; i < 3; i++)
		kl_fill(addr[i], 900 + i);
}

static void kl_unmap_out_of_order_reported(struct kunit *test, void **addr)
{
	kl_report_begin(test);
	kl_unmap_out_of_order(addr[1]);
	kl_report_end();

	kl_report_has(test, "BUG: kmap_local: out-of-order kunmap_local()");
	kl_report_has(test, "%s/%d on CPU %d at kl_unmap_out_of_order", current->comm,
		      task_pid_nr(current), raw_smp_processor_id());
	kl_report_held(test, 3);
	kl_report_has(test, "mapped at kl_map_first");
	kl_report_has(test, "mapped at kl_map_second");
	kl_report_has(test, "mapped at kl_map_third");
}

static void report_out_of_order_unmap(struct kunit *test)
{
	struct page *pages[3];
	void *addr[3];

	kl_map_three(test, pages, addr);
	kl_unmap_out_of_order_reported(test, addr);

	/* Exactly the named slot went away; the others are intact. */
	KUNIT_EXPECT_EQ(test, kl_live(), 2);
	KUNIT_EXPECT_TRUE(test, pte_none(kl_kernel_pte(addr[1])));
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[0], pages[0]));
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[2], pages[2]));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[0], 900));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[2], 902));

	/* Unmapping the top pops the hole below it. */
	kunmap_local(addr[2]);
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	kunmap_local(addr[0]);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
}

static void out_of_order_unmap_survives_switch(struct kunit *test)
{
	struct kl_thief *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct page *pages[3];
	void *addr[3];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	kl_map_three(test, pages, addr);
	kl_unmap_out_of_order_reported(test, addr);

	t->nr_victims = 3;
	for (i = 0; i < 3; i++)
		t->victim_addr[i] = addr[i];
	kl_switch_to_thief(test, t);

	/* Switched out: none of our slots was left mapped to our pages. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, t->victim_pte_none[i]);
	/* Switched back in: the live mappings, and only those, restored. */
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[0], pages[0]));
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[2], pages[2]));
	KUNIT_EXPECT_TRUE(test, pte_none(kl_kernel_pte(addr[1])));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[0], 900));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[2], 902));

	kunmap_local(addr[2]);
	kunmap_local(addr[0]);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
}

static void report_unmap_not_mapped(struct kunit *test)
{
	struct page *pages[2];
	void *addr[2];
#ifdef CONFIG_SMP
	unsigned short migdis;
#endif

	kl_need_reports(test);
	kl_alloc_slot_pages(test, pages, 2);
	addr[0] = kl_map_first(pages[0]);
	addr[1] = kl_map_second(pages[1]);
	kl_fill(addr[0], 910);
	kunmap_local(addr[1]);
#ifdef CONFIG_SMP
	migdis = current->migration_disabled;
#endif

	kl_report_begin(test);
	kl_unmap_again(addr[1]);
	kl_report_end();

	kl_report_has(test, "BUG: kmap_local: kunmap_local() of an address that is not mapped");
	kl_report_has(test, "at kl_unmap_again");
	kl_report_has(test, "address 0x%lx", (unsigned long)addr[1] & PAGE_MASK);
	kl_report_held(test, 1);
	kl_report_has(test, "mapped at kl_map_first");

	/* Nothing changed. */
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
#ifdef CONFIG_SMP
	KUNIT_EXPECT_EQ(test, current->migration_disabled, migdis);
#endif
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[0], pages[0]));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[0], 910));
	kunmap_local(addr[0]);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
}

/* A task on our CPU that lends us the address of its third mapping. */
struct kl_owner {
	struct page *page[3];
	void *addr[3];
	bool ok;
	struct completion mapped, go, done;
};

static int kl_owner_fn(void *data)
{
	struct kl_owner *o = data;
	int i;

	for (i = 0; i < 3; i++) {
		o->addr[i] = kmap_local_page(o->page[i]);
		kl_fill(o->addr[i], 920 + i);
	}
	complete(&o->mapped);
	wait_for_completion(&o->go);

	o->ok = true;
	for (i = 2; i >= 0; i--) {
		o->ok &= kl_pte_maps(o->addr[i], o->page[i]);
		o->ok &= kl_check(o->addr[i], 920 + i);
		kunmap_local(o->addr[i]);
	}
	complete(&o->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void foreign_unmap_survives_switch(struct kunit *test)
{
	struct kl_owner *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	struct task_struct *tsk;
	struct page *page;
	unsigned long left;
	void *addr;

	KUNIT_ASSERT_NOT_NULL(test, o);
	kl_need_reports(test);
	page = kl_alloc_slot_page(test);
	kl_alloc_slot_pages(test, o->page, 3);
	init_completion(&o->mapped);
	init_completion(&o->go);
	init_completion(&o->done);

	addr = kl_map_first(page);
	kl_fill(addr, 930);
	tsk = kthread_create(kl_owner_fn, o, "kmap_local_owner");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	kthread_bind(tsk, raw_smp_processor_id());
	wake_up_process(tsk);
	left = wait_for_completion_timeout(&o->mapped, 30 * HZ);
	if (left) {
		/* A live slot of the owner, not of ours: nothing may change. */
		kl_report_begin(test);
		kl_unmap_foreign(o->addr[2]);
		kl_report_end();
	}
	complete(&o->go);
	if (left)
		left = wait_for_completion_timeout(&o->done, 30 * HZ);
	kthread_stop(tsk);
	KUNIT_ASSERT_NE_MSG(test, left, 0, "owner thread did not run");

	kl_report_has(test, "BUG: kmap_local: kunmap_local() of an address that is not mapped");
	kl_report_has(test, "at kl_unmap_foreign");
	kl_report_held(test, 1);
	kl_report_has(test, "mapped at kl_map_first");

	/* The owner's mappings survived the switches, and so did ours. */
	KUNIT_EXPECT_TRUE(test, o->ok);
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 930));
	kunmap_local(addr);
}

/* What exit_to_user_mode_prepare() checks, as it checks it. */
static noinline void kl_return_to_user(void)
{
	WRITE_ONCE(kl_named_fn, 8);
	kmap_assert_nomap();
	barrier();
}

static void report_held_on_user_return(struct kunit *test)
{
	struct page *pages[2];
	void *addr[2];

	kl_need_reports(test);
	kl_alloc_slot_pages(test, pages, 2);
	addr[0] = kl_map_first(pages[0]);
	addr[1] = kl_map_second(pages[1]);

	kl_report_begin(test);
	kl_return_to_user();
	kl_report_end();

	kl_report_has(test, "BUG: kmap_local: mappings held on return to user space");
	kl_report_has(test, "at kl_return_to_user");
	kl_report_held(test, 2);
	kl_report_has(test, "mapped at kl_map_first");
	kl_report_has(test, "mapped at kl_map_second");

	kunmap_local(addr[1]);
	kunmap_local(addr[0]);
}

static int kl_fork_child(void *arg)
{
	do_exit(0);
}

static noinline void kl_fork_while_mapped(struct kunit *test)
{
	pid_t pid = kernel_thread(kl_fork_child, NULL, "kmap_local_child", SIGCHLD);

	KUNIT_EXPECT_GT(test, pid, 0);
	barrier();
}

static void report_held_at_fork(struct kunit *test)
{
	struct page *page;
	void *addr;

	kl_need_reports(test);
	page = kl_alloc_slot_page(test);
	addr = kl_map_first(page);

	kl_report_begin(test);
	kl_fork_while_mapped(test);
	kl_report_end();

	kl_report_has(test, "BUG: kmap_local: mappings held at fork");
	kl_report_has(test, "kl_fork_while_mapped");
	kl_report_held(test, 1);
	kl_report_has(test, "mapped at kl_map_first");

	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	kunmap_local(addr);
}

struct kl_overflow {
	struct page *page[KL_MAX_DEPTH + 1];
	char comm[TASK_COMM_LEN];
	pid_t pid;
	int cpu;
	bool survived;
	struct completion started;
};

static noinline void *kl_map_one_too_many(struct page *page)
{
	void *addr = kmap_local_page(page);

	WRITE_ONCE(kl_named_fn, 4);
	OPTIMIZER_HIDE_VAR(addr);
	return addr;
}

static int kl_overflow_fn(void *data)
{
	struct kl_overflow *ov = data;
	int i;

	get_task_comm(ov->comm, current);
	ov->pid = task_pid_nr(current);
	complete(&ov->started);
	kl_map_first(ov->page[0]);
	/* Migration is off from here on. */
	ov->cpu = raw_smp_processor_id();
	for (i = 1; i < KL_MAX_DEPTH; i++)
		kl_map_first(ov->page[i]);
	/* Reported, then BUG(): this thread dies here. */
	kl_map_one_too_many(ov->page[KL_MAX_DEPTH]);
	WRITE_ONCE(ov->survived, true);
	return 0;
}

/*
 * Overflow is reported, then kills the task with the existing BUG().  It
 * runs in a thread of its own, and last: the oops turns lockdep off.
 */
static void report_nesting_overflow(struct kunit *test)
{
	struct kl_overflow *ov = kunit_kzalloc(test, sizeof(*ov), GFP_KERNEL);
	struct task_struct *tsk;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ov);
	kl_need_reports(test);
	kl_alloc_slot_pages(test, ov->page, KL_MAX_DEPTH + 1);
	init_completion(&ov->started);
	tsk = kthread_create(kl_overflow_fn, ov, "kmap_local_overflow");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	get_task_struct(tsk);

	kl_report_begin(test);
	wake_up_process(tsk);
	/*
	 * Once the thread runs, kthread_stop() only waits: the thread dies
	 * in BUG() and its exit completes the wait.
	 */
	wait_for_completion(&ov->started);
	kthread_stop(tsk);
	kl_report_end();
	put_task_struct(tsk);

	KUNIT_EXPECT_FALSE(test, ov->survived);
	kl_report_has(test, "BUG: kmap_local: too many nested mappings");
	kl_report_has(test, "%s/%d on CPU %d at kl_map_one_too_many", ov->comm, ov->pid,
		      ov->cpu);
	kl_report_has(test, "%d kmap_local mappings held by %s/%d:", KL_MAX_DEPTH,
		      ov->comm, ov->pid);
	kl_report_has(test, "mapped at kl_map_first");
	for (i = 0; i < KL_MAX_DEPTH; i++)
		kl_report_has(test, " #%d: slot %d,", i, i * KL_INCR + KL_INCR - 1);
}

/*
 * Stress: KL_STRESS_THREADS unbound threads for KL_STRESS_SECONDS, each
 * nesting a random number of its own pages, writing a fresh pattern into
 * each, sleeping or yielding at random while mapped, and verifying every
 * live mapping at every level.  Leaves two levels free for interrupts.
 */
#define KL_STRESS_THREADS	4
#define KL_STRESS_SECONDS	3
#define KL_STRESS_DEPTH		(KL_MAX_DEPTH - 2)

struct kl_stress {
	struct page *page[KL_STRESS_DEPTH];
	unsigned long deadline;
	unsigned long rounds, maps, errors;
	struct completion done;
};

static int kl_stress_fn(void *data)
{
	struct kl_stress *s = data;
	void *addr[KL_STRESS_DEPTH];
	u32 seed[KL_STRESS_DEPTH];
	int depth, i, j;

	while (time_before(jiffies, s->deadline)) {
		depth = 1 + get_random_u32_below(KL_STRESS_DEPTH);
		for (i = 0; i < depth; i++) {
			addr[i] = kmap_local_page(s->page[i]);
			seed[i] = get_random_u32();
			kl_fill(addr[i], seed[i]);
			switch (get_random_u32_below(4)) {
			case 0:
				usleep_range(10, 100);
				break;
			case 1:
				cond_resched();
				break;
			}
			for (j = 0; j <= i; j++)
				s->errors += !kl_check(addr[j], seed[j]);
			s->maps++;
		}
		for (i = depth - 1; i >= 0; i--) {
			s->errors += !kl_check(addr[i], seed[i]);
			kunmap_local(addr[i]);
		}
		s->errors += kl_depth() != 0;
		s->rounds++;
	}
	complete(&s->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void stress_random_nesting(struct kunit *test)
{
	struct kl_stress *s;
	struct task_struct *tsk[KL_STRESS_THREADS];
	unsigned long rounds = 0, maps = 0, errors = 0, left;
	int i;

	s = kunit_kcalloc(test, KL_STRESS_THREADS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < KL_STRESS_THREADS; i++) {
		kl_alloc_slot_pages(test, s[i].page, KL_STRESS_DEPTH);
		s[i].deadline = jiffies + KL_STRESS_SECONDS * HZ;
		init_completion(&s[i].done);
	}
	for (i = 0; i < KL_STRESS_THREADS; i++) {
		tsk[i] = kthread_run(kl_stress_fn, &s[i], "kmap_local_stress/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(tsk[i]));
	}
	for (i = 0; i < KL_STRESS_THREADS; i++) {
		left = wait_for_completion_timeout(&s[i].done,
						   (KL_STRESS_SECONDS + 60) * HZ);
		KUNIT_EXPECT_NE(test, left, 0);
		kthread_stop(tsk[i]);
		rounds += s[i].rounds;
		maps += s[i].maps;
		errors += s[i].errors;
	}
	kunit_info(test, "%d threads x %ds: %lu rounds, %lu mappings, %lu errors\n",
		   KL_STRESS_THREADS, KL_STRESS_SECONDS, rounds, maps, errors);
	KUNIT_EXPECT_GT(test, rounds, 0);
	KUNIT_EXPECT_EQ(test, errors, 0);
}

static int kmap_local_suite_init(struct kunit_suite *suite)
{
	kl_console_probe_registered = !register_trace_console(kl_probe_console, NULL);
	pr_info("kmap_local: highmem %lu MiB, max nesting %d, lowmem pages %s\n",
		totalhigh_pages() >> (20 - PAGE_SHIFT), KL_MAX_DEPTH,
		IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP) ? "mapped" : "direct");
	return 0;
}

static void kmap_local_suite_exit(struct kunit_suite *suite)
{
	if (kl_console_probe_registered) {
		unregister_trace_console(kl_probe_console, NULL);
		tracepoint_synchronize_unregister();
	}
}

static struct kunit_case kmap_local_test_cases[] = {
	KUNIT_CASE(map_highmem_page),
	KUNIT_CASE(map_lowmem_page),
	KUNIT_CASE(contents_survive_remap),
	KUNIT_CASE(nest_to_max_depth),
	KUNIT_CASE(unmap_any_address_in_page),
	KUNIT_CASE(switch_saves_and_restores_slots),
	KUNIT_CASE(switch_unmaps_slot_pte),
	KUNIT_CASE(migration_disabled_preemption_enabled),
	KUNIT_CASE(page_fault_allowed),
	KUNIT_CASE(atomic_page_fault_short_copy),
	KUNIT_CASE(nest_in_hardirq),
	KUNIT_CASE(nest_in_softirq),
	KUNIT_CASE(folio_offset_in_large_folio),
	KUNIT_CASE(map_pfn),
	KUNIT_CASE(map_page_prot),
	KUNIT_CASE(kmap_atomic_on_top),
	KUNIT_CASE_SLOW(stress_random_nesting),
	KUNIT_CASE(report_out_of_order_unmap),
	KUNIT_CASE(out_of_order_unmap_survives_switch),
	KUNIT_CASE(report_unmap_not_mapped),
	KUNIT_CASE(foreign_unmap_survives_switch),
	KUNIT_CASE(report_held_on_user_return),
	KUNIT_CASE(report_held_at_fork),
	/* Last: it oopses a thread of its own, which turns lockdep off. */
	KUNIT_CASE(report_nesting_overflow),
	{}
};

static struct kunit_suite kmap_local_test_suite = {
	.name = "kmap_local",
	.suite_init = kmap_local_suite_init,
	.suite_exit = kmap_local_suite_exit,
	.test_cases = kmap_local_test_cases,
};

kunit_test_suite(kmap_local_test_suite);

MODULE_DESCRIPTION("KUnit tests for kmap_local temporary mappings");
MODULE_LICENSE("GPL");
