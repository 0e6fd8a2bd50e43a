#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpftrace-rootfs.sh: a Debian bookworm root filesystem with bpftrace, for
# the bench's bpftrace comparison (scripts/guest/bench.sh runs it chrooted),
# and python3-yaml, for the kernel's ynl cli.py that the test guests run
# against the module (scripts/guest/ynl.sh).
# debootstrap --variant=minbase from the archive this machine already has
# configured, packed as a squashfs image (both Debian kernels have squashfs
# as a module) in the cache.  The image's name is a hash of what goes into
# it, so it is built once and rebuilt only when that changes or it is
# missing.  Prints the image's path.
set -euo pipefail

CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
SUITE=bookworm
PKGS=bpftrace,python3-yaml
# what the image holds: change this line and a new image is built
recipe="debootstrap --variant=minbase --include=$PKGS $SUITE; mksquashfs -comp zstd; v1"
img=$CACHE/rootfs/bpftrace-$SUITE-$(echo "$recipe" | sha256sum | cut -c1-12).squashfs

log() { echo "bpftrace-rootfs: $*" >&2; }

if [ -s "$img" ]; then
	echo "$img"
	exit 0
fi


[ "$(id -u)" = 0 ] || { log "needs root (debootstrap)"; exit 1; }
for t in debootstrap mksquashfs; do
	command -v "$t" > /dev/null || { log "no $t (scripts/setup-host.sh installs it)"; exit 1; }
done
uri=$("$(dirname "$0")/archive-uri.sh") || exit 1

mkdir -p "$CACHE/rootfs"
tmp=$(mktemp -d "$CACHE/rootfs/build.XXXXXX")
# debootstrap mounts /proc (and more) in the target: never leave them mounted
cleanup() {
	local m
	for m in $(awk -v t="$tmp/" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

log "debootstrap $SUITE with $PKGS from $uri (a few minutes, once)"
if ! debootstrap --variant=minbase --include="$PKGS" "$SUITE" "$tmp/root" "$uri" \
	> "$tmp.log" 2>&1; then
	tail -n 20 "$tmp.log" >&2
	[ -e "$tmp/root/debootstrap/debootstrap.log" ] &&
		tail -n 20 "$tmp/root/debootstrap/debootstrap.log" >&2
	rm -f "$tmp.log"
	log "debootstrap failed"
	exit 1
fi
rm -f "$tmp.log"
chroot "$tmp/root" bpftrace --version > /dev/null ||
	{ log "bpftrace does not run in the new root"; exit 1; }
chroot "$tmp/root" python3 -c 'import yaml' ||
	{ log "python3 with yaml does not run in the new root"; exit 1; }
# what is in it, beside the image
chroot "$tmp/root" dpkg-query -W > "$tmp/packages"
# not needed to run bpftrace or python3
rm -rf "$tmp/root/var/cache/apt/archives"/*.deb "$tmp/root/var/lib/apt/lists"/* \
	"$tmp/root/usr/share/doc" "$tmp/root/usr/share/man" "$tmp/root/usr/share/locale"
mkdir -p "$tmp/root/sys" "$tmp/root/proc" "$tmp/root/dev" "$tmp/root/tmp" "$tmp/root/run"
mksquashfs "$tmp/root" "$tmp/img" -comp zstd -noappend -quiet > /dev/null
mv "$tmp/packages" "${img%.squashfs}.packages"
mv "$tmp/img" "$img"
log "$(du -h "$img" | cut -f1) $img, bpftrace $(awk '$1 == "bpftrace" {print $2}' "${img%.squashfs}.packages")"
echo "$img"
