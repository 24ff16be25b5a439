#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make send`: turn patches/ into the mails a sender posts, one thread per
# series, and show them with git send-email --dry-run.
#
#   make send [SERIES="01-mm-fixes ..."] [V=2 [PREV=<rev>]] [SEND=1]
#
# For each series (default: all, in order), in a scratch worktree:
#  - the base, then the series it needs (patches/series) as they are, then
#    its own patches with git am, re-authored and signed off by you: the
#    identity is user.name/user.email of this repository's git config
#    (refused when unset; the patches here carry the project identity and
#    no Signed-off-by);
#  - git format-patch -v$V with the cover letter from patches/, --base
#    (base-commit: and a prerequisite-patch-id: per patch of the series it
#    needs) and --thread=shallow; with V>1, --range-diff against the
#    previous version, rebuilt the same way from patches/ at PREV (default:
#    the tag sent/SERIES/v$((V-1)) that a real send leaves);
#  - To: (maintainers) and Cc: (reviewers, lists, everyone else) per mail
#    from the tree's scripts/get_maintainer.pl, the cover letter getting
#    the union of its patches' (and so does a patch whose files name no
#    maintainer); Cc: trailers in a patch (stable) are added
#    by git send-email itself;
#  - git send-email --dry-run, which prints every mail's From/To/Cc/Subject
#    and Message-ID, and $BUILD/send/SERIES.mbox, the thread as it is sent.
# SEND=1 sends for real, one named series at a time (git send-email asks
# before every mail and needs your sendemail.* configuration), and tags
# this repository's HEAD sent/SERIES/v$V, for the next version's
# range-diff.  It refuses the default tarball base (KSRC must be a git
# tree whose commits the recipients have), uncommitted changes in
# patches/, an existing sent/SERIES/v$V tag and an .invalid address.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

V=${V:-1}
SEND=${SEND:-0}
PREV=${PREV:-}
SERIES_GIVEN=${SERIES:-}
SERIES=${SERIES:-$(series_dirs | tr '\n' ' ')}
OUTDIR=${SEND_OUT:-$BUILD/send}
WT=$BUILD/send/linux

# The identity is this repository's git config (local, global, system).
# SEND_CONFIG_FROM names another repository to read it from instead (the
# send gate checks the refusal with an empty one).
name=$(git -C "${SEND_CONFIG_FROM:-$TOP}" config user.name || true)
email=$(git -C "${SEND_CONFIG_FROM:-$TOP}" config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "no sender identity: set user.name and user.email (git config) to the name and address you send and sign off with"
if [ "$SEND" = 1 ]; then
	[ "$name <$email>" != "$IDENT_NAME <$IDENT_EMAIL>" ] ||
		die "refusing to send as the project identity ($email cannot receive replies); set your own user.name/user.email"
	case $email in
	*.invalid | *@invalid) die "$email cannot receive replies; set your own address to send" ;;
	esac
	[ -n "${SERIES_GIVEN:-}" ] ||
		die "SEND=1 sends one series at a time: name it, SERIES=<directory under patches/>"
	# The base-commit: must be a commit the recipients can find.
	[ -n "$KSRC" ] && git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "SEND=1 needs KSRC=<a git tree of the target branch>: the default base is the commit base.sh makes of Debian's tarball, which nobody else has; rebase the series onto the target first"
	[ -z "$(git -C "$TOP" status --porcelain -- patches)" ] ||
		die "patches/ has uncommitted changes: commit them first, so that sent/<series>/v$V names what was sent"
fi
[[ $V =~ ^[1-9][0-9]*$ ]] || die "V=$V: want a version number"

"$TOP/kunit-tests/base.sh" >/dev/null
scratch_worktree "$WT"
wgit() { git -C "$WT" -c user.name="$name" -c user.email="$email" -c core.abbrev=12 \
	-c diff.algorithm=myers -c diff.noprefix=false -c diff.mnemonicPrefix=false \
	-c diff.renames=true -c format.signature= -c commit.gpgsign=false "$@"; }
pgit() { git -C "$WT" -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" "$@"; }
base=$(wgit rev-parse "$BASE_BRANCH")

# Branch $1 := base + the series $2 needs + series $2 re-authored and
# signed off by the sender, all from the patch directory $3 (patches/ or
# an older copy of it).  Prints the commit where the series' own patches
# start.
build_branch() {	# branch series patchdir
	local br=$1 d=$2 pdir=$3 dep p start
	wgit am --abort >/dev/null 2>&1 || true
	wgit checkout -q -f -B "$br" "$base"
	for dep in $(PATCHES_DIR=$pdir series_deps "$d"); do
		for p in $(PATCHES_DIR=$pdir series_dir_patches "$dep"); do
			is_cover "$p" && continue
			pgit am -q "$pdir/$p" >&2 || die "$p does not apply"
		done
	done
	start=$(wgit rev-parse HEAD)
	for p in $(PATCHES_DIR=$pdir series_dir_patches "$d"); do
		is_cover "$p" && continue
		wgit am -q --signoff "$pdir/$p" >&2 || die "$p does not apply"
	done
	# The sender is the author: the project identity is not a person.
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name \
	GIT_COMMITTER_EMAIL=$email GIT_EDITOR=: \
		wgit rebase -q --exec "git commit -q --amend --no-edit --reset-author" "$start" \
		>/dev/null 2>&1 || die "could not re-author $d"
	echo "$start"
}

# get_maintainer.pl's addresses for patch files $@, one run per file:
# "to ADDR" for the maintainers, then "cc ADDR" for everyone else it
# names who is not also a maintainer of one of the files.
recipients() {	# files...
	for f in "$@"; do
		(cd "$WT" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --rolestats \
			"$f" 2>/dev/null)
	done | awk '
		{ role = $0; sub(/^[^(]*\(/, "", role); addr = $0; sub(/ *\(.*$/, "", addr) }
		addr == "" { next }
		role ~ /^(maintainer|supporter|odd fixer)/ { if (!(addr in to)) { to[addr]; tos[++nt] = addr } next }
		!(addr in cc) { cc[addr]; ccs[++nc] = addr }
		END {
			for (i = 1; i <= nt; i++) print "to " tos[i]
			for (i = 1; i <= nc; i++) if (!(ccs[i] in to)) print "cc " ccs[i]
		}'
}
# The "to" or "cc" addresses of recipients() output $2.
pick() {	# to|cc lines
	sed -n "s/^$1 //p" <<<"$2"
}

# Insert To:/Cc: headers (folded, one address a line) after From:.
add_headers() {	# file to-list cc-list
	python3 - "$@" <<'PY'
import sys
path, to, cc = sys.argv[1], sys.argv[2].split('\n'), sys.argv[3].split('\n')
lines = open(path, encoding='utf-8').read().split('\n')
hdr = []
for name, addrs in (('To', [a for a in to if a]), ('Cc', [a for a in cc if a])):
    if addrs:
        hdr.append(name + ': ' + ',\n    '.join(addrs))
i = next(n for n, l in enumerate(lines) if l.startswith('From: '))
lines[i + 1:i + 1] = '\n'.join(hdr).split('\n')
open(path, 'w', encoding='utf-8').write('\n'.join(lines))
PY
}

mkdir -p "$OUTDIR"
prevdir=
if [ "$V" -gt 1 ] && [ -n "$PREV" ]; then
	prevdir=$(mktemp -d)
	git -C "$TOP" archive "$PREV" patches | tar -C "$prevdir" -x
fi
for d in $SERIES; do
	[ -f "$TOP/patches/$d/series" ] || die "no series $d in patches/"
	out=$OUTDIR/$d
	rm -rf "$out" "$OUTDIR/$d.mbox"
	start=$(build_branch "kmap-local/send-$d" "$d" "$TOP/patches")
	opts=(--cover-letter --cover-from-description=subject --thread=shallow
	      --base="$base" -o "$out" --no-signature)
	[ "$V" -gt 1 ] && opts+=(-v "$V")
	pdir=$prevdir
	if [ "$V" -gt 1 ] && [ -z "$PREV" ]; then
		tag=sent/$d/v$((V - 1))
		if git -C "$TOP" rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
			pdir=$(mktemp -d)
			git -C "$TOP" archive "$tag" patches | tar -C "$pdir" -x
		fi
	fi
	if [ "$V" -gt 1 ]; then
		[ -n "$pdir" ] && [ -f "$pdir/patches/$d/series" ] ||
			die "$d v$V: no previous version (PREV=<rev of this repository>, or tag sent/$d/v$((V - 1)))"
		pstart=$(build_branch "kmap-local/prev-$d" "$d" "$pdir/patches")
		opts+=(--range-diff="$pstart..kmap-local/prev-$d")
	fi
	wgit config "branch.kmap-local/send-$d.description" "$(cover_description "$d")"
	wgit format-patch -q "${opts[@]}" "$start..kmap-local/send-$d" >/dev/null
	files=("$out"/*.patch)
	patches=("${files[@]:1}")
	all=$(recipients "${patches[@]}")
	series_to=$(pick to "$all")
	# patches/SERIES/cc: addresses the series also goes to (the tree
	# that takes it, where get_maintainer.pl does not name it).
	extra_cc=
	[ -f "$TOP/patches/$d/cc" ] && extra_cc=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/$d/cc")
	for f in "${files[@]}"; do
		if [[ $f == */0000-cover-letter.patch ]]; then
			add_headers "$f" "$series_to" "$( (pick cc "$all"; echo "$extra_cc") |
				awk 'NF && !seen[$0]++')"
		else
			# A patch whose files name no maintainer (a header only
			# THE REST covers) goes to the series' maintainers.
			r=$(recipients "$f")
			to=$(pick to "$r")
			to=${to:-$series_to}
			add_headers "$f" "$to" "$( (pick cc "$r"; echo "$extra_cc") |
				awk 'NF && !seen[$0]++' | grep -vxF -f <(echo "$to") || true)"
		fi
	done
	cat "${files[@]}" > "$OUTDIR/$d.mbox"
	echo "=== $d: $((${#files[@]} - 1)) patches, $(wgit rev-list --count "$base..$start") prerequisite patches, base-commit $base"
	# --to-cmd=true: the addresses are the files' own To:/Cc: headers;
	# the files carry their threading (format-patch --thread).
	sargs=(--confirm=never --no-thread --to-cmd=true --suppress-cc=self
	       --from="$name <$email>" --8bit-encoding=UTF-8)
	if [ "$SEND" = 1 ]; then
		! git -C "$TOP" rev-parse -q --verify "refs/tags/sent/$d/v$V" >/dev/null ||
			die "sent/$d/v$V exists: v$V of $d was sent already (V=$((V + 1)) for the next version)"
		git send-email --confirm=always --no-thread --to-cmd=true --suppress-cc=self \
			--from="$name <$email>" "${files[@]}" ||
			die "git send-email failed; nothing tagged"
		git -C "$TOP" tag "sent/$d/v$V" HEAD
		note "sent $d v$V; tagged sent/$d/v$V"
	else
		log=$OUTDIR/$d.send-email.log
		if ! git send-email --dry-run "${sargs[@]}" "${files[@]}" > "$log" 2>&1; then
			cat "$log"
			die "git send-email --dry-run failed for $d"
		fi
		grep -vE '^\((mbox|body)\) |^(Server: |MAIL FROM:|RCPT TO:|Result: OK|X-Mailer:|Content-|MIME-Version:)' "$log" |
			sed '/^$/N;/^\n$/D'
	fi
done
[ "$SEND" = 1 ] || note "dry run; the mails are in $OUTDIR (SEND=1 to send)"
