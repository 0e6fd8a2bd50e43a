#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rootfs.sh <dir>: mount the root filesystem image that the host attached
# as the first virtio disk (scripts/bpftrace-rootfs.sh makes it; squashfs)
# read-only on <dir>, with /proc, /sys, debugfs, tracefs, cgroup2 and /dev
# bound into it and a tmpfs on its /tmp and /run, for `chroot <dir> ...`.
# Loads virtio_blk, squashfs and what they need from /lib/modules-rootfs in
# the order of its file "order" (mt_initramfs packs them).  Prints one line;
# exits non-zero on failure (1 if no disk is attached).
dir=${1:?usage: rootfs.sh <dir>}
mods=/lib/modules-rootfs

die() { echo "rootfs: $*" >&2; exit "${2:-1}"; }

if [ -e $mods/order ]; then
	while read -r m; do
		[ -d "/sys/module/$(echo "${m%.ko}" | tr - _)" ] && continue
		insmod "$mods/$m" || die "insmod $mods/$m failed" 2
	done < $mods/order
fi

# virtio_blk probes the disk in the background of insmod
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -b /dev/vda ] || die "no /dev/vda: no image attached (mt_rootfs_args)"

mkdir -p "$dir"
mount -t squashfs -o ro /dev/vda "$dir" || die "cannot mount /dev/vda (squashfs) on $dir" 2
for m in /proc /sys /sys/kernel/debug /sys/kernel/tracing /sys/fs/cgroup /dev; do
	[ -d "$m" ] && [ -d "$dir$m" ] || continue
	mount -o bind "$m" "$dir$m" || die "cannot bind $m into $dir" 2
done
for m in /tmp /run; do
	mount -t tmpfs tmpfs "$dir$m" || die "cannot mount a tmpfs on $dir$m" 2
done
echo "rootfs: /dev/vda on $dir ($(($(cat /sys/block/vda/size) / 2048)) MiB, read-only)"
