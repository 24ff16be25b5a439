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
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/pgtable.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <trace/events/printk.h>

#ifdef CONFIG_KMAP_LOCAL
#ifndef CONFIG_HIGHMEM
/* Only x86 has slots without HIGHMEM; <asm/highmem.h> has them otherwise. */
#include <asm/fixmap.h>
#endif
#include <asm/kmap_size.h>

/* mm/highmem.c leaves every other slot unused as a guard with DEBUG. */
#define KL_INCR		(IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL) ? 2 : 1)
/*
 * The push takes its slow path once the index reaches KM_MAX_IDX - KL_INCR
 * (KMAP_LOCAL_HOLES in mm/highmem.c), which BUG()s if no slot is free.
 */
#define KL_MAX_DEPTH	((KM_MAX_IDX - KL_INCR - 1) / KL_INCR)
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

/*
 * A slot that is unmapped and mapped to another page must show the new page.
 * The case makes the stale TLB entry a missing flush would leave itself,
 * rather than relying on what earlier cases left: it writes through the
 * slot while it maps @other, then maps @page into the very same slot.
 * Without the flush on unmap (arch_kmap_local_post_unmap()), the writes
 * meant for @page still reach @other, which the checks below see.  Migration
 * stays disabled throughout, so that the same slot is the same CPU's.
 */
static void contents_survive_remap(struct kunit *test)
{
	struct page *page = kl_alloc_slot_page(test);
	struct page *other = kl_alloc_slot_page(test);
	bool same_slot, page_ok, other_ok, again_ok;
	void *addr, *oaddr;

	migrate_disable();
	oaddr = kmap_local_page(other);
	kl_fill(oaddr, 30);
	kunmap_local(oaddr);

	addr = kmap_local_page(page);
	same_slot = addr == oaddr;
	kl_fill(addr, 3);
	kunmap_local(addr);

	/* Map it again one level deeper, so it lands in another slot. */
	oaddr = kmap_local_page(other);
	addr = kmap_local_page(page);
	page_ok = kl_check(addr, 3);
	other_ok = kl_check(oaddr, 30);
	kunmap_local(addr);
	kunmap_local(oaddr);

	/* And in the first slot again, which mapped @other just now. */
	addr = kmap_local_page(page);
	again_ok = kl_check(addr, 3);
	kunmap_local(addr);
	migrate_enable();

	KUNIT_EXPECT_TRUE(test, same_slot);
	KUNIT_EXPECT_TRUE(test, page_ok);
	KUNIT_EXPECT_TRUE_MSG(test, other_ok,
			      "writes through the re-mapped slot reached the page it mapped before");
	KUNIT_EXPECT_TRUE(test, again_ok);
}

static void nest_to_max_depth(struct kunit *test)
{
	struct page *pages[KL_MAX_DEPTH];
	void *addr[KL_MAX_DEPTH];
	int bad_addr = 0, bad_depth = 0, bad_contents = 0, bad_pte = 0;
	unsigned long flags;
	int i, j;

	kl_alloc_slot_pages(test, pages, KL_MAX_DEPTH);
	kunit_info(test, "nesting %d mappings\n", KL_MAX_DEPTH);

	/*
	 * Every slot taken: no room for an interrupt's mapping meanwhile.
	 * Interrupts are off, so the results are counted and checked after.
	 */
	local_irq_save(flags);
	for (i = 0; i < KL_MAX_DEPTH; i++) {
		addr[i] = kmap_local_page(pages[i]);
		bad_addr += !kl_in_kmap_fixmap(addr[i]);
		bad_depth += kl_depth() != i + 1;
		kl_fill(addr[i], 100 + i);
		for (j = 0; j < i; j++)
			bad_addr += addr[i] == addr[j];
	}

	for (i = KL_MAX_DEPTH - 1; i >= 0; i--) {
		for (j = 0; j <= i; j++)
			bad_contents += !kl_check(addr[j], 100 + j);
		kunmap_local(addr[i]);
		bad_depth += kl_depth() != i;
		bad_pte += !pte_none(kl_kernel_pte(addr[i]));
	}
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ_MSG(test, bad_addr, 0, "addresses outside the kmap area or not distinct");
	KUNIT_EXPECT_EQ(test, bad_depth, 0);
	KUNIT_EXPECT_EQ_MSG(test, bad_contents, 0, "mappings corrupted by deeper ones");
	KUNIT_EXPECT_EQ(test, bad_pte, 0);
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
	bool contents_ok, ran;
	int cpu, victim_cpu;
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
 * same CPU has used the same slots for its own pages (t->page[], allocated
 * by the caller).  Asserts nothing, as mappings are held: the caller
 * checks t->ran and the CPUs once it has unmapped.
 */
static void kl_switch_to_thief(struct kl_thief *t)
{
	struct task_struct *tsk;

	init_completion(&t->done);
	/* The mappings disabled migration: this CPU is ours until unmap. */
	t->victim_cpu = raw_smp_processor_id();
	tsk = kthread_create(kl_thief_fn, t, "kmap_local_thief");
	if (IS_ERR(tsk))
		return;
	kthread_bind(tsk, t->victim_cpu);
	wake_up_process(tsk);
	t->ran = wait_for_completion_timeout(&t->done, 30 * HZ);
	kthread_stop(tsk);
	t->ran &= raw_smp_processor_id() == t->victim_cpu;
}

/*
 * Map KL_THIEF_PAGES pages, then sleep until a thief has used their slots.
 * Leaves the mappings in place for the caller to check and unmap.
 */
static void kl_sleep_with_thief(struct kunit *test, struct kl_thief *t)
{
	int i;

	kl_alloc_slot_pages(test, t->victim, KL_THIEF_PAGES);
	kl_alloc_slot_pages(test, t->page, KL_THIEF_PAGES);
	t->nr_victims = KL_THIEF_PAGES;
	for (i = 0; i < KL_THIEF_PAGES; i++) {
		t->victim_addr[i] = kmap_local_page(t->victim[i]);
		kl_fill(t->victim_addr[i], 400 + i);
	}
	kl_switch_to_thief(t);
}

static void kl_unmap_victim(struct kunit *test, struct kl_thief *t)
{
	int i;

	for (i = KL_THIEF_PAGES - 1; i >= 0; i--)
		kunmap_local(t->victim_addr[i]);
	KUNIT_ASSERT_TRUE_MSG(test, t->ran, "slot thief did not run");
	KUNIT_EXPECT_EQ(test, t->cpu, t->victim_cpu);
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
	kl_unmap_victim(test, t);
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
	kl_unmap_victim(test, t);
}

struct kl_hog {
	bool stop;
	struct completion running;
};

static int kl_hog_fn(void *data)
{
	struct kl_hog *h = data;

	complete(&h->running);
	/* cond_resched(): lets the test task in on a kernel without preemption */
	while (!READ_ONCE(h->stop))
		cond_resched();
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void migration_disabled_preemption_enabled(struct kunit *test)
{
	struct page *page = kl_alloc_slot_page(test);
	struct kl_hog hog = { };
	struct task_struct *tsk;
	unsigned short migdis __maybe_unused = 0;
	void *addr;
	int cpu;

	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs at least 2 online CPUs");
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "preemptible() needs CONFIG_PREEMPT_COUNT");

	/*
	 * Keep our CPU busy while we sleep: a task free to migrate would be
	 * woken on the idle one.
	 */
	init_completion(&hog.running);
	tsk = kthread_create(kl_hog_fn, &hog, "kmap_local_hog");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));

#ifdef CONFIG_SMP
	migdis = current->migration_disabled;
#endif
	addr = kmap_local_page(page);
	cpu = raw_smp_processor_id();
#ifdef CONFIG_SMP
	KUNIT_EXPECT_GT(test, current->migration_disabled, migdis);
#endif
	KUNIT_EXPECT_TRUE(test, preemptible());

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

/*
 * kmap_atomic() disables page faults (kmap_atomic_on_top checks that), and
 * code converted from it that relies on that disables them itself: a user
 * copy then comes back short instead of faulting the page in.
 */
static void atomic_page_fault_short_copy(struct kunit *test)
{
	struct page *page = kl_alloc_page(test, GFP_HIGHUSER);
	unsigned long dst = kl_user_page(test), src = kl_user_page(test);
	unsigned long left_to, left_from;
	void *addr;

	addr = kmap_local_page(page);
	kl_fill(addr, 8);
	pagefault_disable();
	left_to = copy_to_user((void __user *)dst, addr, PAGE_SIZE);
	left_from = copy_from_user(addr, (void __user *)src, PAGE_SIZE);
	pagefault_enable();
	kunmap_local(addr);

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
	struct hrtimer timer;		/* the hard interrupt */
	struct tasklet_struct tasklet;	/* the softirq */
	struct completion softirq_done;
	bool hard;
	int nr_pages;			/* KL_IRQ_PAGES if 0 */
	struct task_struct *task;
	int task_depth;
	struct page *page[KL_IRQ_PAGES];
	void *addr[KL_IRQ_PAGES];
	bool right_context, on_top, contents_ok, depth_restored;
	bool done;
};

static void kl_irq_map(struct kl_irq *c)
{
	int i, nr = c->nr_pages ?: KL_IRQ_PAGES;

	c->right_context = c->hard ? in_hardirq() : in_serving_softirq();
	c->on_top = current == c->task && kl_depth() == c->task_depth;
	c->contents_ok = true;
	for (i = 0; i < nr; i++) {
		c->addr[i] = kmap_local_page(c->page[i]);
		kl_fill(c->addr[i], 600 + i);
	}
	for (i = nr - 1; i >= 0; i--) {
		c->contents_ok &= kl_check(c->addr[i], 600 + i);
		kunmap_local(c->addr[i]);
	}
	c->depth_restored = kl_depth() == c->task_depth;
	/* Publish the results above before the task sees done. */
	smp_store_release(&c->done, true);
}

static enum hrtimer_restart kl_irq_fn(struct hrtimer *timer)
{
	kl_irq_map(container_of(timer, struct kl_irq, timer));
	return HRTIMER_NORESTART;
}

static void kl_softirq_fn(struct tasklet_struct *t)
{
	struct kl_irq *c = from_tasklet(c, t, tasklet);

	kl_irq_map(c);
	complete(&c->softirq_done);
}

/*
 * Run kl_irq_map() for @c in a hard interrupt or in a softirq, on top of
 * this task and its mappings.  Asserts nothing: the caller may hold
 * mappings.
 *
 * The hard interrupt is a pinned hrtimer, spun for with preemption off so
 * that it lands on this task; a hard interrupt is not deferred.  A softirq
 * is not spun for: it may be deferred to ksoftirqd (and always is on
 * PREEMPT_RT), which cannot run while this task spins.  It is raised with
 * bottom halves disabled instead, so that local_bh_enable() runs it on top
 * of this task, as irq_exit() does.  Should it run in ksoftirqd all the
 * same, the task sleeps until it has, and the caller sees it was not on top.
 */
static void kl_irq_fire(struct kl_irq *c)
{
	unsigned long timeout = jiffies + 10 * HZ;

	c->task = current;
	c->task_depth = kl_depth();
	if (!c->hard) {
		init_completion(&c->softirq_done);
		tasklet_setup(&c->tasklet, kl_softirq_fn);
		local_bh_disable();
		tasklet_schedule(&c->tasklet);
		local_bh_enable();
		wait_for_completion_timeout(&c->softirq_done, 10 * HZ);
		tasklet_kill(&c->tasklet);
		return;
	}

	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	c->timer.function = kl_irq_fn;
	preempt_disable();
	hrtimer_start(&c->timer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_PINNED_HARD);
	/* Pairs with smp_store_release() in kl_irq_map(). */
	while (!smp_load_acquire(&c->done) && time_before(jiffies, timeout))
		cpu_relax();
	preempt_enable();
	hrtimer_cancel(&c->timer);
}

static void kl_nest_in_irq(struct kunit *test, bool hard)
{
	struct kl_irq *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct page *pages[KL_TASK_PAGES];
	void *addr[KL_TASK_PAGES];
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, c);
	kl_alloc_slot_pages(test, pages, KL_TASK_PAGES);
	kl_alloc_slot_pages(test, c->page, KL_IRQ_PAGES);
	c->hard = hard;

	for (i = 0; i < KL_TASK_PAGES; i++) {
		addr[i] = kmap_local_page(pages[i]);
		kl_fill(addr[i], 700 + i);
	}
	kl_irq_fire(c);
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

	KUNIT_ASSERT_TRUE_MSG(test, c->done, "interrupt callback did not run");
	KUNIT_EXPECT_TRUE(test, c->right_context);
	KUNIT_EXPECT_TRUE_MSG(test, c->on_top,
			      "interrupt did not nest on top of the task's mappings");
	KUNIT_EXPECT_TRUE(test, c->contents_ok);
	KUNIT_EXPECT_TRUE(test, c->depth_restored);
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

/*
 * kmap_atomic() is deprecated, and checkpatch rightly flags its callers, but
 * this case must call it: it pins down how kmap_atomic() nests on top of
 * kmap_local_page() and what it turns off only while it is held, which is
 * what every conversion from one to the other relies on.
 */
static void kmap_atomic_on_top(struct kunit *test)
{
	struct page *lpage = kl_alloc_page(test, GFP_HIGHUSER);
	struct page *apage = kl_alloc_page(test, GFP_HIGHUSER);
	bool atomic, nofault, in_slot, local_ok, atomic_ok;
	void *laddr, *aaddr;

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test,
			   "kmap_atomic() raises preempt_count() only with PREEMPT_COUNT and !PREEMPT_RT");

	laddr = kmap_local_page(lpage);
	kl_fill(laddr, 11);
	KUNIT_EXPECT_EQ(test, preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());

	/* Atomic until kunmap_atomic(): no expectation in between. */
	aaddr = kmap_atomic(apage);
	/* in_atomic(), spelt out */
	atomic = preempt_count() != 0;
	nofault = pagefault_disabled();
	in_slot = !kl_page_gets_slot(apage) || kl_in_kmap_fixmap(aaddr);
	kl_fill(aaddr, 12);
	local_ok = kl_check(laddr, 11);
	atomic_ok = kl_check(aaddr, 12);
	kunmap_atomic(aaddr);

	KUNIT_EXPECT_TRUE(test, atomic);
	KUNIT_EXPECT_TRUE(test, nofault);
	KUNIT_EXPECT_PTR_NE(test, aaddr, laddr);
	KUNIT_EXPECT_TRUE(test, in_slot);
	KUNIT_EXPECT_TRUE(test, local_ok);
	KUNIT_EXPECT_TRUE(test, atomic_ok);

	KUNIT_EXPECT_EQ(test, preempt_count(), 0);
	KUNIT_EXPECT_FALSE(test, pagefault_disabled());
	KUNIT_EXPECT_TRUE(test, kl_check(laddr, 11));
	kunmap_local(laddr);

	aaddr = kmap_local_page(apage);
	KUNIT_EXPECT_TRUE(test, kl_check(aaddr, 12));
	kunmap_local(aaddr);
}

/*
 * kmap_to_page() and is_kmap_addr() of slot addresses, at every depth the
 * suite uses and at depth 0 on every CPU: the first slot of CPU 0 is the
 * highest address of the kmap fixmap area.
 */
static void kl_expect_kmap_addr(struct kunit *test, void *addr, struct page *page)
{
	bool slot = kl_in_kmap_fixmap(addr);
	unsigned long a = (unsigned long)addr;

	KUNIT_EXPECT_EQ_MSG(test, is_kmap_addr(addr), slot, "0x%lx", a);
	KUNIT_EXPECT_EQ_MSG(test, is_kmap_addr(addr + PAGE_SIZE - 1), slot, "0x%lx", a);
	KUNIT_EXPECT_PTR_EQ_MSG(test, kmap_to_page(addr), page, "0x%lx", a);
	KUNIT_EXPECT_PTR_EQ_MSG(test, kmap_to_page(addr + PAGE_SIZE - 1), page, "0x%lx", a);
}

static void kmap_to_page_of_slot_addresses(struct kunit *test)
{
	struct page *pages[2] = {
		kl_alloc_page(test, GFP_KERNEL),
		kl_alloc_page(test, GFP_HIGHUSER),
	};
	void *addr[2];
	int i;

	for (i = 0; i < 2; i++)
		addr[i] = kmap_local_page(pages[i]);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, kl_in_kmap_fixmap(addr[i]), kl_page_gets_slot(pages[i]));
		kl_expect_kmap_addr(test, addr[i], pages[i]);
	}
	kunmap_local(addr[1]);
	kunmap_local(addr[0]);
}

struct kl_first_slot {
	struct page *page;
	void *addr;
	int depth;
	bool is_kmap, is_kmap_end;
	struct page *to_page, *to_page_end;
};

static long kl_first_slot_fn(void *data)
{
	struct kl_first_slot *f = data;

	f->depth = kl_depth();
	f->addr = kmap_local_page(f->page);
	f->is_kmap = is_kmap_addr(f->addr);
	f->is_kmap_end = is_kmap_addr(f->addr + PAGE_SIZE - 1);
	f->to_page = kmap_to_page(f->addr);
	f->to_page_end = kmap_to_page(f->addr + PAGE_SIZE - 1);
	kunmap_local(f->addr);
	return 0;
}

static void kmap_to_page_of_first_slot_on_each_cpu(struct kunit *test)
{
	struct kl_first_slot f = { .page = kl_alloc_slot_page(test) };
	unsigned long a;
	int cpu;

	for_each_online_cpu(cpu) {
		KUNIT_ASSERT_EQ(test, work_on_cpu(cpu, kl_first_slot_fn, &f), 0);
		KUNIT_EXPECT_EQ_MSG(test, f.depth, 0, "CPU %d", cpu);
		KUNIT_EXPECT_TRUE_MSG(test, kl_in_kmap_fixmap(f.addr), "CPU %d", cpu);
		a = (unsigned long)f.addr;
		KUNIT_EXPECT_TRUE_MSG(test, f.is_kmap, "CPU %d: 0x%lx", cpu, a);
		KUNIT_EXPECT_TRUE_MSG(test, f.is_kmap_end, "CPU %d: 0x%lx", cpu, a);
		KUNIT_EXPECT_PTR_EQ_MSG(test, f.to_page, f.page, "CPU %d: 0x%lx", cpu, a);
		KUNIT_EXPECT_PTR_EQ_MSG(test, f.to_page_end, f.page, "CPU %d: 0x%lx", cpu, a);
	}
}

/*
 * Misuse.  Each case commits one misuse on purpose, in functions named for
 * their role so that a report can be checked for them, and checks what
 * the kernel did about it: the mappings left, and the warning.  The
 * console is captured through the console tracepoint as
 * mm/kfence/kfence_test.c does; the capture is bracketed by marker lines
 * that tell the test runner the warning was provoked on purpose.  With
 * CONFIG_DEBUG_KMAP_LOCAL every misuse is reported with the mappings held
 * (rate limited); without it the kernel warns once per boot, so only the
 * taint can be checked every time.
 */
static struct {
	spinlock_t lock;	/* the probe can run in any context */
	bool armed;
	size_t len;
	char buf[16384];
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

static void kl_console_arm(bool armed)
{
	unsigned long flags;

	spin_lock_irqsave(&kl_console.lock, flags);
	if (armed) {
		kl_console.len = 0;
		kl_console.buf[0] = '\0';
	}
	kl_console.armed = armed;
	spin_unlock_irqrestore(&kl_console.lock, flags);
}

/* Are misuse reports on, and can they be captured? */
static bool kl_reports(void)
{
	return IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL) && kl_console_probe_registered;
}

static void kl_report_begin(struct kunit *test)
{
	kl_console_arm(true);
	pr_info("kmap_local_test: kunit-expected-report-begin\n");
}

static void kl_report_end(struct kunit *test)
{
	pr_info("kmap_local_test: kunit-expected-report-end\n");
	kl_console_arm(false);
}

/* Expect the captured report to contain the formatted string. */
static __printf(2, 3) void kl_report_has(struct kunit *test, const char *fmt, ...)
{
	char want[160];
	va_list args;

	if (!kl_reports())
		return;
	va_start(args, fmt);
	vsnprintf(want, sizeof(want), fmt, args);
	va_end(args);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(kl_console.buf, want),
			      "report lacks \"%s\"", want);
}

/*
 * The report's first lines, and the WARNING it ends with.  @where is the
 * function named as the call site ("" not to check it; the compiler may
 * suffix it, as in .isra.0), @cpu where the misuse ran, read while the
 * task held a mapping (migration off).
 */
static void kl_report_is(struct kunit *test, const char *what, const char *where,
			 int held, int cpu)
{
	kl_report_has(test, "kmap_local: %s", what);
	kl_report_has(test, "kmap_local: in task context of %s/%d on CPU %d at %s",
		      current->comm, task_pid_nr(current), cpu, where);
	kl_report_has(test, "kmap_local: %d mapping%s held:", held, held == 1 ? "" : "s");
	kl_report_has(test, "WARNING: CPU: %d PID: %d at ", cpu, task_pid_nr(current));
	kl_report_has(test, "mm/highmem.c:");
}

/*
 * The first misuse of its kind in the suite: with or without
 * DEBUG_KMAP_LOCAL (once per boot then), it must have WARNed.
 */
static void kl_warned_first(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(kl_console.buf, "WARNING:"),
				  "no WARNING on the console");
}

/* How many reports the capture holds. */
static int kl_report_count(void)
{
	const char *p = kl_console.buf;
	int n = 0;

	while ((p = strstr(p, "kmap_local: in "))) {
		n++;
		p++;
	}
	return n;
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

static unsigned int kl_migration_disabled(void)
{
#ifdef CONFIG_SMP
	return current->migration_disabled;
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
	kl_report_end(test);

	kl_report_is(test, "out-of-order kunmap_local()", "kl_unmap_out_of_order", 3,
		     raw_smp_processor_id());
	kl_report_has(test, "address 0x%lx", (unsigned long)addr[1]);
	kl_report_has(test, "mapped at kl_map_first");
	kl_report_has(test, "mapped at kl_map_second");
	kl_report_has(test, "mapped at kl_map_third");
}

static void out_of_order_unmap_unmaps_named_slot(struct kunit *test)
{
	struct page *pages[3];
	void *addr[3];

	kl_map_three(test, pages, addr);
	kl_unmap_out_of_order_reported(test, addr);
	kl_warned_first(test);

	/* Exactly the named slot went away; the others are intact. */
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
	kl_alloc_slot_pages(test, t->page, KL_THIEF_PAGES);
	kl_map_three(test, pages, addr);
	kl_unmap_out_of_order_reported(test, addr);

	t->nr_victims = 3;
	for (i = 0; i < 3; i++)
		t->victim_addr[i] = addr[i];
	kl_switch_to_thief(t);

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
	KUNIT_EXPECT_TRUE_MSG(test, t->ran, "slot thief did not run");
	KUNIT_EXPECT_EQ(test, t->cpu, t->victim_cpu);
}

static void unmap_not_mapped_changes_nothing(struct kunit *test)
{
	struct page *pages[2];
	unsigned int migdis;
	void *addr[2];

	kl_alloc_slot_pages(test, pages, 2);
	addr[0] = kl_map_first(pages[0]);
	addr[1] = kl_map_second(pages[1]);
	kl_fill(addr[0], 910);
	kunmap_local(addr[1]);
	migdis = kl_migration_disabled();

	kl_report_begin(test);
	kl_unmap_again(addr[1]);
	kl_report_end(test);

	kl_warned_first(test);
	kl_report_is(test, "kunmap_local() of an address that is not mapped",
		     "kl_unmap_again", 1, raw_smp_processor_id());
	kl_report_has(test, "address 0x%lx", (unsigned long)addr[1]);
	kl_report_has(test, "mapped at kl_map_first");

	/* Nothing changed. */
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_EQ(test, kl_migration_disabled(), migdis);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[0], pages[0]));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[0], 910));
	kunmap_local(addr[0]);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
}

/*
 * A task on our CPU that lends us the address of its third mapping.  Slot
 * addresses are per CPU, not per task: the address names our own slot 2,
 * which we do not use, so it is not mapped for us.
 */
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
	unsigned long left = 0;
	struct page *page;
	void *addr;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, o);
	page = kl_alloc_slot_page(test);
	kl_alloc_slot_pages(test, o->page, 3);
	init_completion(&o->mapped);
	init_completion(&o->go);
	init_completion(&o->done);
	tsk = kthread_create(kl_owner_fn, o, "kmap_local_owner");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));

	/* No assertion from here until our mapping is gone. */
	addr = kl_map_first(page);
	kl_fill(addr, 930);
	cpu = raw_smp_processor_id();
	kthread_bind(tsk, cpu);
	wake_up_process(tsk);
	left = wait_for_completion_timeout(&o->mapped, 30 * HZ);
	if (left) {
		/* A live slot of the owner, not of ours: nothing may change. */
		kl_report_begin(test);
		kl_unmap_foreign(o->addr[2]);
		kl_report_end(test);
	}
	complete(&o->go);
	if (left)
		left = wait_for_completion_timeout(&o->done, 30 * HZ);
	kthread_stop(tsk);

	/* The owner's mappings survived the switches, and so did ours. */
	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	KUNIT_EXPECT_TRUE(test, kl_check(addr, 930));
	kunmap_local(addr);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());

	KUNIT_ASSERT_NE_MSG(test, left, 0, "owner thread did not run");
	KUNIT_EXPECT_TRUE(test, o->ok);
	kl_report_is(test, "kunmap_local() of an address that is not mapped",
		     "kl_unmap_foreign", 1, cpu);
	kl_report_has(test, "mapped at kl_map_first");
}

/*
 * "Map the next page, unmap the previous one", a loop that conversions
 * from kmap_atomic() produce: every unmap is out of order and leaves a
 * hole.  It must go on for as long as it likes, every new mapping must
 * show its own page, and the stack must be empty once the last mapping
 * is gone.
 */
#define KL_ROLL_PAGES	3
#define KL_ROLL_ROUNDS	(4 * KL_MAX_DEPTH + 5)

static void rolling_unmap_of_previous_mapping(struct kunit *test)
{
	struct page *pages[KL_ROLL_PAGES];
	unsigned int migdis = kl_migration_disabled();
	int i, cpu, bad_contents = 0, bad_pte = 0;
	void *prev, *addr;

	kl_alloc_slot_pages(test, pages, KL_ROLL_PAGES);
	for (i = 0; i < KL_ROLL_PAGES; i++) {
		addr = kmap_local_page(pages[i]);
		kl_fill(addr, 940 + i);
		kunmap_local(addr);
	}

	kl_report_begin(test);
	prev = kmap_local_page(pages[0]);
	cpu = raw_smp_processor_id();
	for (i = 1; i <= KL_ROLL_ROUNDS; i++) {
		struct page *page = pages[i % KL_ROLL_PAGES];

		addr = kmap_local_page(page);
		bad_contents += !kl_check(addr, 940 + i % KL_ROLL_PAGES);
		bad_pte += !kl_pte_maps(addr, page);
		kl_unmap_out_of_order(prev);
		prev = addr;
	}
	kunmap_local(prev);
	kl_report_end(test);

	KUNIT_EXPECT_EQ(test, bad_contents, 0);
	KUNIT_EXPECT_EQ(test, bad_pte, 0);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
	KUNIT_EXPECT_EQ(test, kl_migration_disabled(), migdis);
	kl_report_is(test, "out-of-order kunmap_local()", "kl_unmap_out_of_order", 2, cpu);
}

/*
 * A fast push raises the index before it records the slot's pteval, with
 * interrupts on.  An interrupt there sees a slot below the index whose
 * pteval is still none.  It must leave it alone even when it commits a
 * misuse of its own, which sends it through the slow paths; the previous
 * version took such a slot for a hole and popped it.  The test makes that
 * state by hand (the push's first half: the index raised, with preemption
 * off) and fires a hard interrupt into it.
 */
struct kl_window {
	struct hrtimer timer;
	struct page *page[3];
	void *addr[3];
	int idx_before, idx_after;
	bool contents_ok, done;
};

static enum hrtimer_restart kl_window_irq(struct hrtimer *timer)
{
	struct kl_window *w = container_of(timer, struct kl_window, timer);
	int i;

#ifdef CONFIG_KMAP_LOCAL
	w->idx_before = current->kmap_ctrl.idx;
#endif
	for (i = 0; i < 3; i++) {
		w->addr[i] = kmap_local_page(w->page[i]);
		kl_fill(w->addr[i], 950 + i);
	}
	/* The interrupt's own misuse: its middle mapping first. */
	kl_unmap_out_of_order(w->addr[1]);
	w->contents_ok = kl_check(w->addr[0], 950) && kl_check(w->addr[2], 952);
	kunmap_local(w->addr[2]);
	kunmap_local(w->addr[0]);
#ifdef CONFIG_KMAP_LOCAL
	w->idx_after = current->kmap_ctrl.idx;
#endif
	/* Publish the results above before the task sees done. */
	smp_store_release(&w->done, true);
	return HRTIMER_NORESTART;
}

static const bool kl_window_holes[] = { false, true };

static void kl_window_desc(const bool *holes, char *desc)
{
	strscpy(desc, *holes ? "holes below" : "no holes", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kl_window, kl_window_holes, kl_window_desc);

/*
 * Without holes, the interrupt must leave idx as it found it.  With holes
 * below (the task's push then goes to its slow path, which does not read
 * idx, and restores it), it must leave the holes and the task's mappings:
 * the task's own unmaps then empty the stack.
 */
static void irq_misuse_in_push_window(struct kunit *test)
{
	struct kl_window *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	const bool *holes = test->param_value;
	unsigned long timeout = jiffies + 10 * HZ;
	struct page *pages[3];
	void *addr[3];
	int saved = 0;

	if (!IS_ENABLED(CONFIG_KMAP_LOCAL))
		kunit_skip(test, "no kmap_local slots on this configuration");
	KUNIT_ASSERT_NOT_NULL(test, w);
	kl_alloc_slot_pages(test, w->page, 3);
	hrtimer_init(&w->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	w->timer.function = kl_window_irq;
	kl_map_three(test, pages, addr);

	kl_report_begin(test);
	if (*holes)
		kl_unmap_out_of_order(addr[1]);
	preempt_disable();
#ifdef CONFIG_KMAP_LOCAL
	saved = current->kmap_ctrl.idx;
	current->kmap_ctrl.idx += KL_INCR;	/* a push, interrupted */
#endif
	hrtimer_start(&w->timer, ns_to_ktime(100 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	/* Pairs with smp_store_release() in kl_window_irq(). */
	while (!smp_load_acquire(&w->done) && time_before(jiffies, timeout))
		cpu_relax();
	hrtimer_cancel(&w->timer);
#ifdef CONFIG_KMAP_LOCAL
	current->kmap_ctrl.idx = saved;		/* ... and abandoned */
#endif
	preempt_enable();
	kl_report_end(test);

	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[0], pages[0]));
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr[2], pages[2]));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[0], 900));
	KUNIT_EXPECT_TRUE(test, kl_check(addr[2], 902));
	kunmap_local(addr[2]);
	if (!*holes)
		kunmap_local(addr[1]);
	kunmap_local(addr[0]);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());

	KUNIT_ASSERT_TRUE_MSG(test, w->done, "timer callback did not run");
	KUNIT_EXPECT_TRUE(test, w->contents_ok);
	if (!*holes)
		KUNIT_EXPECT_EQ_MSG(test, w->idx_after, w->idx_before,
				    "the interrupt did not leave the index as it found it");
}

/*
 * An interrupt that maps in order on a full stack with a hole: its one
 * mapping takes the hole, below the task's top, and its unmap, though not
 * of the top slot, is in order and must not be reported (the report
 * decides by when slots were mapped; without DEBUG_KMAP_LOCAL the once
 * per boot warning has fired already, so only the mappings are checked).
 */
static void irq_maps_into_hole_of_full_stack(struct kunit *test)
{
	struct kl_irq *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct page *pages[KL_MAX_DEPTH];
	void *addr[KL_MAX_DEPTH];
	const int hole = KL_MAX_DEPTH / 2;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	kl_alloc_slot_pages(test, c->page, 1);
	kl_alloc_slot_pages(test, pages, KL_MAX_DEPTH);
	c->hard = true;
	c->nr_pages = 1;
	for (i = 0; i < KL_MAX_DEPTH; i++) {
		addr[i] = kmap_local_page(pages[i]);
		kl_fill(addr[i], 960 + i);
	}
	kl_report_begin(test);
	kl_unmap_out_of_order(addr[hole]);
	kl_report_end(test);

	/* From here on, nothing may be reported. */
	kl_console_arm(true);
	kl_irq_fire(c);
	kl_console_arm(false);

	for (i = KL_MAX_DEPTH - 1; i >= 0; i--) {
		if (i == hole)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, kl_check(addr[i], 960 + i), "mapping %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, kl_pte_maps(addr[i], pages[i]), "mapping %d", i);
		kunmap_local(addr[i]);
	}
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());

	KUNIT_ASSERT_TRUE_MSG(test, c->done, "timer callback did not run");
	KUNIT_EXPECT_TRUE(test, c->right_context);
	KUNIT_EXPECT_TRUE(test, c->contents_ok);
	KUNIT_EXPECT_PTR_EQ_MSG(test, c->addr[0], addr[hole],
				"the interrupt's mapping did not take the hole");
	KUNIT_EXPECT_NULL(test, strstr(kl_console.buf, "kmap_local:"));
}

/* The report says which context the misuse was in. */
struct kl_irq_misuse {
	struct hrtimer timer;
	void *stale;
	bool done;
};

static enum hrtimer_restart kl_irq_misuse_fn(struct hrtimer *timer)
{
	struct kl_irq_misuse *m = container_of(timer, struct kl_irq_misuse, timer);

	kl_unmap_again(m->stale);
	/* The report is out before the task sees done. */
	smp_store_release(&m->done, true);
	return HRTIMER_NORESTART;
}

static void report_names_hardirq_context(struct kunit *test)
{
	struct kl_irq_misuse *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned long timeout = jiffies + 10 * HZ;
	struct page *page;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, m);
	if (!kl_reports())
		kunit_skip(test, "misuse reports need CONFIG_DEBUG_KMAP_LOCAL");
	page = kl_alloc_slot_page(test);
	m->stale = kmap_local_page(page);
	kunmap_local(m->stale);
	hrtimer_init(&m->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	m->timer.function = kl_irq_misuse_fn;

	kl_report_begin(test);
	preempt_disable();
	cpu = smp_processor_id();
	hrtimer_start(&m->timer, ns_to_ktime(100 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	/* Pairs with smp_store_release() in kl_irq_misuse_fn(). */
	while (!smp_load_acquire(&m->done) && time_before(jiffies, timeout))
		cpu_relax();
	hrtimer_cancel(&m->timer);
	preempt_enable();
	kl_report_end(test);

	KUNIT_ASSERT_TRUE_MSG(test, m->done, "timer callback did not run");
	kl_report_has(test, "kmap_local: kunmap_local() of an address that is not mapped");
	kl_report_has(test, "kmap_local: in hardirq context of %s/%d on CPU %d at kl_unmap_again",
		      current->comm, task_pid_nr(current), cpu);
	KUNIT_EXPECT_TRUE(test, kl_stack_empty());
}

/* What exit_to_user_mode_prepare() checks, as it checks it. */
static noinline void kl_return_to_user(void)
{
	WRITE_ONCE(kl_named_fn, 8);
	kmap_assert_nomap();
	barrier();
}

static void report_held_on_user_return_once(struct kunit *test)
{
	struct page *pages[2];
	void *addr[2];
	int cpu;

	if (!kl_reports())
		kunit_skip(test, "misuse reports need CONFIG_DEBUG_KMAP_LOCAL");
	kl_alloc_slot_pages(test, pages, 2);
	addr[0] = kl_map_first(pages[0]);
	addr[1] = kl_map_second(pages[1]);
	cpu = raw_smp_processor_id();

	kl_report_begin(test);
	kl_return_to_user();
	kl_return_to_user();
	kl_report_end(test);

	kunmap_local(addr[1]);
	kunmap_local(addr[0]);

	kl_report_is(test, "mappings held on return to user space", "kl_return_to_user", 2, cpu);
	kl_report_has(test, "mapped at kl_map_first");
	kl_report_has(test, "mapped at kl_map_second");
	/* Once per task: a task that returns to user space does so often. */
	if (kl_reports())
		KUNIT_EXPECT_EQ(test, kl_report_count(), 1);
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
	int cpu;

	if (!kl_reports())
		kunit_skip(test, "misuse reports need CONFIG_DEBUG_KMAP_LOCAL");
	page = kl_alloc_slot_page(test);
	addr = kl_map_first(page);
	cpu = raw_smp_processor_id();

	kl_report_begin(test);
	kl_fork_while_mapped(test);
	kl_report_end(test);

	KUNIT_EXPECT_EQ(test, kl_depth(), 1);
	KUNIT_EXPECT_TRUE(test, kl_pte_maps(addr, page));
	kunmap_local(addr);

	kl_report_is(test, "mappings held at fork", "", 1, cpu);
	kl_report_has(test, "kl_fork_while_mapped");
	kl_report_has(test, "mapped at kl_map_first");
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
	int i, started;

	s = kunit_kcalloc(test, KL_STRESS_THREADS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < KL_STRESS_THREADS; i++) {
		kl_alloc_slot_pages(test, s[i].page, KL_STRESS_DEPTH);
		s[i].deadline = jiffies + KL_STRESS_SECONDS * HZ;
		init_completion(&s[i].done);
	}
	/* No assertion until the threads started are stopped: they use s[]. */
	for (i = 0; i < KL_STRESS_THREADS; i++) {
		tsk[i] = kthread_run(kl_stress_fn, &s[i], "kmap_local_stress/%d", i);
		if (IS_ERR(tsk[i]))
			break;
	}
	started = i;
	for (i = 0; i < started; i++) {
		left = wait_for_completion_timeout(&s[i].done,
						   (KL_STRESS_SECONDS + 60) * HZ);
		KUNIT_EXPECT_NE(test, left, 0);
		kthread_stop(tsk[i]);
		rounds += s[i].rounds;
		maps += s[i].maps;
		errors += s[i].errors;
	}
	KUNIT_EXPECT_EQ_MSG(test, started, KL_STRESS_THREADS, "kthread_run() failed");
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
	KUNIT_CASE(kmap_to_page_of_slot_addresses),
	KUNIT_CASE(kmap_to_page_of_first_slot_on_each_cpu),
	KUNIT_CASE(out_of_order_unmap_unmaps_named_slot),
	KUNIT_CASE(out_of_order_unmap_survives_switch),
	KUNIT_CASE(unmap_not_mapped_changes_nothing),
	KUNIT_CASE(foreign_unmap_survives_switch),
	KUNIT_CASE(irq_maps_into_hole_of_full_stack),
	KUNIT_CASE(report_names_hardirq_context),
	KUNIT_CASE(report_held_on_user_return_once),
	KUNIT_CASE(report_held_at_fork),
	/*
	 * After every case that checks a report's text: these two provoke
	 * more reports than the rate limit lets through in 5 seconds.
	 */
	KUNIT_CASE(rolling_unmap_of_previous_mapping),
	KUNIT_CASE_PARAM(irq_misuse_in_push_window, kl_window_gen_params),
	{}
};

static struct kunit_suite kmap_local_test_suite = {
	.name = "kmap_local",
	.suite_init = kmap_local_suite_init,
	.suite_exit = kmap_local_suite_exit,
	.test_cases = kmap_local_test_cases,
};

#ifdef CONFIG_KMAP_LOCAL_OVERFLOW_KUNIT_TEST
/*
 * One mapping more than a task can hold: there is no slot to map into, so
 * the task dies in BUG(), reported first with CONFIG_DEBUG_KMAP_LOCAL.  It
 * runs in a thread of its own, in a suite of its own that only
 * CONFIG_KMAP_LOCAL_OVERFLOW_KUNIT_TEST builds: the oops taints the kernel
 * and turns lockdep off, and with panic_on_oops it panics.
 */
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
	/* BUG(): this thread dies here. */
	kl_map_one_too_many(ov->page[KL_MAX_DEPTH]);
	WRITE_ONCE(ov->survived, true);
	return 0;
}

static void overflow_kills_the_task(struct kunit *test)
{
	struct kl_overflow *ov = kunit_kzalloc(test, sizeof(*ov), GFP_KERNEL);
	struct task_struct *tsk;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ov);
	kl_alloc_slot_pages(test, ov->page, KL_MAX_DEPTH + 1);
	init_completion(&ov->started);
	tsk = kthread_create(kl_overflow_fn, ov, "kmap_local_overflow");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	get_task_struct(tsk);

	kl_console_arm(true);
	pr_info("kmap_local_test: kunit-expected-report-begin\n");
	wake_up_process(tsk);
	/*
	 * Once the thread runs, kthread_stop() only waits: the thread dies
	 * in BUG() and its exit completes the wait.
	 */
	wait_for_completion(&ov->started);
	kthread_stop(tsk);
	pr_info("kmap_local_test: kunit-expected-report-end\n");
	kl_console_arm(false);
	put_task_struct(tsk);

	KUNIT_EXPECT_FALSE(test, ov->survived);
	KUNIT_EXPECT_TRUE(test, test_taint(TAINT_DIE));
	if (!kl_reports())
		return;
	kl_report_has(test, "kmap_local: too many nested mappings");
	kl_report_has(test,
		      "kmap_local: in task context of %s/%d on CPU %d at kl_map_one_too_many",
		      ov->comm, ov->pid, ov->cpu);
	kl_report_has(test, "kmap_local: %d mappings held:", KL_MAX_DEPTH);
	kl_report_has(test, "mapped at kl_map_first");
	for (i = 0; i < KL_MAX_DEPTH; i++)
		kl_report_has(test, "kmap_local:  #%d: slot %d,", i, i * KL_INCR + KL_INCR - 1);
}

static struct kunit_case kmap_local_overflow_test_cases[] = {
	KUNIT_CASE(overflow_kills_the_task),
	{}
};

static struct kunit_suite kmap_local_overflow_test_suite = {
	.name = "kmap_local_overflow",
	.suite_init = kmap_local_suite_init,
	.suite_exit = kmap_local_suite_exit,
	.test_cases = kmap_local_overflow_test_cases,
};

kunit_test_suites(&kmap_local_test_suite, &kmap_local_overflow_test_suite);
#else
kunit_test_suite(kmap_local_test_suite);
#endif

MODULE_DESCRIPTION("KUnit tests for kmap_local temporary mappings");
MODULE_LICENSE("GPL");
