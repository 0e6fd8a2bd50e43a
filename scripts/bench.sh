#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [6.1|6.12]: overhead of memtally as a ratio against the same
# workload without the module, measured in one boot of a Debian kernel
# under QEMU (TCG: absolute rates are slow, the ratio is what counts).
# The fault storm is also run under a bpftrace program doing the same
# counting, from a root filesystem image that scripts/bpftrace-rootfs.sh
# builds once; without the image that comparison is skipped.  ROUNDS and
# DAMON_SECONDS, when set, go to the guest (scripts/guest/bench.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/vm.sh
want=${1:-6.12}

mt_prepare "$want" || exit

build_log=$MT_BUILD/$kname/build.log
mkdir -p "$MT_BUILD/$kname"
{
	make -s -C userspace clean all STATIC=1 &&
	make -s -C selftests all &&
	make -s -C bench all &&
	mt_build_module "$MT_BUILD/$kname/module" "$kdir"
} > "$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
mt_initramfs "$MT_BUILD/$kname/bench.gz" "$MT_BUILD/$kname/module/memtally.ko" "$abi"
log=$MT_BUILD/$kname/bench.log
qemu_args=""
if img=$(scripts/bpftrace-rootfs.sh 2> "$MT_BUILD/rootfs.log"); then
	qemu_args=$(mt_rootfs_args "$img")
else
	echo "bench: no bpftrace root filesystem ($(tail -n 1 "$MT_BUILD/rootfs.log")); the bpftrace comparison is skipped" >&2
fi
append=""
for v in ROUNDS DAMON_SECONDS; do
	if [ -n "${!v:-}" ]; then
		append="$append $v=${!v}"
	fi
done
MT_QEMU_ARGS=$qemu_args MT_APPEND=$append \
mt_boot "$vmlinuz" "$MT_BUILD/$kname/bench.gz" bench "$log" 1200 || true
grep '^bench ' "$log" || { echo "bench: no result; see $log" >&2; exit 1; }
echo "kernel: $abi (QEMU TCG, 2 vCPUs)"
