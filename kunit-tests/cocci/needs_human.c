// Sections that rely on what the atomic mapping implied, and mappings that
// are not a plain pair: nothing converts, each is reported with its reason.
#include <linux/highmem.h>
#include <linux/io-mapping.h>
#include <linux/uaccess.h>

static unsigned long user_copy(struct page *page, char __user *ubuf)
{
	char *vaddr = kmap_atomic(page);
	unsigned long left = __copy_to_user_inatomic(ubuf, vaddr, 64);

	kunmap_atomic(vaddr);
	return left;
}

static unsigned long nontemporal(struct io_mapping *iomap, char __user *ubuf)
{
	void __iomem *vaddr;
	unsigned long left;

	vaddr = io_mapping_map_atomic_wc(iomap, 0);
	left = copy_from_user_inatomic_nontemporal((void __force *)vaddr, ubuf, 64);
	io_mapping_unmap_atomic(vaddr);
	return left;
}

static int plain_user_copy(struct page *page, const char __user *ubuf)
{
	char *vaddr = kmap_atomic(page);
	int ret = 0;

	if (copy_from_user(vaddr, ubuf, 64))
		ret = -EFAULT;
	kunmap_atomic(vaddr);
	return ret;
}

static void percpu(struct page *page)
{
	u32 *p;

	p = kmap_atomic(page);
	this_cpu_inc(counter);
	p[0] = 1;
	kunmap_atomic(p);
}

static int nested(struct io_mapping *iomap)
{
	void __iomem *vaddr = io_mapping_map_atomic_wc(iomap, 0);
	int ret = 0;

	if (in_atomic())
		ret = readl(vaddr);
	io_mapping_unmap_atomic(vaddr);
	return ret;
}

static void *returned(struct page *page)
{
	return kmap_atomic(page);
}

static void other_pointer(struct page *page, unsigned long off)
{
	u8 *vaddr = kmap_atomic(page);
	u8 *p = vaddr + off;

	p[0] = 0;
	kunmap_atomic(p);
}
