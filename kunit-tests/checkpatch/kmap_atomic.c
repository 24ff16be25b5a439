/* expect: DEPRECATED_API kmap_atomic -> kmap_local_page */
	void *addr = kmap_atomic(page);
