#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the kernel work tree $SRC with branch $BASE_BRANCH at the base.
#
# Default: Debian's linux-source-6.12 unpacked into $BUILD/linux as a git
# repository with one base commit (the Debian .gitignore stanza that ignores
# everything is dropped in that commit).  The commit's identity and date are
# fixed, so the same tarball always gives the same base commit.
#
# KSRC=/path: a git tree is used through a detached worktree in $BUILD/ksrc
# (the caller's checked-out branch is never touched; our branches live under
# kmap-local/); a plain tree is copied and committed like the tarball.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$BUILD"

commit_base() {	# $1: message
	kgit init -q
	# Debian packaging ignores everything at the top level; drop that stanza.
	if grep -q '^# Debian packaging' "$SRC/.gitignore"; then
		sed -i '/^# Debian packaging/,$d' "$SRC/.gitignore"
		sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$SRC/.gitignore"
		sed -i '${/^#$/d}' "$SRC/.gitignore"
	fi
	kgit add -A -f .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		kgit commit -q -m "$1"
	kgit branch -f "$BASE_BRANCH" HEAD
	kgit checkout -q "$BASE_BRANCH"
}

if [ -z "$KSRC" ]; then
	tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f "$tarball" ] || die "$tarball missing (run kunit-tests/setup.sh)"
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	stamp="Debian linux-source-6.12 $ver"
	if [ -f "$BUILD/linux.stamp" ] && [ "$(cat "$BUILD/linux.stamp")" = "$stamp" ] &&
	   git -C "$SRC" rev-parse -q --verify "$BASE_BRANCH" >/dev/null; then
		exit 0
	fi
	note "unpacking $stamp into $SRC"
	rm -rf "$SRC" "$BUILD/linux.stamp"
	mkdir -p "$SRC"
	tar -C "$SRC" --strip-components=1 -xf "$tarball"
	commit_base "Linux $(make -s -C "$SRC" kernelversion) ($stamp)"
	echo "$stamp" > "$BUILD/linux.stamp"
	note "base: $(kgit log -1 --format='%h %s' "$BASE_BRANCH")"
	exit 0
fi

KSRC=$(cd "$KSRC" && pwd)
if git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1; then
	head=$(git -C "$KSRC" rev-parse HEAD)
	if [ ! -e "$SRC/.git" ]; then
		note "adding a detached worktree of $KSRC at $SRC"
		git -C "$KSRC" worktree add -q --detach "$SRC" "$head"
	fi
	# Re-base our branch only when KSRC's HEAD moved.
	if [ "$(kgit rev-parse -q --verify "$BASE_BRANCH" || true)" != "$head" ]; then
		kgit branch -f "$BASE_BRANCH" "$head"
	fi
else
	stamp="plain tree $KSRC"
	if [ ! -f "$BUILD/ksrc.stamp" ] || [ "$(cat "$BUILD/ksrc.stamp")" != "$stamp" ]; then
		rm -rf "$SRC"
		mkdir -p "$SRC"
		rsync -a --exclude=.git "$KSRC/" "$SRC/"
		commit_base "Linux $(make -s -C "$SRC" kernelversion) ($stamp)"
		echo "$stamp" > "$BUILD/ksrc.stamp"
	fi
fi
note "base: $(kgit log -1 --format='%h %s' "$BASE_BRANCH")"
