/* expect: none (the local twins are what checkpatch asks for) */
	void *addr = kmap_local_page(page);
	void *prot = kmap_local_page_prot(page, PAGE_KERNEL);
	void *pfnaddr = kmap_local_pfn(pfn);
	void __iomem *io = io_mapping_map_local_wc(iomap, offset);

	io_mapping_unmap_local(io);
	kunmap_local(pfnaddr);
	kunmap_local(prot);
	kunmap_local(addr);
