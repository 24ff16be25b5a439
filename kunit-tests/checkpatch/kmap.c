/* expect: DEPRECATED_API kmap -> kmap_local_page */
	void *addr = kmap(page);
