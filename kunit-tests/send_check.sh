#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The send gate: `make send` (dry run) for every series, as a sender
# whose git config has only a name and an address, then the mails are
# checked the way reviewers' tools read them:
#  - every mail has a To: and the sender's From:, every patch exactly one
#    Signed-off-by:, the sender's, and the cover letter a base-commit:
#    and one prerequisite-patch-id: per patch of the series it needs;
#  - b4 am turns the thread (from the mbox, by the cover letter's
#    Message-Id) back into a series, and git am of that on the base plus
#    the series it needs gives the tree make send built.
# Without a sender identity make send must refuse.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/send-check
rm -rf "$out"
mkdir -p "$out"
cfg=$out/gitconfig
ident_name="kmap_local send check"
ident_email="kmap-local-send-check@example.invalid"
printf '[user]\n\tname = %s\n\temail = %s\n' "$ident_name" "$ident_email" > "$cfg"
rc=0

# No identity: refused.
git init -q "$out/empty"
git init -q "$out/invalid"
git init -q "$out/valid"
git -C "$out/valid" config user.name "$ident_name"
git -C "$out/valid" config user.email "kmap-local-send-check@example.org"
git -C "$out/invalid" config user.name "$ident_name"
git -C "$out/invalid" config user.email "kmap-local-send-check@invalid"
if HOME=$out GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SEND_CONFIG_FROM=$out/empty \
	SEND_OUT=$out/refuse "$TOP/kunit-tests/send.sh" > "$out/refuse.log" 2>&1; then
	echo "FAIL: make send ran without a sender identity"
	rc=1
elif grep -q 'no sender identity' "$out/refuse.log"; then
	echo "ok   make send refuses without user.name/user.email"
else
	cat "$out/refuse.log"
	echo "FAIL: make send failed without a sender identity, but not by refusing"
	rc=1
fi

# SEND=1 refusals, all before anything is sent: no series named; the
# tarball base (no KSRC git tree); an address that cannot get replies.
# The identities are read from repositories of their own (the first two
# use an example.org address, so that the checks after it are reached).
refuse() {	# what-it-must-say env...
	local want=$1
	shift
	if env GIT_CONFIG_GLOBAL="$cfg" SEND_OUT="$out/refuse" SEND=1 "$@" \
		"$TOP/kunit-tests/send.sh" > "$out/refuse.log" 2>&1; then
		echo "FAIL: make send SEND=1 $* did not refuse"
		rc=1
	elif grep -q "$want" "$out/refuse.log"; then
		echo "ok   make send SEND=1 $* refuses: $want"
	else
		cat "$out/refuse.log"
		echo "FAIL: make send SEND=1 $* failed, but not with \"$want\""
		rc=1
	fi
}
refuse "one series at a time" KSRC= SEND_CONFIG_FROM="$out/valid"
refuse "SEND=1 needs KSRC" KSRC= SERIES=02-i915-fix SEND_CONFIG_FROM="$out/valid"
refuse "cannot receive replies" KSRC= SERIES=02-i915-fix SEND_CONFIG_FROM="$out/invalid"

GIT_CONFIG_GLOBAL=$cfg SEND_OUT=$out/mails "$TOP/kunit-tests/send.sh" > "$out/send.log" 2>&1 ||
	{ cat "$out/send.log"; echo "FAIL: make send"; exit 1; }
grep -E '^(=== |Subject: |To: |Cc: )' "$out/send.log" | sed 's/^/  /' | head -400

unfold_headers() {
	/usr/bin/python3 -c '
import re, sys
out, hdr = [], False
for line in sys.stdin.read().split("\n"):
    if re.match(r"From [0-9a-f]{40} ", line):
        hdr = True
    elif hdr and line == "":
        hdr = False
    elif hdr and line[:1] in (" ", "\t") and out:
        out[-1] += " " + line.strip()
        continue
    out.append(line)
sys.stdout.write("\n".join(out))
'
}

ck=$BUILD/send-check/linux
scratch_worktree "$ck"
cgit() { git -C "$ck" -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" "$@"; }
for d in $(series_dirs); do
	mbox=$out/mails/$d.mbox
	dir=$out/mails/$d
	n=$(series_count "$d")
	bad=
	for f in "$dir"/*.patch; do
		grep -q '^To: ' "$f" || bad="$bad $(basename "$f"):no-To"
		grep -q "^From: $ident_name <$ident_email>" "$f" || bad="$bad $(basename "$f"):From"
		case $f in
		*/0000-cover-letter.patch)
			grep -q '^base-commit: ' "$f" || bad="$bad cover:no-base-commit"
			deps=0
			for dep in $(series_deps "$d"); do deps=$((deps + $(series_count "$dep"))); done
			[ "$(grep -c '^prerequisite-patch-id: ' "$f")" = "$deps" ] ||
				bad="$bad cover:prerequisite-patch-id!=$deps"
			;;
		*)
			[ "$(grep -c '^Signed-off-by: ' "$f")" = 1 ] &&
			grep -q "^Signed-off-by: $ident_name <$ident_email>" "$f" ||
				bad="$bad $(basename "$f"):Signed-off-by"
			;;
		esac
	done
	# Where each series must go (the lists of its trees; the cover letter
	# carries the union of its patches' recipients).
	case $d in
	01-mm-fixes | 04-mm-kmap-local) lists="akpm@linux-foundation.org linux-mm@kvack.org" ;;
	02-i915-fix | 09-i915) lists="intel-gfx@lists.freedesktop.org dri-devel@lists.freedesktop.org" ;;
	03-drm-misc-fixes | 06-ttm-tests | 08-drm-misc) lists="dri-devel@lists.freedesktop.org" ;;
	05-io-mapping-tests) lists="linux-mm@kvack.org linux-pci@vger.kernel.org kunit-dev@googlegroups.com" ;;
	07-conversion-tools) lists="akpm@linux-foundation.org cocci@inria.fr" ;;
	10-nouveau) lists="nouveau@lists.freedesktop.org dri-devel@lists.freedesktop.org" ;;
	*) lists= ;;
	esac
	hdrs=$(awk '/^$/ { exit } { print }' "$dir/0000-cover-letter.patch")
	for l in $lists; do
		grep -qF "$l" <<<"$hdrs" || bad="$bad cover-not-to:$l"
	done
	msgid=$(sed -n 's/^Message-I[dD]: <\(.*\)>$/\1/p' "$dir/0000-cover-letter.patch" | head -1)
	rm -rf "$out/b4/$d"
	mkdir -p "$out/b4/$d"
	# b4 0.12 with Debian 12's Python 3.11 (3.11.2-6+deb12u6 rejects
	# line breaks in header values) fails on folded headers, which
	# git format-patch writes for every long Subject:; unfold them.
	unfold_headers < "$mbox" > "$out/b4/$d.mbox"
	if ! (cd "$out" && b4 -q am -C -m "$out/b4/$d.mbox" -o "$out/b4/$d" -n "$d" "$msgid") > "$out/b4-$d.log" 2>&1; then
		cat "$out/b4-$d.log"
		bad="$bad b4-am-failed"
	fi
	mbx=$out/b4/$d/$d.mbx
	got=0
	[ -f "$mbx" ] && got=$(grep -c '^Subject: \[PATCH' "$mbx" || true)
	[ "$got" = "$n" ] || bad="$bad b4:$got-of-$n-patches"
	if [ -f "$mbx" ]; then
		cgit am --abort >/dev/null 2>&1 || true
		# The base plus the series it needs, as make send applied them
		# from patches/: the send branch below the series' own patches.
		cgit checkout -q -f -B kmap-local/b4-check "kmap-local/send-$d~$n"
		if ! cgit am -q "$mbx" > "$out/am-$d.log" 2>&1; then
			cat "$out/am-$d.log"
			cgit am --abort >/dev/null 2>&1 || true
			bad="$bad git-am-of-b4-output"
		elif ! cgit diff --quiet HEAD "kmap-local/send-$d"; then
			bad="$bad tree-differs"
		fi
	fi
	if [ -z "$bad" ]; then
		echo "ok   $d: $n patches; b4 am + git am on the base$(for dep in $(series_deps "$d"); do printf ' + %s' "$dep"; done) gives the sent tree"
	else
		echo "FAIL $d:$bad"
		rc=1
	fi
done
cgit checkout -q --detach

# A second version: v2 with the range-diff against the version committed
# at HEAD (what PREV= or a sent/ tag names when a v2 is really sent).
if git -C "$TOP" cat-file -e HEAD:patches/series 2>/dev/null &&
   git -C "$TOP" cat-file -e HEAD:patches/02-i915-fix/series 2>/dev/null; then
	if GIT_CONFIG_GLOBAL=$cfg SEND_OUT=$out/v2 V=2 PREV=HEAD SERIES=02-i915-fix \
	   "$TOP/kunit-tests/send.sh" > "$out/v2.log" 2>&1 &&
	   grep -q '^Subject: \[PATCH v2 0/1\]' "$out/v2/02-i915-fix/v2-0000-cover-letter.patch" &&
	   grep -q '^Range-diff against v1:' "$out/v2/02-i915-fix/v2-0000-cover-letter.patch"; then
		echo "ok   V=2 PREV=HEAD: [PATCH v2 0/1] with a range-diff against v1"
	else
		tail -20 "$out/v2.log"
		echo "FAIL: V=2 PREV=HEAD did not give a v2 with a range-diff"
		rc=1
	fi
else
	echo "FAIL: HEAD has no patches/02-i915-fix to make a v2 against"
	rc=1
fi
exit $rc
