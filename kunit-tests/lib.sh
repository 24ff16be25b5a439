# SPDX-License-Identifier: GPL-2.0
# Shared settings for the kmap_local series scripts.  Sourced, not run.
#
# TOP    the project checkout
# BUILD  ignored scratch directory: kernel work tree, build outputs, logs
# SRC    the kernel work tree (a git repository or worktree) the series is
#        applied to, on branch $SERIES_BRANCH, forked from $BASE_BRANCH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
KSRC=${KSRC:-}
if [ -n "$KSRC" ]; then
	SRC=$BUILD/ksrc
else
	SRC=$BUILD/linux
fi
OUT=$BUILD/out
LOGS=$BUILD/logs
BASE_BRANCH=kmap-local/base
SERIES_BRANCH=kmap-local/series
ARCHES=${ARCHES:-"i386 arm x86_64"}
# Extra matrix kernels (kunit-tests/variants); the other gates build ARCHES
# only.  VARIANTS=none for none (make exports an unset variable as empty).
VARIANTS=${VARIANTS:-"i386-nodebug arm-nodebug"}
[ "$VARIANTS" != none ] || VARIANTS=
export VARIANTS
JOBS=${JOBS:-$(nproc)}
IDENT_NAME="kmap_local series"
IDENT_EMAIL="kmap-local@invalid"
# The in-tree copies of the files the series adds live under these.
MIRROR_DIRS="mm include drivers scripts Documentation"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Hash paths relative to the build, so that another clone hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-/}
export PATH=/usr/lib/ccache:$PATH
export KBUILD_BUILD_USER=kmap-local KBUILD_BUILD_HOST=kunit
export LC_ALL=C

die() { echo "error: $*" >&2; exit 1; }
note() { echo ">>> $*"; }

# git inside the kernel work tree, with a fixed identity and diff settings
# so that the patches it writes do not depend on the caller's git config.
kgit() {
	git -C "$SRC" -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" \
		-c core.abbrev=12 -c diff.algorithm=myers -c diff.noprefix=false \
		-c diff.mnemonicPrefix=false -c diff.renames=true \
		-c format.signature= -c commit.gpgsign=false "$@"
}

# A detached worktree of $SRC's base at $1, made if missing: the scratch
# trees where patches are applied, old commits built, the base compared.
scratch_worktree() {
	if [ ! -e "$1/.git" ]; then
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$1" "$BASE_BRANCH"
	fi
}

# Patch files of the series, in order.
series_patches() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series"
}

# Per-arch settings: kunit.py arch, cross compiler, extra QEMU arguments.
arch_cross() {
	case $1 in
	arm) echo arm-linux-gnueabihf- ;;
	*) echo "" ;;
	esac
}
arch_qemu_args() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/kunit-tests/qemu/$1.args" | tr '\n' ' '
}
arch_make_vars() {
	local cross
	cross=$(arch_cross "$1")
	echo "ARCH=$(arch_linux "$1")${cross:+ CROSS_COMPILE=$cross}"
}
arch_linux() {
	case $1 in
	i386|x86_64) echo "$1" ;;
	arm) echo arm ;;
	esac
}
