#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# try.sh <6.1|6.12|trixie|trixie-bpo|debug> [suite...]: a developer's loop.  Build the module,
# the tool and the selftests, boot one kernel under QEMU and run only the
# given guest suites (default: all), then print the guest's output and the
# dmesg lines that mean trouble.  The full test run is scripts/test-all.sh.
# MT_TRY_APPEND adds to the kernel command line (mt.env.VAR=value).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/vm.sh
want=${1:?usage: try.sh <6.1|6.12|trixie|trixie-bpo|debug> [suite...]}
shift
mt_prepare "$want" || exit
dir=$MT_BUILD/try/$kname
mkdir -p "$dir"
{
	make -s -C userspace clean all STATIC=1 &&
	make -s -C selftests all &&
	mt_build_module "$dir/module" "$kdir"
} > "$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
mt_initramfs "$dir/initramfs.gz" "$dir/module/memtally.ko" "$abi"
# python3 for ynl.sh (scripts/guest/rootfs.sh mounts it)
img=$(scripts/bpftrace-rootfs.sh 2> "$dir/rootfs.log") || { cat "$dir/rootfs.log" >&2; exit 1; }
suites=$(IFS=,; echo "$*")
MT_QEMU_ARGS=$(mt_rootfs_args "$img") MT_APPEND="${suites:+mt.suites=$suites} ${MT_TRY_APPEND:-}" mt_boot "$vmlinuz" "$dir/initramfs.gz" test "$dir/guest.log" 1200 || true
sed -n '/^MT-BEGIN/,/^MT-DMESG-BEGIN/p' "$dir/guest.log"
echo "--- dmesg problems:"
mt_dmesg_problems "$dir/guest.log"
echo "--- log: $dir/guest.log"
