#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The series and the kernel work tree.
#
#   series.sh apply    re-create $SERIES_BRANCH from the base with git am
#   series.sh export   write patches/ and the in-tree copies from the branch
#   series.sh sync     fold edits from either side into the other, then export
#   series.sh verify   check patches/ and the in-tree copies against the branch
#   series.sh am-check git am the series on a fresh branch: no fuzz, no
#                      whitespace errors (a gate of `make check`)
#
# Edit a patch either way:
#  - in the work tree ($SRC, branch $SERIES_BRANCH): commit, amend or
#    rebase -i there, then `make sync`;
#  - in this repository: edit an in-tree copy (e.g. mm/tests/...), then
#    `make sync` folds the change into the last commit that touches the
#    file.  To change a commit message or an existing kernel file, use the
#    work tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PATCHES=$TOP/patches
# The series branch's commit as of the last apply or export.
STAMP=$BUILD/series.head
SUBJECT_PREFIX=${SUBJECT_PREFIX:-PATCH}

# Files the branch adds relative to the base, under the mirrored dirs.
added_files() {
	kgit diff --name-only --no-renames --diff-filter=A "$BASE_BRANCH" "${1:-$SERIES_BRANCH}" -- $MIRROR_DIRS
}

# Files in the repository's mirrored dirs.
mirror_files() {
	(cd "$TOP" && git ls-files -co --exclude-standard -- $MIRROR_DIRS 2>/dev/null |
		while read -r f; do [ -f "$f" ] && echo "$f"; done) | sort -u
}

require_clean_tree() {
	[ -z "$(kgit status --porcelain --untracked-files=no)" ] ||
		die "$SRC has uncommitted changes; commit them on $SERIES_BRANCH first"
}

# format-patch of commits $2..$3 of the work tree's git ($1: git function)
# into directory $4 as series $5, with its cover letter; extra
# format-patch options follow.
format_range() {	# git from to dir name [opts]
	local g=$1 from=$2 to=$3 dir=$4 name=$5 last date branch
	shift 5
	mkdir -p "$dir"
	branch=kmap-local/cover-$name
	$g branch -f "$branch" "$to"
	$g config "branch.$branch.description" "$(cover_description "$name")"
	$g format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject --numbered -o "$dir" "$@" \
		"$from..$branch" >/dev/null
	$g branch -D -q "$branch"
	$g config --remove-section "branch.$branch" 2>/dev/null || true
	# Date the cover letter like the newest patch so the output is
	# reproducible.
	last=$(ls "$dir"/0*.patch | grep -v 0000-cover-letter | tail -1)
	date=$(sed -n 's/^Date: //p' "$last" | head -1)
	sed -i "0,/^Date: .*/s//Date: $date/" "$dir/0000-cover-letter.patch"
	(cd "$dir" && ls 0*.patch) > "$dir/series"
}

# Commit ids of the series branch, one series after another: prints
# "DIR FIRST-PARENT LAST" per series, where FIRST-PARENT..LAST are its
# commits on the linear branch $1 (default: the series branch).
series_ranges() {
	local ref=${1:-$SERIES_BRANCH} commits total want d n i=0 prev
	commits=($(kgit rev-list --reverse "$BASE_BRANCH..$ref"))
	total=0
	for d in $(series_dirs); do
		total=$((total + $(series_count "$d")))
	done
	[ "${#commits[@]}" = "$total" ] ||
		die "$ref has ${#commits[@]} commits, patches/series counts $total"
	prev=$(kgit rev-parse "$BASE_BRANCH")
	for d in $(series_dirs); do
		n=$(series_count "$d")
		echo "$d $prev ${commits[$((i + n - 1))]}"
		prev=${commits[$((i + n - 1))]}
		i=$((i + n))
	done
}

# Write every series as format-patch output into $1/DIR/.
format_series() {
	local dir=$1 d from to
	mkdir -p "$dir"
	cp "$PATCHES/series" "$dir/series"
	while read -r d from to; do
		format_range kgit "$from" "$to" "$dir/$d" "$d" --subject-prefix="$SUBJECT_PREFIX"
	done < <(series_ranges)
}

cmd_export() {
	require_clean_tree
	local tmp f d
	tmp=$(mktemp -d)
	format_series "$tmp"
	for d in $(series_dirs); do
		rm -f "$PATCHES/$d"/0*.patch "$PATCHES/$d/series"
		mkdir -p "$PATCHES/$d"
		cp "$tmp/$d"/* "$PATCHES/$d/"
	done
	rm -rf "$tmp"
	# In-tree copies: exactly the files the series adds.
	for f in $(mirror_files); do
		added_files | grep -qxF "$f" || { rm -f "$TOP/$f"; note "removed $f"; }
	done
	for f in $(added_files); do
		mkdir -p "$TOP/$(dirname "$f")"
		kgit show "$SERIES_BRANCH:$f" > "$TOP/$f"
		[ -x "$SRC/$f" ] && chmod +x "$TOP/$f"
	done
	find "$TOP/mm" "$TOP/include" "$TOP/drivers" "$TOP/scripts" "$TOP/Documentation" \
		-depth -type d -empty -delete 2>/dev/null || true
	kgit rev-parse "$SERIES_BRANCH" > "$STAMP"
	note "exported $(series_dirs | wc -l) series, $(series_patches | wc -l) files, to patches/ ($(added_files | wc -l) in-tree copies)"
}

# Does the branch differ from patches/?  (0 = same)
branch_matches_patches() {
	local tmp rc=0
	tmp=$(mktemp -d)
	format_series "$tmp"
	# patches/SERIES/cc is make send's, not format-patch output.
	diff -r -q -x cc "$tmp" "$PATCHES" >/dev/null || rc=1
	rm -rf "$tmp"
	return $rc
}

# In-tree copies that differ from ref $1 (default: the series branch), or
# exist only on one side.
changed_copies() {
	local f ref=${1:-$SERIES_BRANCH}
	for f in $(mirror_files; added_files "$ref"); do
		if ! kgit cat-file -e "$ref:$f" 2>/dev/null; then
			echo "$f"
		elif [ ! -f "$TOP/$f" ] || ! kgit show "$ref:$f" | cmp -s - "$TOP/$f"; then
			echo "$f"
		fi
	done | sort -u
}

# git in the scratch worktree $AM, where patches are applied and old
# commits checked out, so that the work tree $SRC (and the mtimes its
# builds depend on) only changes where the series really changed.
AM=$BUILD/bisect/linux
PATCHES_BRANCH=kmap-local/patches
amgit() {
	scratch_worktree "$AM"
	git -C "$AM" -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" "$@"
}

# git am of patch files $2.. (relative to patches/) in $AM; with $1 =
# check, also fail on any warning from git am.
am_files() {
	local mode=$1 p out rc=0
	shift
	for p in "$@"; do
		is_cover "$p" && continue
		if ! out=$(amgit am --whitespace=error-all "$PATCHES/$p" 2>&1); then
			echo "$out"
			amgit am --abort >/dev/null 2>&1 || true
			echo "FAIL: $p does not apply cleanly"
			return 1
		fi
		if [ "$mode" = check ] && grep -qiE 'fuzz|offset|whitespace|trailing' <<<"$out"; then
			echo "$out"
			echo "FAIL: $p applies with warnings"
			rc=1
		fi
	done
	return $rc
}

# Branch $PATCHES_BRANCH := base + git am of every series, in order, in
# $AM.  With "check", also fail on any warning from git am.
am_patches() {
	local rc=0
	amgit am --abort >/dev/null 2>&1 || true
	amgit checkout -q -f -B "$PATCHES_BRANCH" "$BASE_BRANCH"
	# shellcheck disable=SC2046
	am_files "${1:-}" $(series_patches) || rc=1
	amgit checkout -q --detach
	return $rc
}

# Each series alone: on a branch of its own, the base and only the
# series it needs (patches/series), then the series.  It must apply
# cleanly, and every file it touches must come out byte for byte as on
# the linear branch at the end of that series (so the builds on the
# linear branch speak for those files; how the series behaves without
# the series before it in the stack is not tested).
split_check() {
	local d from to dep files rc=0 n
	while read -r d from to; do
		amgit checkout -q -f -B kmap-local/split "$BASE_BRANCH"
		for dep in $(series_deps "$d"); do
			# shellcheck disable=SC2046
			am_files plain $(series_dir_patches "$dep") >/dev/null ||
				{ echo "FAIL: $d: its dependency $dep does not apply"; rc=1; continue 2; }
		done
		# shellcheck disable=SC2046
		if ! am_files check $(series_dir_patches "$d"); then
			echo "FAIL: $d does not apply on the base and $(series_deps "$d" | tr '\n' ' ')"
			rc=1
			continue
		fi
		files=$(kgit diff --name-only "$from" "$to")
		n=$(series_count "$d")
		# shellcheck disable=SC2086
		if amgit diff --quiet HEAD "$to" -- $files; then
			echo "ok   $d: $n patches on the base$(for dep in $(series_deps "$d"); do printf ' + %s' "$dep"; done)"
		else
			echo "FAIL: $d alone gives other contents than the linear branch:"
			# shellcheck disable=SC2086
			amgit diff --stat HEAD "$to" -- $files
			rc=1
		fi
	done < <(series_ranges "$PATCHES_BRANCH")
	amgit checkout -q --detach
	amgit branch -D -q kmap-local/split 2>/dev/null || true
	return $rc
}

cmd_apply() {
	local p tmp
	"$TOP/kunit-tests/base.sh"
	# Refuse to throw away commits made in the work tree since the last
	# apply/export (they would be lost); patches/ itself may have moved.
	if [ "${FORCE:-0}" != 1 ] && [ -f "$STAMP" ] &&
	   [ "$(kgit rev-parse -q --verify "$SERIES_BRANCH" || true)" != "$(cat "$STAMP")" ]; then
		die "$SERIES_BRANCH in $SRC has commits not in patches/: run 'make sync' first, or FORCE=1 to discard them"
	fi
	am_patches >/dev/null || die "patches/ does not apply (see make check's am gate)"
	# Only the files the series changed since the last apply are touched.
	kgit checkout -q -f -B "$SERIES_BRANCH" "$PATCHES_BRANCH"
	kgit rev-parse "$SERIES_BRANCH" > "$STAMP"
	note "applied $(series_patches | grep -vc 0000-cover-letter) patches on $(kgit log -1 --format=%s "$BASE_BRANCH")"
}

cmd_am_check() {
	"$TOP/kunit-tests/base.sh" >/dev/null
	am_patches check || return 1
	echo "all series apply cleanly in order: $(series_patches | grep -vc 0000-cover-letter) patches"
	split_check
}

cmd_verify() {
	local rc=0 f
	for f in $(changed_copies); do
		echo "FAIL: in-tree copy $f differs from what the series creates"
		rc=1
	done
	if ! branch_matches_patches; then
		echo "FAIL: patches/ is not what format-patch gives for $SERIES_BRANCH (run make sync)"
		rc=1
	fi
	[ $rc = 0 ] && echo "in-tree copies ($(added_files | wc -l) files) and patches/ match the series"
	return $rc
}

cmd_sync() {
	local f sha copies
	require_clean_tree
	kgit checkout -q "$SERIES_BRANCH"
	# What the committed patches/ create, to tell which side was edited.
	am_patches >/dev/null || die "patches/ does not apply"
	copies=$(changed_copies "$PATCHES_BRANCH")
	for f in $copies; do
		[ -f "$TOP/$f" ] || die "$f is added by the series but missing here; restore it, or drop it in a commit in $SRC"
		if ! kgit diff --quiet "$PATCHES_BRANCH" "$SERIES_BRANCH" -- "$f"; then
			die "$f was edited both here and in $SRC; resolve by hand"
		fi
		sha=$(kgit log -1 --format=%H "$BASE_BRANCH..$SERIES_BRANCH" -- "$f")
		[ -n "$sha" ] || die "$f is not added by any patch; add it in a commit in $SRC"
		cp "$TOP/$f" "$SRC/$f"
		kgit add -f "$f"
		kgit commit -q --fixup="$sha"
		note "folding $f into: $(kgit log -1 --format=%s "$sha")"
	done
	if [ -n "$copies" ]; then
		GIT_SEQUENCE_EDITOR=: kgit rebase -q -i --autosquash "$BASE_BRANCH"
	fi
	cmd_export
}

case ${1:-} in
apply) cmd_apply ;;
export) cmd_export ;;
sync) cmd_sync ;;
verify) cmd_verify ;;
am-check) cmd_am_check ;;
*) die "usage: $0 apply|export|sync|verify|am-check" ;;
esac
