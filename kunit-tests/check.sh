#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every gate of the series, each timed, then one line
# "N passed, N failed" over the gates.  Exit status is non-zero when any
# gate failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

GATES=${GATES:-"setup am copies checkpatch checkpatch-rules cocci stable send matrix runner sparse nodebug bench arches drivers qxl census bisect"}
mkdir -p "$LOGS"
passed=0
failed=0
summary=()

gate() {	# name, command...
	local name=$1 t0 t1 rc log
	shift
	log=$LOGS/gate-$name.log
	t0=$(date +%s)
	echo "=== gate $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	t1=$(date +%s)
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		summary+=("$(printf '%-16s PASS %5ss' "$name" $((t1 - t0)))")
	else
		failed=$((failed + 1))
		summary+=("$(printf '%-16s FAIL %5ss  (log: %s)' "$name" $((t1 - t0)) "$log")")
	fi
	echo "=== gate $name: $([ "$rc" = 0 ] && echo PASS || echo FAIL) in $((t1 - t0))s"
}

# Files patch $1 creates.
patch_new_files() {
	awk '/^--- \/dev\/null$/ { n = 1; next } n && /^\+\+\+ b\// { print substr($0, 7) } { n = 0 }' "$1"
}

# checkpatch --strict, clean.  Its FILE_PATH_CHANGES warning ("added ...
# file(s), does MAINTAINERS need updating?") fires on every new file
# whether or not a MAINTAINERS entry covers it, so it is checked here
# instead: each new file must map to a named MAINTAINERS section
# (get_maintainer.pl), not only to THE REST.
#
# UNKNOWN_COMMIT_ID is not checked: checkpatch looks Fixes: ids up in the
# tree's git history, and the base is a tarball without one (the ids were
# taken from upstream's history and lists).  kunit-tests/checkpatch-allow
# names the few other messages a patch keeps on purpose, with the reason.
gate_checkpatch() {
	local p f out rc=0 bad allow
	for p in $(series_patches); do
		is_cover "$p" && continue
		allow=$(sed -e 's/#.*//' "$TOP/kunit-tests/checkpatch-allow" |
			awk -v p="$p" '$1 == p { printf ",%s", $2 }')
		out=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --no-signoff \
			--no-summary-file --ignore "FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID$allow" \
			"$TOP/patches/$p" 2>&1)
		bad=
		for f in $(patch_new_files "$TOP/patches/$p"); do
			(cd "$SRC" && ./scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>/dev/null) |
				grep -qE '\((maintainer|reviewer|open list:|moderated list:)' ||
				bad="$bad $f"
		done
		if grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$out" && [ -z "$bad" ]; then
			echo "ok   $p"
		else
			echo "$out"
			[ -z "$bad" ] || echo "no MAINTAINERS section covers:$bad"
			echo "FAIL $p"
			rc=1
		fi
	done
	return $rc
}

# C files the series adds or changes, at $SERIES_BRANCH.
series_c_files() {
	kgit diff --name-only --no-renames --diff-filter=AM "$BASE_BRANCH" "$SERIES_BRANCH" -- '*.c'
}

# Warnings for objects $2.. built with C=2 W=1 in tree $1 (O=$OUT-ish dir).
warnings_for() {	# srcdir outdir arch objs...
	local src=$1 out=$2 arch=$3
	shift 3
	# shellcheck disable=SC2046
	make -C "$src" O="$out" $(arch_make_vars "$arch") -j"$JOBS" C=2 W=1 "$@" 2>&1 |
		grep -E '(warning|error):' |
		sed -E -e "s|^$src/||" -e 's|^(\.\./)+||' -e 's/:[0-9]+:[0-9]+:/:/' -e 's/:[0-9]+:/:/' |
		sort
}

# A worktree of the base at $1, for the gates that compare with the base.
base_worktree() {
	scratch_worktree "$1"
	git -C "$1" checkout -q --detach "$BASE_BRANCH"
}

gate_sparse() {
	local arch f objs=() base_objs=() rc=0 new
	local basesrc=$BUILD/base/linux
	# Driver files are the drivers gate's: built with their drivers on.
	local owned
	owned=$(series_c_files | python3 "$TOP/kunit-tests/drivers_gate.py" --owned)
	for f in $(series_c_files | grep -vxF -e "${owned:-/}"); do
		objs+=("${f%.c}.o")
		kgit cat-file -e "$BASE_BRANCH:$f" 2>/dev/null && base_objs+=("${f%.c}.o")
	done
	[ ${#objs[@]} -gt 0 ] || { echo "no C files in the series"; return 0; }
	if [ ${#base_objs[@]} -gt 0 ]; then
		base_worktree "$basesrc"
	fi
	for arch in $ARCHES; do
		[ -f "$OUT/$arch/.config" ] || { echo "$arch: no build (run the matrix gate first)"; rc=1; continue; }
		warnings_for "$SRC" "$OUT/$arch" "$arch" "${objs[@]}" > "$LOGS/sparse-$arch.series"
		: > "$LOGS/sparse-$arch.base"
		if [ ${#base_objs[@]} -gt 0 ]; then
			mkdir -p "$BUILD/base/out/$arch"
			cp "$OUT/$arch/.config" "$BUILD/base/out/$arch/.config" || return 1
			# shellcheck disable=SC2046
			make -s -C "$basesrc" O="$BUILD/base/out/$arch" $(arch_make_vars "$arch") \
				olddefconfig >/dev/null || return 1
			warnings_for "$basesrc" "$BUILD/base/out/$arch" "$arch" "${base_objs[@]}" \
				> "$LOGS/sparse-$arch.base"
		fi
		new=$(comm -23 "$LOGS/sparse-$arch.series" "$LOGS/sparse-$arch.base")
		if [ -n "$new" ]; then
			echo "$arch: new C=2/W=1 warnings:"
			echo "$new" | sed 's/^/  /'
			rc=1
		else
			echo "$arch: ok, ${#objs[@]} objects ($(wc -l < "$LOGS/sparse-$arch.base") warnings already on the base)"
		fi
	done
	return $rc
}

# With CONFIG_DEBUG_KMAP_LOCAL=n the series must change nothing on the map
# and unmap fast paths: struct task_struct keeps its size (the size of
# init_task) and the generated code of the map/unmap entry points is
# printed next to the base's, for i386 (HIGHMEM4G), for a reader to check
# that the in-order path is unchanged; only the size is asserted.
NODEBUG_FUNCS="__kmap_local_pfn_prot __kmap_local_page_prot kunmap_local_indexed"
gate_nodebug() {
	local arch=i386 t src out rc=0 f sz_base sz_series
	local basesrc=$BUILD/base/linux
	[ -f "$OUT/$arch/.config" ] || { echo "$arch: no build (run the matrix gate first)"; return 1; }
	base_worktree "$basesrc"
	for t in base series; do
		src=$SRC
		[ $t = base ] && src=$basesrc
		out=$BUILD/nodebug/$t/$arch
		mkdir -p "$out"
		cp "$OUT/$arch/.config" "$out/.config"
		"$src/scripts/config" --file "$out/.config" -d DEBUG_KMAP_LOCAL -d KMAP_LOCAL_KUNIT_TEST
		# shellcheck disable=SC2046
		make -s -C "$src" O="$out" $(arch_make_vars "$arch") -j"$JOBS" olddefconfig >/dev/null &&
		make -s -C "$src" O="$out" $(arch_make_vars "$arch") -j"$JOBS" \
			mm/highmem.o init/init_task.o > "$LOGS/nodebug-$t.log" 2>&1 ||
			{ cat "$LOGS/nodebug-$t.log"; return 1; }
		grep -q '^# CONFIG_DEBUG_KMAP_LOCAL is not set' "$out/.config" ||
			{ echo "$t: DEBUG_KMAP_LOCAL still set"; return 1; }
		for f in $NODEBUG_FUNCS; do
			objdump -d --no-show-raw-insn "$out/mm/highmem.o" |
				awk -v f="<$f>:" '$2 == f { p = 1; next } p && /^$/ { exit } p' |
				sed -E 's/^ *[0-9a-f]+:\t//; s/[0-9a-f]+ <([^>+]*)(\+0x[0-9a-f]+)?>/<\1>/; s/0x[0-9a-f]+/IMM/g' \
				> "$LOGS/nodebug-$t-$f.s"
		done
	done
	sz_base=$(nm -S "$BUILD/nodebug/base/$arch/init/init_task.o" | awk '$4 == "init_task" { print $2 }')
	sz_series=$(nm -S "$BUILD/nodebug/series/$arch/init/init_task.o" | awk '$4 == "init_task" { print $2 }')
	if [ -n "$sz_base" ] && [ "$sz_base" = "$sz_series" ]; then
		echo "sizeof(struct task_struct): 0x$sz_base on the base and with the series"
	else
		echo "FAIL: sizeof(struct task_struct) 0x$sz_base on the base, 0x$sz_series with the series"
		rc=1
	fi
	for f in $NODEBUG_FUNCS; do
		echo "$f: $(wc -l < "$LOGS/nodebug-base-$f.s") instructions on the base, $(wc -l < "$LOGS/nodebug-series-$f.s") with the series"
		diff -u "$LOGS/nodebug-base-$f.s" "$LOGS/nodebug-series-$f.s" | tail -n +3 | grep '^[-+]' | sed 's/^/    /'
	done
	return $rc
}

# Every patch but the last (that one is the matrix kernel) is built in the
# scratch worktree $BUILD/bisect/linux with O dirs of its own and the
# matrix config, walking the series forward: the objects of the C files
# the patch changes, the directories of those it adds, and, when it
# changes a header, the objects
# of BISECT_HEADER_USERS, the files that use what the series changes in
# <linux/highmem*.h> and <linux/sched.h> (the slot code, the context
# switch, fork, return to user space, init_task, usercopy, erofs) and a
# few heavy generic highmem users; each only where the matrix config
# builds it.  Whole kernels are built at the last patch only (the matrix
# gate, on every arch), so a cold run builds three kernels, not one per
# patch and arch; DRM driver objects are the drivers gate's.  The layout
# mirrors $SRC and $OUT, so ccache (whose base dir makes paths relative)
# serves whatever the matrix kernel already compiled.
BISECT_HEADER_USERS="mm/highmem.o kernel/sched/core.o kernel/fork.o kernel/entry/common.o
init/init_task.o mm/usercopy.o fs/erofs/data.o mm/memory.o lib/iov_iter.o mm/filemap.o"
gate_bisect() {
	local arch c n rc=0 commits head am=$BUILD/bisect/linux out f o objs
	commits=$(kgit rev-list --reverse "$BASE_BRANCH..$SERIES_BRANCH")
	[ -n "$commits" ] || { echo "no patches applied"; return 1; }
	head=$(kgit rev-parse "$SERIES_BRANCH")
	scratch_worktree "$am"
	for arch in $ARCHES; do
		[ -f "$OUT/$arch/.config" ] || { echo "$arch: no build (run the matrix gate first)"; rc=1; continue; }
		out=$BUILD/bisect/out/$arch
		mkdir -p "$out"
		n=0
		for c in $commits; do
			n=$((n + 1))
			if [ "$c" = "$head" ]; then
				echo "$arch: patch $n builds (the matrix kernel)"
				continue
			fi
			objs=()
			# A changed file's object; for a new file, its directory, so
			# that kbuild decides from that patch's Makefile and config
			# whether it is built (a fixture without its first user is not).
			for f in $(kgit diff --name-only --diff-filter=M "$c^" "$c" -- '*.c'); do
				o=${f%.c}.o
				[ -f "$OUT/$arch/$o" ] && objs+=("$o")
			done
			for f in $(kgit diff --name-only --diff-filter=A "$c^" "$c" -- '*.c'); do
				[ -f "$OUT/$arch/${f%.c}.o" ] && objs+=("$(dirname "$f")/")
			done
			if kgit diff --name-only "$c^" "$c" -- '*.h' | grep -q .; then
				for o in $BISECT_HEADER_USERS; do
					[ -f "$OUT/$arch/$o" ] && objs+=("$o")
				done
			fi
			if ! kgit diff --name-only "$c^" "$c" |
			     python3 "$TOP/kunit-tests/drivers_gate.py" --needs-build "$OUT/$arch/.config"; then
				echo "$arch: patch $n changes only drivers this config leaves out (the drivers gate builds them)"
				continue
			fi
			# shellcheck disable=SC2207
			objs=($(printf '%s\n' "${objs[@]}" | sort -u | python3 "$TOP/kunit-tests/drivers_gate.py" --not-owned))
			if [ ${#objs[@]} = 0 ]; then
				echo "$arch: patch $n changes no object this config builds"
				continue
			fi
			git -C "$am" checkout -q -f --detach "$c"
			cp "$OUT/$arch/.config" "$out/.config"
			# shellcheck disable=SC2046
			if make -s -C "$am" O="$out" $(arch_make_vars "$arch") -j"$JOBS" olddefconfig >/dev/null &&
			   make -s -C "$am" O="$out" $(arch_make_vars "$arch") -j"$JOBS" "${objs[@]}" \
				> "$LOGS/bisect-$arch-$n.log" 2>&1; then
				echo "$arch: patch $n builds (${#objs[@]} objects)"
			else
				tail -20 "$LOGS/bisect-$arch-$n.log"
				echo "$arch: patch $n FAILS to build: $(kgit log -1 --format=%s "$c")"
				rc=1
			fi
		done
	done
	return $rc
}

# The runner's own test.  The x86_64 kernel the matrix gate built, booted
# without the PCI device (qemu/nodevice-x86_64.py: the tree's x86_64 QEMU
# configuration less its -device), skips every io_mapping case; the
# matrix must fail, with nothing failed or passed, and name each of those
# skips, with the fixture's reason, as not allowed.
gate_runner() {
	local out rc row named
	[ -f "$OUT/x86_64/arch/x86/boot/bzImage" ] ||
		{ echo "runner: no x86_64 matrix kernel (run the matrix gate first)"; return 1; }
	out=$(python3 "$TOP/kunit-tests/matrix.py" --src "$SRC" --out "$OUT" \
		--logs "$LOGS/runner" --arches x86_64 --no-build --filter io_mapping \
		--qemu_config "$TOP/kunit-tests/qemu/nodevice-x86_64.py" 2>&1)
	rc=$?
	echo "$out"
	if [ "$rc" = 0 ]; then
		echo "runner: the matrix passed a boot without the PCI device"
		return 1
	fi
	row=$(grep -E '^x86_64 +io_mapping ' <<<"$out")
	named=$(grep -c 'skip not allowed by the suites file: io_mapping\..*: no free PCI display' <<<"$out")
	echo "runner: io_mapping row '$row', $named skips named as not allowed"
	# shellcheck disable=SC2086
	set -- $row
	[ "$#" = 6 ] && [ "$3" = 0 ] && [ "$4" = 0 ] && [ "$5" -gt 0 ] && [ "$named" = "$5" ]
}

t_start=$(date +%s)
for g in $GATES; do
	case $g in
	setup) gate setup bash -c "'$TOP/kunit-tests/setup.sh' && '$TOP/kunit-tests/base.sh'" ;;
	am) gate am "$TOP/kunit-tests/series.sh" am-check ;;
	copies) gate copies bash -c "'$TOP/kunit-tests/series.sh' apply && '$TOP/kunit-tests/series.sh' verify" ;;
	checkpatch) gate checkpatch gate_checkpatch ;;
	checkpatch-rules) gate checkpatch-rules bash -c "PATH=/usr/bin:\$PATH python3 '$TOP/kunit-tests/checkpatch_fixtures.py' '$SRC'" ;;
	cocci) gate cocci bash -c "python3 '$TOP/kunit-tests/cocci_fixtures.py' '$SRC' && python3 '$TOP/kunit-tests/cocci_unsafe.py' '$SRC'" ;;
	stable) gate stable "$TOP/kunit-tests/stable.sh" ;;
	send) gate send "$TOP/kunit-tests/send_check.sh" ;;
	matrix) gate matrix python3 "$TOP/kunit-tests/matrix.py" --src "$SRC" --out "$OUT" \
			--logs "$LOGS" --arches "$ARCHES" --variants "$VARIANTS" --jobs "$JOBS" ;;
	runner) gate runner gate_runner ;;
	sparse) gate sparse gate_sparse ;;
	nodebug) gate nodebug gate_nodebug ;;
	bench) gate bench python3 "$TOP/kunit-tests/bench.py" --src "$SRC" --build "$BUILD/bench" \
			--logs "$LOGS" --arches "$ARCHES" --jobs "$JOBS" --gate --base-variants nodebug \
			--json "$LOGS/bench.json" --svg "$LOGS/bench.svg" ;;
	arches) gate arches "$TOP/kunit-tests/arch_build.sh" ;;
	drivers) gate drivers python3 "$TOP/kunit-tests/drivers_gate.py" --src "$SRC" \
			--base "$BASE_BRANCH" --series "$SERIES_BRANCH" --build "$BUILD/drivers" \
			--matrix-out "$OUT" --logs "$LOGS" --arches "$ARCHES" --jobs "$JOBS" ;;
	qxl) gate qxl python3 "$TOP/kunit-tests/qxl_boot.py" --src "$SRC" --out "$OUT/qxl" \
			--logs "$LOGS" --jobs "$JOBS" ;;
	census) gate census python3 "$TOP/kunit-tests/census.py" --src "$SRC" --jobs "$JOBS" \
			--require-zero drivers/gpu/drm ;;
	bisect) gate bisect gate_bisect ;;
	*) die "unknown gate $g" ;;
	esac
done

echo
echo "gate             result  time"
printf '%s\n' "${summary[@]}"
echo "total $(( $(date +%s) - t_start ))s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
