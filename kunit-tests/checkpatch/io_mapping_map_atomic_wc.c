/* expect: DEPRECATED_API io_mapping_map_atomic_wc -> io_mapping_map_local_wc */
	void __iomem *io = io_mapping_map_atomic_wc(iomap, offset);
