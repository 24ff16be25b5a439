// Sections calling what the kernel defines for, or as, atomic context: per-CPU
// accessors, preemption/fault state, every user-access family, in any
// statement that holds the call, and calls nothing can see into.
#include <linux/highmem.h>
#include <linux/uaccess.h>
#include <linux/percpu.h>

static void raw_cpu(struct page *page)
{
	u32 *p = kmap_atomic(page);

	p[0] = raw_cpu_read(counter);
	kunmap_atomic(p);
}

static int preempt_state(struct page *page)
{
	u32 *p = kmap_atomic(page);
	int ret = preemptible();

	kunmap_atomic(p);
	return ret;
}

static int fault_state(struct page *page)
{
	u32 *p = kmap_atomic(page);
	int ret = 0;

	if (!faulthandler_disabled())
		ret = p[0];
	kunmap_atomic(p);
	return ret;
}

static unsigned long raw_copy(struct page *page, const void __user *ubuf)
{
	void *p = kmap_atomic(page);
	unsigned long left = raw_copy_from_user(p, ubuf, 64);

	kunmap_atomic(p);
	return left;
}

static unsigned long underscore_copy(struct page *page, const void __user *ubuf)
{
	void *p = kmap_atomic(page);
	unsigned long left;

	left = _copy_from_user(p, ubuf, 64);
	kunmap_atomic(p);
	return left;
}

static __wsum csum_copy(struct page *page, const void __user *ubuf)
{
	void *p = kmap_atomic(page);
	__wsum sum = csum_and_copy_from_user(ubuf, p, 64);

	kunmap_atomic(p);
	return sum;
}

static int unsafe_access(struct page *page, u32 __user *ubuf)
{
	u32 *p = kmap_atomic(page);

	if (!user_access_begin(ubuf, 4))
		goto out;
	unsafe_put_user(p[0], ubuf, fault);
	user_access_end();
out:
	kunmap_atomic(p);
	return 0;
fault:
	user_access_end();
	kunmap_atomic(p);
	return -EFAULT;
}

static int in_switch(struct page *page)
{
	u32 *p = kmap_atomic(page);
	int ret = 0;

	switch (smp_processor_id()) {
	case 0:
		ret = p[0];
		break;
	}
	kunmap_atomic(p);
	return ret;
}

static void in_do_while(struct page *page, const char __user *ubuf)
{
	char *p = kmap_atomic(page);
	char c;

	do {
		p++;
	} while (!get_user(c, ubuf) && c);
	kunmap_atomic(p);
}

static void through_member(struct page *page, const struct ops *ops)
{
	void *p = kmap_atomic(page);

	ops->fill(p);
	kunmap_atomic(p);
}

static void through_pointer(struct page *page, void (*fill)(void *))
{
	void *p = kmap_atomic(page);

	(*fill)(p);
	kunmap_atomic(p);
}

static void through_parameter(struct page *page, void (*fill)(void *))
{
	void *p = kmap_atomic(page);

	fill(p);
	kunmap_atomic(p);
}

static int helper_copies(void *dst, const void __user *ubuf)
{
	return copy_from_user(dst, ubuf, 64) ? -EFAULT : 0;
}

static int through_helper(struct page *page, const void __user *ubuf)
{
	void *p = kmap_atomic(page);
	int ret = helper_copies(p, ubuf);

	kunmap_atomic(p);
	return ret;
}

static void (*fill_fns[2])(void *dst);

static void through_array(struct page *page, int i)
{
	void *p = kmap_atomic(page);

	fill_fns[i](p);
	kunmap_atomic(p);
}

static void through_returned(struct page *page, int i)
{
	void *p = kmap_atomic(page);

	pick(i)(p);
	kunmap_atomic(p);
}

static int rcu_sched(struct page *page)
{
	int *p = kmap_atomic(page);

	p[0] = rcu_dereference_sched(gcfg)->v;
	kunmap_atomic(p);
	return p[0];
}

struct fops { void (*fill)(void *); };
typedef void (*fill_t)(void *);

static void f_cast(struct page *page, void *cb)
{
	void *p = kmap_atomic(page);

	((void (*)(void *))cb)(p);
	kunmap_atomic(p);
}

static void f_ternary(struct page *page, int c, struct fops *a, struct fops *b)
{
	void *p = kmap_atomic(page);

	(c ? a->fill : b->fill)(p);
	kunmap_atomic(p);
}

static void f_paren_member(struct page *page, struct fops *a)
{
	void *p = kmap_atomic(page);

	(a->fill)(p);
	kunmap_atomic(p);
}

static void f_indirect(struct page *page, struct fops *a)
{
	void *p = kmap_atomic(page);

	INDIRECT_CALL_1(a->fill, memzero_page_fill, p);
	kunmap_atomic(p);
}

static void f_local_copy(struct page *page, struct fops *a)
{
	fill_t fn = a->fill;
	void *p = kmap_atomic(page);

	fn(p);
	kunmap_atomic(p);
}

static void f_multi_decl(struct page *page, struct fops *a)
{
	int n, (*fn)(void *) = (void *)a->fill;
	void *p = kmap_atomic(page);

	n = fn(p);
	kunmap_atomic(p);
}

static void f_static_local(struct page *page)
{
	static void (*hook)(void *);
	void *p = kmap_atomic(page);

	hook(p);
	kunmap_atomic(p);
}

static void f_array_member(struct page *page, struct fops *a)
{
	void *p = kmap_atomic(page);

	a[0].fill(p);
	kunmap_atomic(p);
}

struct cops { int (*fill)(void *dst, const void __user *src); };

static int do_fill(const struct cops *ops, void *dst, const void __user *src)
{
	return ops->fill(dst, src);
}

static int fill_page_ops(struct page *page, const struct cops *ops, const void __user *src)
{
	void *p = kmap_atomic(page);
	int ret = do_fill(ops, p, src);

	kunmap_atomic(p);
	return ret;
}

typedef int (*copy_fn)(void *dst, const void __user *src, size_t n);

static int fill_page_typedef(struct page *page, copy_fn copy, const void __user *src)
{
	void *p = kmap_atomic(page);
	int ret = copy(p, src, PAGE_SIZE);

	kunmap_atomic(p);
	return ret;
}

static int sockptr_copy(struct page *page, sockptr_t optval)
{
	void *p = kmap_atomic(page);
	int ret = copy_from_sockptr(p, optval, 64);

	kunmap_atomic(p);
	return ret;
}

static int msg_copy(struct page *page, struct msghdr *msg)
{
	void *p = kmap_atomic(page);
	int ret = memcpy_to_msg(msg, p, 64);

	kunmap_atomic(p);
	return ret;
}

static ssize_t read_buf(struct page *page, char __user *ubuf, size_t n, loff_t *ppos)
{
	void *p = kmap_atomic(page);
	ssize_t ret = simple_read_from_buffer(ubuf, n, ppos, p, PAGE_SIZE);

	kunmap_atomic(p);
	return ret;
}
