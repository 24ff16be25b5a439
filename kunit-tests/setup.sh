#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the series' checks need (Debian 12, as root).  Idempotent:
# when everything is present this only asks dpkg and returns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs="git make gcc perl python3 bc bison flex cpio xz-utils kmod rsync
libelf-dev libssl-dev ccache sparse gcc-arm-linux-gnueabihf python3-ply python3-git
qemu-system-x86 qemu-system-arm coccinelle busybox-static git-email b4 linux-source-6.1
libc6-dev gcc-mips-linux-gnu gcc-powerpc-linux-gnu gcc-sparc64-linux-gnu gcc-12-arc-linux-gnu"
[ -n "$KSRC" ] || pkgs="$pkgs linux-source-6.12"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	note "installing:$missing"
	[ "$(id -u)" = 0 ] || die "need root to apt-get install:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null
fi
# ccache's compiler links are made by a dpkg trigger; make sure the cross
# compiler got one even when both arrived in the same transaction.
if [ ! -e /usr/lib/ccache/arm-linux-gnueabihf-gcc ] && command -v update-ccache-symlinks >/dev/null; then
	update-ccache-symlinks
fi
ccache --max-size=8G >/dev/null
