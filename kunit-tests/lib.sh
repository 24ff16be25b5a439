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

# patches/series: one line per series, in the order they apply:
#   DIRECTORY  NUMBER-OF-PATCHES  SERIES-IT-NEEDS-FIRST...  ("-" for none)
# PATCHES_DIR reads another copy of patches/ (make send's previous version).
series_lines() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "${PATCHES_DIR:-$TOP/patches}/series"
}
series_dirs() {
	series_lines | awk '{ print $1 }'
}
series_count() {	# dir
	series_lines | awk -v d="$1" '$1 == d { print $2 }'
}
# The series $1 names as needed first (not transitively).
series_needs() {
	series_lines | awk -v d="$1" '$1 == d { for (i = 3; i <= NF; i++) if ($i != "-") printf "%s ", $i }'
}
# The series $1 needs, transitively, in the order they apply.
series_deps() {
	local want d
	want=" $(series_needs "$1")"
	# Walk backwards so that a dependency's own dependencies are added.
	for d in $(series_dirs | tac); do
		case $want in
		*" $d "*) want="$want$(series_needs "$d")" ;;
		esac
	done
	for d in $(series_dirs); do
		case $want in *" $d "*) echo "$d" ;; esac
	done
}
# Patch files of one series (DIR/FILE), cover letter first.
series_dir_patches() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e "s|^|$1/|" "${PATCHES_DIR:-$TOP/patches}/$1/series"
}
# Patch files of every series, in the order they apply.
series_patches() {
	local d
	for d in $(series_dirs); do
		series_dir_patches "$d"
	done
}
is_cover() {
	case $1 in */0000-cover-letter.patch | 0000-cover-letter.patch) return 0 ;; esac
	return 1
}

# The cover letter of series $1 as kept in patches/, as a branch
# description for format-patch --cover-from-description=subject: its
# subject, a blank line, its text (without the generated shortlog and
# diffstat, which start at the "kmap_local series (N):" line).
cover_description() {	# dir
	local cover=$TOP/patches/$1/0000-cover-letter.patch subject
	if [ ! -f "$cover" ]; then
		printf '*** SUBJECT HERE ***\n\n*** BLURB HERE ***\n'
		return
	fi
	# The Subject: header may be folded over several lines.
	subject=$(awk '/^Subject: / { s = $0; f = 1; next }
		       f && /^[ \t]/ { s = s $0; next }
		       f { exit }
		       END { print s }' "$cover" | sed 's/^Subject: \[[^]]*\] //')
	echo "$subject"
	echo
	awk 'f && /^kmap_local series \([0-9]+\):$/ { exit }
	     f { print }
	     !f && /^$/ { f = 1 }' "$cover" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
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
