/* expect: DEPRECATED_API __kunmap_atomic -> kunmap_local */
	__kunmap_atomic(addr);
