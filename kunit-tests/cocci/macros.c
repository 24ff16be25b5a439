// Macros of the file that unmap, return or call what relies on the atomic
// context, used inside a section: the section needs a human.
#include <linux/highmem.h>
#include <linux/uaccess.h>

#define UNMAP_RET(p, r) do { kunmap_atomic(p); return (r); } while (0)
#define READ_WORD(dst, src) get_user(dst, src)
#define CPU() smp_processor_id()
#define CLEAR(p) memset(p, 0, 8)

static int unmap_in_macro(struct page *page)
{
	u8 *a = kmap_atomic(page);

	if (a[0] != 0x55)
		UNMAP_RET(a, -EIO);
	a[1] = 0;
	kunmap_atomic(a);
	return 0;
}

static int user_copy_in_macro(struct page *page, u32 __user *up)
{
	u32 *p = kmap_atomic(page);
	int ret = READ_WORD(p[0], up);

	kunmap_atomic(p);
	return ret;
}

static void cpu_in_macro(struct page *page)
{
	u32 *p = kmap_atomic(page);

	p[0] = CPU();
	kunmap_atomic(p);
}

static void harmless_macro(struct page *page)
{
	u8 *p = kmap_atomic(page);

	CLEAR(p);
	kunmap_atomic(p);
}

#define MY_CPU smp_processor_id()
#define BAIL do { kunmap_atomic(p); return -EIO; } while (0)

static void cpu_obj(struct page *page)
{
	u32 *p = kmap_atomic(page);

	p[0] = MY_CPU;
	kunmap_atomic(p);
}

static int bail_obj(struct page *page)
{
	u8 *p = kmap_atomic(page);

	if (p[0] != 0x55)
		BAIL;
	p[1] = 0;
	kunmap_atomic(p);
	return 0;
}

#define WITH_MAP(v, pg, body)			\
	do {					\
		v = kmap_atomic(pg);		\
		body;				\
		kunmap_atomic(v);		\
	} while (0)

static int user_in_macro_arg(struct page *page, void __user *ubuf)
{
	void *v;
	int left = 0;

	WITH_MAP(v, page, left = __copy_to_user_inatomic(ubuf, v, 64));
	return left;
}
