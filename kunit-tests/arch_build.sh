#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the kmap_local slot code and its suite for the architectures the
# matrix cannot boot but Debian has a cross compiler for, each with its
# own kmap_local hooks (arch_kmap_local_*() in asm/highmem.h): a 32-bit
# HIGHMEM config, with and without DEBUG_KMAP_LOCAL.  Objects only
# (mm/highmem.o, mm/tests/kmap_local_kunit.o), W=1, at the series' head.
#
# Not here: xtensa (the one architecture that overrides
# arch_kmap_local_map_idx()), csky and microblaze: Debian has no cross
# compiler for them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OBJS="mm/highmem.o mm/tests/kmap_local_kunit.o"
# arch  defconfig  cross prefix  compiler (if not PREFIXgcc)
TABLE="
mips     malta_defconfig     mips-linux-gnu-     -
powerpc  pmac32_defconfig    powerpc-linux-gnu-  -
sparc    sparc32_defconfig   sparc64-linux-gnu-  -
arc      haps_hs_smp_defconfig  arc-linux-gnu-   arc-linux-gnu-gcc-12
"
rc=0
while read -r arch defconfig cross cc; do
	[ -n "$arch" ] || continue
	out=$BUILD/arches/$arch
	mkdir -p "$out"
	vars=(ARCH="$arch" CROSS_COMPILE="$cross")
	[ "$cc" = - ] || vars+=(CC="$cc")
	if ! command -v "${cc/#-/${cross}gcc}" >/dev/null; then
		echo "$arch: no compiler ${cc/#-/${cross}gcc} (kunit-tests/setup.sh installs it)"
		rc=1
		continue
	fi
	for debug in y n; do
		log=$LOGS/arches-$arch-debug-$debug.log
		if make -s -C "$SRC" O="$out" "${vars[@]}" "$defconfig" >"$log" 2>&1 &&
		   "$SRC/scripts/config" --file "$out/.config" -e HIGHMEM -e DEBUG_KERNEL \
			-e KUNIT -e KMAP_LOCAL_KUNIT_TEST -"$( [ $debug = y ] && echo e || echo d )" DEBUG_KMAP_LOCAL &&
		   make -s -C "$SRC" O="$out" "${vars[@]}" olddefconfig >>"$log" 2>&1 &&
		   grep -q '^CONFIG_HIGHMEM=y' "$out/.config" &&
		   grep -q '^CONFIG_KMAP_LOCAL_KUNIT_TEST=y' "$out/.config" &&
		   { [ $debug = n ] || grep -q '^CONFIG_DEBUG_KMAP_LOCAL=y' "$out/.config"; } &&
		   make -C "$SRC" O="$out" "${vars[@]}" -j"$JOBS" W=1 $OBJS >>"$log" 2>&1 &&
		   ! grep -E '(warning|error):' "$log" | grep -E 'mm/highmem|kmap_local|highmem-internal|sched\.h'; then
			echo "$arch: ok (HIGHMEM, DEBUG_KMAP_LOCAL=$debug): $OBJS"
		else
			tail -15 "$log"
			echo "$arch: FAIL (HIGHMEM, DEBUG_KMAP_LOCAL=$debug), log $log"
			rc=1
		fi
	done
done <<< "$TABLE"
exit $rc
