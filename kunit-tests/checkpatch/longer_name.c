/* expect: none (a longer identifier that contains a deprecated name) */
	void *addr = my_kmap_atomic_prot_helper(page);
	void *other = kmap_atomic_prot_fallback(page);
