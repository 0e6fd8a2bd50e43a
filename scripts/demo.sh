#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [6.1|6.12|trixie|trixie-bpo]: boot a Debian kernel under QEMU with memtally loaded,
# run a small workload in three cgroups (web, db, batch touch 1000, 5000
# and 20000 pages) and show `memtally status` and `memtally cgroups`.
# Installs what it needs on a Debian bookworm host (run as root).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/vm.sh
want=${1:-6.12}

mt_prepare "$want" || exit

echo "demo: building memtally.ko for $abi, the tool and the workload" >&2
build_log=$MT_BUILD/$kname/build.log
mkdir -p "$MT_BUILD/$kname"
{
	make -s -C userspace clean all STATIC=1 &&
	make -s -C selftests all &&
	mt_build_module "$MT_BUILD/$kname/module" "$kdir"
} > "$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
mt_initramfs "$MT_BUILD/$kname/demo.gz" "$MT_BUILD/$kname/module/memtally.ko" "$abi"
echo "demo: booting Debian $abi under QEMU (TCG)" >&2
log=$MT_BUILD/$kname/demo.log
mt_boot "$vmlinuz" "$MT_BUILD/$kname/demo.gz" demo "$log" 600 || true
sed -n '/^MT-BEGIN/,/^MT-DMESG-BEGIN/p' "$log" | sed '1d;$d'
grep -q '^MT-END' "$log" || { echo "demo: the guest did not finish; see $log" >&2; exit 1; }
