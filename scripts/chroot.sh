#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh <suite> <command...>: run a command in a Debian <suite> chroot
# that has what building modules needs (gcc, make, sparse, dkms), for the
# kernels whose kbuild tools and compiler are another suite's than this
# host's (Debian 13's: glibc 2.41 and gcc-14).  The chroot is made once per
# machine (debootstrap --variant=minbase into the cache, from the archive
# address this machine already has) and reused.  The command runs in a
# private mount namespace in which the cache, the source tree and the build
# directory are bound at the same paths as outside, so kernel build
# directories and M= paths mean the same inside; nothing stays mounted on
# the host after it.  Needs root.
set -euo pipefail

suite=${1:?usage: chroot.sh <suite> <command...>}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
BUILD=${MEMTALLY_BUILD:-$top/build}
root=$CACHE/chroot/$suite
pkgs="gcc make libc6-dev sparse dkms kmod xz-utils libelf1t64 dwarves"

log() { echo "chroot: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "needs root"; exit 1; }


# in <command...>: run it in the chroot, in a clean login environment
in_root() {
	mkdir -p "$root$CACHE" "$root$top" "$root$BUILD"
	# shellcheck disable=SC2016
	unshare --mount --propagation private /bin/bash -c '
		set -e
		r=$1; shift
		for d in "$@"; do
			[ "$d" = -- ] && break
			mount --bind "$d" "$r$d"
		done
		while [ "$1" != -- ]; do shift; done
		shift
		mount --rbind /dev "$r/dev"
		mount -t proc proc "$r/proc"
		mount -t sysfs sysfs "$r/sys"
		cd "$r"
		exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/bash -c "cd \"\$0\" 2>/dev/null || cd /; exec \"\$@\"" "$@"
	' chroot "$root" "$CACHE" "$top" "$BUILD" -- "$PWD" "$@"
}

if [ "$(cat "$root/.complete" 2>/dev/null)" != "$pkgs" ]; then
	uri=$("$(dirname "$0")/archive-uri.sh") || exit 1
	log "debootstrap --variant=minbase $suite $root ($pkgs)"
	rm -rf "$root" && mkdir -p "$root"
	debootstrap --variant=minbase "$suite" "$root" "$uri" > "$root.log" 2>&1 ||
		{ tail -n 20 "$root.log" >&2; exit 1; }
	printf 'deb %s %s main\n' "$uri" "$suite" > "$root/etc/apt/sources.list"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	# shellcheck disable=SC2086
	in_root sh -c "export DEBIAN_FRONTEND=noninteractive
		apt-get -q update && apt-get -q install -y --no-install-recommends $pkgs" \
		>> "$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; exit 1; }
	# trixie's sparse (0.6.4) cannot parse 7.x headers (__typeof_unqual__;
	# Debian's 7.x headers lack the scripts/checker-valid.sh that would
	# say so): the newest Debian has (unstable's), first on PATH.  Its
	# binary needs only the C library.
	if [ "$suite" = trixie ]; then
		log "sparse from unstable into /usr/local"
		apt_sid=$CACHE/apt-sid
		mkdir -p "$apt_sid/lists/partial"
		echo "deb $uri sid main" > "$apt_sid/sources.list"
		o=(-o "Dir::Etc::sourcelist=$apt_sid/sources.list" -o Dir::Etc::sourceparts=-
		   -o "Dir::State::Lists=$apt_sid/lists")
		apt-get "${o[@]}" update -qq >> "$root.log" 2>&1
		tmp=$(mktemp -d) && chmod 755 "$tmp"
		(cd "$tmp" && apt-get "${o[@]}" download -q sparse) >> "$root.log" 2>&1 ||
			{ tail -n 20 "$root.log" >&2; exit 1; }
		dpkg-deb --fsys-tarfile "$tmp"/sparse_*.deb |
			tar -x -C "$root/usr/local" --strip-components=2 ./usr/bin/sparse
		rm -rf "$tmp" "$apt_sid"
		in_root sparse --version >> "$root.log" 2>&1
	fi
	echo "$pkgs" > "$root/.complete"
fi
[ $# -gt 0 ] || exit 0
in_root "$@"
