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

# Write the series as format-patch output into $1.
format_series() {
	local dir=$1 n desc subject
	mkdir -p "$dir"
	n=$(kgit rev-list --count "$BASE_BRANCH..$SERIES_BRANCH")
	[ "$n" -gt 0 ] || die "$SERIES_BRANCH has no commits on top of $BASE_BRANCH"
	# The cover letter's subject and text come from the committed cover
	# letter; only its shortlog and diffstat are regenerated.
	desc=$(mktemp)
	if [ -f "$PATCHES/0000-cover-letter.patch" ]; then
		# The Subject: header may be folded over several lines.
		subject=$(awk '/^Subject: / { s = $0; f = 1; next }
			       f && /^[ \t]/ { s = s $0; next }
			       f { exit }
			       END { print s }' "$PATCHES/0000-cover-letter.patch" |
			  sed 's/^Subject: \[[^]]*\] //')
		awk 'f && /^kmap_local series \([0-9]+\):$/ { exit }
		     f { print }
		     !f && /^$/ { f = 1 }' "$PATCHES/0000-cover-letter.patch" |
			sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$desc.body"
		{ echo "$subject"; echo; cat "$desc.body"; } > "$desc"
		rm -f "$desc.body"
	else
		printf '*** SUBJECT HERE ***\n\n*** BLURB HERE ***\n' > "$desc"
	fi
	kgit config "branch.$SERIES_BRANCH.description" "$(cat "$desc")"
	rm -f "$desc"
	kgit format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject --subject-prefix="$SUBJECT_PREFIX" \
		--numbered -o "$dir" "$BASE_BRANCH..$SERIES_BRANCH" >/dev/null
	# Date the cover letter like the newest patch so the output is
	# reproducible.
	local last date
	last=$(ls "$dir"/0*.patch | grep -v 0000-cover-letter | tail -1)
	date=$(sed -n 's/^Date: //p' "$last" | head -1)
	sed -i "0,/^Date: .*/s//Date: $date/" "$dir/0000-cover-letter.patch"
	(cd "$dir" && ls 0*.patch) > "$dir/series"
}

cmd_export() {
	require_clean_tree
	local tmp f
	tmp=$(mktemp -d)
	format_series "$tmp"
	rm -f "$PATCHES"/0*.patch "$PATCHES/series"
	mkdir -p "$PATCHES"
	cp "$tmp"/* "$PATCHES/"
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
	note "exported $(series_patches | wc -l) files to patches/ ($(added_files | wc -l) in-tree copies)"
}

# Does the branch differ from patches/?  (0 = same)
branch_matches_patches() {
	local tmp rc=0
	tmp=$(mktemp -d)
	format_series "$tmp"
	diff -r -q "$tmp" "$PATCHES" >/dev/null || rc=1
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

# Branch $PATCHES_BRANCH := base + git am of patches/, in $AM.  With
# "check", also fail on any warning from git am.
am_patches() {
	local p out rc=0
	amgit am --abort >/dev/null 2>&1 || true
	amgit checkout -q -f -B "$PATCHES_BRANCH" "$BASE_BRANCH"
	for p in $(series_patches); do
		[ "$p" = 0000-cover-letter.patch ] && continue
		if ! out=$(amgit am --whitespace=error-all "$PATCHES/$p" 2>&1); then
			echo "$out"
			amgit am --abort >/dev/null 2>&1 || true
			echo "FAIL: $p does not apply cleanly"
			return 1
		fi
		if [ "${1:-}" = check ] && echo "$out" | grep -qiE 'fuzz|offset|whitespace|trailing'; then
			echo "$out"
			echo "FAIL: $p applies with warnings"
			rc=1
		fi
	done
	amgit checkout -q --detach
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
	echo "series applies cleanly: $(series_patches | grep -vc 0000-cover-letter) patches"
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
