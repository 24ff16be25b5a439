/* expect: DEPRECATED_API io_mapping_unmap_atomic -> io_mapping_unmap_local */
	io_mapping_unmap_atomic(io);
