/* expect: none (mentioned in a comment, not called) */
	/* This used to call kmap_atomic_prot() and io_mapping_map_atomic_wc(). */
	void *addr = kmap_local_page(page);
