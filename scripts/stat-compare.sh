#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stat-compare.sh [A B]: one workload under `memtally stat -r 5` in a guest
# of kernel A and in one of kernel B (default 6.1 and 6.12: Debian's
# classic LRU and MGLRU), then `memtally stat --compare` of the two runs'
# files on the host, as README shows it.  The workload and its cgroup are
# scripts/guest/stat_demo.sh's.  The files stay in
# $MT_BUILD/stat/KERNEL/stat.json.  Installs what it needs on a Debian
# bookworm host (run as root).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/vm.sh
[ $# -eq 2 ] || set -- 6.1 6.12
mkdir -p "$MT_BUILD/stat"
# the static tool runs in the guests and here
{ make -s -C userspace clean all STATIC=1 && make -s -C selftests all; } \
	> "$MT_BUILD/stat/build.log" 2>&1 || { cat "$MT_BUILD/stat/build.log" >&2; exit 1; }
files=()
for want; do
	mt_prepare "$want" || exit
	dir=$MT_BUILD/stat/$kname
	mkdir -p "$dir"
	echo "stat-compare: $abi: building memtally.ko, booting it under QEMU (TCG)" >&2
	mt_build_module "$dir/module" "$kdir" > "$dir/build.log" 2>&1 ||
		{ cat "$dir/build.log" >&2; exit 1; }
	mt_initramfs "$dir/stat.gz" "$dir/module/memtally.ko" "$abi"
	mt_boot "$vmlinuz" "$dir/stat.gz" stat "$dir/guest.log" 900 || true
	sed -n '/^MT-FILE-BEGIN stat.json$/,/^MT-FILE-END$/p' "$dir/guest.log" |
		sed '1d;$d' | base64 -d > "$dir/stat.json" 2> /dev/null || true
	if [ ! -s "$dir/stat.json" ]; then
		echo "stat-compare: $abi: the guest sent no stat.json; see $dir/guest.log" >&2
		exit 1
	fi
	files+=("$dir/stat.json")
done
userspace/memtally stat --compare "${files[@]}"
