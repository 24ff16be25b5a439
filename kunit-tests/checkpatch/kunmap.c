/* expect: DEPRECATED_API kunmap -> kunmap_local */
	kunmap(page);
