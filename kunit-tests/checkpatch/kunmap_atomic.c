/* expect: DEPRECATED_API kunmap_atomic -> kunmap_local */
	kunmap_atomic(addr);
