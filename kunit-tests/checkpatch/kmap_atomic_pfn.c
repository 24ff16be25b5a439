/* expect: DEPRECATED_API kmap_atomic_pfn -> kmap_local_pfn */
	void *addr = kmap_atomic_pfn(pfn);
