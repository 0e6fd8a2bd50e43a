#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch the kernels of the test matrix from Debian's archive:
#   6.1        - bookworm's stock kernel (the ABI linux-image-amd64 points at)
#   6.12       - bookworm-backports' newest 6.12
#   trixie     - Debian 13's stock kernel (6.12)
#   trixie-bpo - trixie-backports' newest kernel (what linux-image-amd64
#                points at there; 7.3 in December 2026)
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
mkdir -p "$CACHE/kernels"

log() { echo "kernels: $*" >&2; }


# apt with the system's sources (bookworm + security)
sys_apt() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
sys_cache() { apt-cache "$@"; }

# A private apt configuration under $CACHE/apt-<name>: the given suites of
# the archive address this machine already has, lists refreshed at most
# once a day.  papt/pcache <name> ... run apt-get/apt-cache with it.
popts() {
	echo -o "Dir::Etc::sourcelist=$CACHE/apt-$1/sources.list" \
		-o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$CACHE/apt-$1/lists"
}
papt() { local n=$1; shift; apt-get -o DPkg::Lock::Timeout=600 $(popts "$n") "$@"; }
pcache() { local n=$1; shift; apt-cache $(popts "$n") "$@"; }
# wrappers taking only apt's arguments, for fetch_kernel
bpo_apt() { papt bpo "$@"; }
bpo_cache() { pcache bpo "$@"; }
trixie_apt() { papt trixie "$@"; }
trixie_cache() { pcache trixie "$@"; }

# setup_apt <name> <suite>...
setup_apt() {
	local name=$1 dir=$CACHE/apt-$1 uri s
	shift
	mkdir -p "$dir/lists/partial"
	uri=$("$(dirname "$0")/archive-uri.sh") || exit 1
	for s; do echo "deb $uri $s main"; done > "$dir/sources.list"
	chown -R _apt "$dir/lists/partial" 2>/dev/null || true
	if [ -z "$(find "$dir/lists" -maxdepth 1 -name "*_dists_${*: -1}_*Packages*" -mtime -1 2>/dev/null)" ]; then
		papt "$name" update -qq >&2
	fi
}

# dependency of package $2 whose name matches $3, as seen by apt-cache $1
dep_of() {
	$1 depends "$2" 2>/dev/null | sed -n "s/^ *|\?Depends: \($3\)\$/\1/p" | head -n1
}

# fetch <name> <apt> <apt-cache> <abi> [<chroot suite>]: the kernel's image
# and headers into $CACHE/kernels/<abi>; with a suite, its modules are
# built inside that suite's chroot (scripts/chroot.sh), whose name goes
# into the kernel's directory as .chroot
fetch_kernel() {
	local name=$1 aptw=$2 cachew=$3 abi=$4 suite=${5:-}
	local dir=$CACHE/kernels/$abi
	local build=$dir/usr/src/linux-headers-$abi

	if [ ! -e "$dir/.complete" ]; then
		local common kbuild image parts tmp deb
		common=$(dep_of "$cachew" "linux-headers-$abi" 'linux-headers-.*-common')
		kbuild=$(dep_of "$cachew" "linux-headers-$abi" 'linux-kbuild-.*')
		[ -n "$common" ] && [ -n "$kbuild" ] ||
			{ log "cannot resolve the headers of $abi"; exit 1; }
		# the unsigned image where there is one (the signed one is the
		# same kernel; newer suites have only that)
		image=linux-image-$abi-unsigned
		$cachew show "$image" > /dev/null 2>&1 || image=linux-image-$abi
		# 7.x splits the image into linux-binary (vmlinuz), -modules and
		# -base packages of the same ABI
		parts=$($cachew depends "$image" 2>/dev/null |
			awk -v abi="$abi" '$1 == "Depends:" && $2 ~ /^linux-(binary|modules|base)-/ &&
				substr($2, length($2) - length(abi) + 1) == abi {print $2}' | sort -u)
		log "downloading $abi: $image" $parts "headers, $common, $kbuild"
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		(cd "$tmp" && $aptw download -q "$image" $parts \
			"linux-headers-$abi" "$common" "$kbuild" >&2)
		rm -rf "$dir" && mkdir -p "$dir"
		for deb in "$tmp"/*.deb; do
			dpkg-deb -x "$deb" "$dir"
		done
		rm -rf "$tmp"
		# The arch headers' Makefile names the common tree (and, on 7.x,
		# itself as KBUILD_OUTPUT) by absolute paths: point them into the
		# cache.
		sed -i "s#^\(include \|KBUILD_OUTPUT=\)/usr/src/#\1$dir/usr/src/#" "$build/Makefile"
		if [ -n "$suite" ]; then echo "$suite" > "$dir/.chroot"; fi
		touch "$dir/.complete"
	fi
	# trixie's packages put the modules in /usr/lib/modules (merged
	# /usr), 7.x's vmlinuz and config there too: give them the older
	# places as well
	if [ ! -e "$dir/lib" ] && [ -d "$dir/usr/lib/modules" ]; then
		ln -s usr/lib "$dir/lib"
	fi
	if [ ! -e "$dir/boot/vmlinuz-$abi" ] && [ -e "$dir/usr/lib/modules/$abi/vmlinuz" ]; then
		mkdir -p "$dir/boot"
		ln -s "../usr/lib/modules/$abi/vmlinuz" "$dir/boot/vmlinuz-$abi"
		ln -s "../usr/lib/modules/$abi/config" "$dir/boot/config-$abi"
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

setup_apt bpo bookworm bookworm-backports
abi612=$(bpo_cache search '^linux-image-6\.12\..*-amd64-unsigned$' |
	sed -n 's|^linux-image-\(6\.12\.[^ ]*-amd64\)-unsigned .*|\1|p' |
	grep -v -e '-cloud-' -e '-rt-' | sort -V | tail -n1) || true
[ -n "$abi612" ] || { log "cannot find a 6.12 kernel in bookworm-backports"; exit 1; }
fetch_kernel 6.12 bpo_apt bpo_cache "$abi612"

# Debian 13 "trixie": its stock kernel and trixie-backports' newest (what
# linux-image-amd64 points at there).  Their kbuild tools are built for
# trixie's C library and the headers want its gcc-14: modules for them are
# built in a trixie chroot (scripts/chroot.sh).
setup_apt trixie trixie trixie-backports
abitrixie=$(dep_of trixie_cache linux-image-amd64 'linux-image-6\.12\.[^ ]*-amd64' |
	sed 's/^linux-image-//')
[ -n "$abitrixie" ] || { log "cannot find trixie's 6.12 kernel"; exit 1; }
fetch_kernel trixie trixie_apt trixie_cache "$abitrixie" trixie
abinewest=$(pcache trixie -t trixie-backports depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | head -n1) || true
[ -n "$abinewest" ] || { log "cannot find trixie-backports' newest kernel"; exit 1; }
fetch_kernel trixie-bpo trixie_apt trixie_cache "$abinewest" trixie
