#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch the kernels of the test matrix from Debian's archive:
#   6.1  - bookworm's stock kernel (the ABI linux-image-amd64 points at)
#   6.12 - bookworm-backports' newest 6.12
# Image and headers packages are only downloaded and unpacked with
# dpkg-deb -x into the cache: nothing goes into the host's /boot or
# /lib/modules (Debian's 6.12 headers depend on the image, so installing
# them with apt would install a kernel on the host).  The backports suite is
# reached through a private sources list that reuses the archive address
# this machine already has configured.
#
# Prints one line per kernel: "<name> <abi> <vmlinuz> <kernel build dir>".
set -euo pipefail

CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
BPO=$CACHE/apt-bpo
mkdir -p "$CACHE/kernels" "$BPO/lists/partial"

log() { echo "kernels: $*" >&2; }

archive_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk '/^URIs:/ && !/security/ {print $2; exit}' "$f"
	done
	if [ -e /etc/apt/sources.list ]; then
		awk '$1 == "deb" && !/security/ {print $2}' /etc/apt/sources.list
	fi
}

# apt with the system's sources (bookworm + security)
sys_apt() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
sys_cache() { apt-cache "$@"; }

# apt with the private bookworm + bookworm-backports sources
bpo_opts() {
	echo -o "Dir::Etc::sourcelist=$BPO/sources.list" \
		-o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$BPO/lists"
}
bpo_apt() { apt-get -o DPkg::Lock::Timeout=600 $(bpo_opts) "$@"; }
bpo_cache() { apt-cache $(bpo_opts) "$@"; }

setup_bpo() {
	local uri
	uri=$(archive_uri | head -n1) || true
	[ -n "$uri" ] || { log "no Debian archive configured in /etc/apt"; exit 1; }
	printf 'deb %s bookworm main\ndeb %s bookworm-backports main\n' \
		"$uri" "$uri" > "$BPO/sources.list"
	chown -R _apt "$BPO/lists/partial" 2>/dev/null || true
	# refresh at most once a day
	if [ -z "$(find "$BPO/lists" -maxdepth 1 -name '*backports*Packages*' -mtime -1 2>/dev/null)" ]; then
		bpo_apt update -qq >&2
	fi
}

# dependency of package $2 whose name matches $3, as seen by apt-cache $1
dep_of() {
	$1 depends "$2" 2>/dev/null | sed -n "s/^ *|\?Depends: \($3\)\$/\1/p" | head -n1
}

# fetch <name> <apt> <apt-cache> <abi>
fetch_kernel() {
	local name=$1 aptw=$2 cachew=$3 abi=$4
	local dir=$CACHE/kernels/$abi
	local build=$dir/usr/src/linux-headers-$abi

	if [ ! -e "$dir/.complete" ]; then
		local common kbuild tmp deb
		common=$(dep_of "$cachew" "linux-headers-$abi" 'linux-headers-.*-common')
		kbuild=$(dep_of "$cachew" "linux-headers-$abi" 'linux-kbuild-.*')
		[ -n "$common" ] && [ -n "$kbuild" ] ||
			{ log "cannot resolve the headers of $abi"; exit 1; }
		log "downloading $abi: image, headers, $common, $kbuild"
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		(cd "$tmp" && $aptw download -q "linux-image-$abi-unsigned" \
			"linux-headers-$abi" "$common" "$kbuild" >&2)
		rm -rf "$dir" && mkdir -p "$dir"
		for deb in "$tmp"/*.deb; do
			dpkg-deb -x "$deb" "$dir"
		done
		rm -rf "$tmp"
		# The arch headers' Makefile includes the common tree by an
		# absolute path: point it into the cache.
		sed -i "s|^include /usr/src/|include $dir/usr/src/|" "$build/Makefile"
		touch "$dir/.complete"
	fi
	echo "$name $abi $dir/boot/vmlinuz-$abi $build"
}

# 6.1: the ABI that bookworm's linux-image-amd64 points at
abi61=$(dep_of sys_cache linux-image-amd64 'linux-image-6\.1\.[0-9]*-[0-9]*-amd64' |
	sed 's/^linux-image-//')
if [ -z "$abi61" ]; then
	sys_apt update -qq >&2
	abi61=$(dep_of sys_cache linux-image-amd64 'linux-image-6\.1\.[0-9]*-[0-9]*-amd64' |
		sed 's/^linux-image-//')
fi
[ -n "$abi61" ] || { log "cannot find bookworm's 6.1 kernel"; exit 1; }
fetch_kernel 6.1 sys_apt sys_cache "$abi61"

setup_bpo
abi612=$(bpo_cache search '^linux-image-6\.12\..*-amd64-unsigned$' |
	sed -n 's|^linux-image-\(6\.12\.[^ ]*-amd64\)-unsigned .*|\1|p' |
	grep -v -e '-cloud-' -e '-rt-' | sort -V | tail -n1) || true
[ -n "$abi612" ] || { log "cannot find a 6.12 kernel in bookworm-backports"; exit 1; }
fetch_kernel 6.12 bpo_apt bpo_cache "$abi612"
