/* expect: DEPRECATED_API kmap_atomic_pfn -> kmap_local_pfn, DEPRECATED_API io_mapping_unmap_atomic -> io_mapping_unmap_local */
	void *addr = kmap_atomic_pfn(pfn);

	io_mapping_unmap_atomic(io);
