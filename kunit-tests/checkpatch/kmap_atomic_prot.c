/* expect: DEPRECATED_API kmap_atomic_prot -> kmap_local_page_prot */
	void *addr = kmap_atomic_prot(page, PAGE_KERNEL);
