/* expect: none (only calls are flagged, not a reference to the function) */
	void *(*map)(struct page *page) = kmap_atomic;
