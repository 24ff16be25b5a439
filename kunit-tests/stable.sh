#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stable gate: every patch that says Cc: stable must apply to, and
# build on, the older stable trees its bug is in.  The oldest one this
# machine can get is Debian's linux-source-6.1.  A patch whose stable tag
# names a first release after 6.1 ("# v6.3+") is listed and skipped;
# every other one (no version, or v6.1 and older) is applied alone with
# git am on 6.1 and the objects of the C files it changes are built with
# the configurations kunit-tests/stable gives for them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

STABLE=6.1
tarball=/usr/src/linux-source-$STABLE.tar.xz
[ -f "$tarball" ] || die "$tarball missing (run kunit-tests/setup.sh)"
dir=$BUILD/stable-$STABLE
src=$dir/linux
sgit() { git -C "$src" -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" "$@"; }

ver=$(dpkg-query -W -f='${Version}' "linux-source-$STABLE")
if [ ! -f "$dir/stamp" ] || [ "$(cat "$dir/stamp")" != "$ver" ]; then
	note "unpacking linux-source-$STABLE $ver into $src"
	rm -rf "$dir"
	mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "$tarball"
	sed -i '/^# Debian packaging/,$d' "$src/.gitignore"
	sgit init -q
	sgit add -A -f .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		sgit commit -q -m "Linux $(make -s -C "$src" kernelversion) (Debian linux-source-$STABLE $ver)"
	sgit branch -f stable-base HEAD
	echo "$ver" > "$dir/stamp"
fi

# "Cc: stable@vger.kernel.org # v6.3+" -> 6.3; no version -> 0.
stable_since() {
	sed -n 's/^Cc: *<\{0,1\}stable@vger\.kernel\.org>\{0,1\} *\(# *v\{0,1\}\([0-9][0-9.]*\).*\)\{0,1\}$/\2/p' "$1" | head -1 |
		sed 's/^$/0/'
}
newer_than_stable() {	# version
	[ "$(printf '%s\n%s\n' "$1" "$STABLE" | sort -V | tail -1)" != "$STABLE" ]
}

rc=0
checked=0
declare -A objs_for
for p in $(series_patches); do
	is_cover "$p" && continue
	grep -qE '^Cc: *<?stable@vger\.kernel\.org' "$TOP/patches/$p" || continue
	since=$(stable_since "$TOP/patches/$p")
	if [ "$since" != 0 ] && newer_than_stable "$since"; then
		echo "skip $p: stable from v$since on, not in $STABLE"
		continue
	fi
	sgit am --abort >/dev/null 2>&1 || true
	sgit checkout -q -f -B stable-check stable-base
	if ! out=$(sgit am "$TOP/patches/$p" 2>&1); then
		echo "$out"
		sgit am --abort >/dev/null 2>&1 || true
		echo "FAIL $p does not apply to $STABLE"
		rc=1
		continue
	fi
	grep -qi fuzz <<<"$out" && { echo "$out"; echo "FAIL $p applies to $STABLE only with fuzz"; rc=1; continue; }
	files=$(sgit diff --name-only HEAD^ HEAD -- '*.c')
	[ -n "$files" ] || { echo "FAIL $p changes no C file: nothing to build"; rc=1; continue; }
	built=0
	while read -r glob arch syms; do
		# shellcheck disable=SC2254
		for f in $files; do
			case $f in
			$glob) ;;
			*) continue ;;
			esac
			out=$dir/out/$arch-$(echo "$syms" | tr ' =' '--')
			mkdir -p "$out"
			if [ ! -f "$out/.config" ]; then
				# shellcheck disable=SC2046
				make -s -C "$src" O="$out" $(arch_make_vars "$arch") defconfig >/dev/null
				for s in $syms; do
					case $s in
					*=n) "$src/scripts/config" --file "$out/.config" -d "${s%=n}" ;;
					*) "$src/scripts/config" --file "$out/.config" -e "$s" ;;
					esac
				done
				# shellcheck disable=SC2046
				make -s -C "$src" O="$out" $(arch_make_vars "$arch") olddefconfig >/dev/null
			fi
			for s in $syms; do
				case $s in
				*=n) ! grep -q "^CONFIG_${s%=n}=y" "$out/.config" ||
					{ echo "FAIL: CONFIG_${s%=n} still set for $arch"; rc=1; } ;;
				*) grep -q "^CONFIG_$s=y" "$out/.config" ||
					{ echo "FAIL: CONFIG_$s not set for $arch"; rc=1; } ;;
				esac
			done
			# shellcheck disable=SC2046
			if make -s -C "$src" O="$out" $(arch_make_vars "$arch") -j"$JOBS" W=1 \
				"${f%.c}.o" > "$out/build.log" 2>&1; then
				echo "ok   $p: $f builds on $STABLE ($arch $syms)"
				built=$((built + 1))
			else
				tail -20 "$out/build.log"
				echo "FAIL $p: $f does not build on $STABLE ($arch $syms)"
				rc=1
			fi
		done
	done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/kunit-tests/stable")
	for f in $files; do
		sed -e 's/#.*//' "$TOP/kunit-tests/stable" | awk '{ print $1 }' | while read -r g; do
			# shellcheck disable=SC2254
			case $f in $g) echo y ;; esac
		done | grep -q y || { echo "FAIL $p: kunit-tests/stable has no configuration for $f"; rc=1; }
	done
	checked=$((checked + 1))
done
sgit checkout -q -f stable-base
echo "$checked Cc: stable patches applied to and built on $(sgit log -1 --format=%s stable-base)"
exit $rc
