#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build (once per machine) a 6.12 kernel from Debian's
# linux-source-6.12 with KASAN, KFENCE, lockdep, DEBUG_ATOMIC_SLEEP,
# kmemleak, DEBUG_OBJECTS_RCU_HEAD, UBSAN, DAMON, KSM and MEMCG, plus what
# the QEMU harness needs.  Cached by source version + config fragment.
# Prints "debug <release> <bzImage> <build dir>" like kernels.sh.
set -euo pipefail
CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
here=$(cd "$(dirname "$0")" && pwd)
"$here/kernels.sh" > /dev/null		# sets up the backports sources
BPO=$CACHE/apt-bpo
opts=(-o "Dir::Etc::sourcelist=$BPO/sources.list" -o Dir::Etc::sourceparts=-
      -o "Dir::State::Lists=$BPO/lists")

frag=$here/debug-kernel.config
ver=$(apt-cache "${opts[@]}" show linux-source-6.12 | sed -n 's/^Version: //p' |
	sort -V | tail -n1)
key=$(echo "$ver $(sha256sum < "$frag")" | sha256sum | cut -c1-12)
dir=$CACHE/debug-kernel/$key
src=$dir/linux-source-6.12

if [ ! -e "$dir/.complete" ]; then
	echo "debug-kernel: building linux-source-6.12 $ver with $frag" >&2
	rm -rf "$dir" && mkdir -p "$dir"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get "${opts[@]}" download -q "linux-source-6.12=$ver" >&2)
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
		tar -x -O --wildcards './usr/src/linux-source-6.12.tar.xz' |
		tar -xJ -C "$dir"
	rm -rf "$tmp"
	make -s -C "$src" allnoconfig KCONFIG_ALLCONFIG="$frag" >&2
	# every option of the fragment must have stuck
	while IFS= read -r line; do
		case $line in CONFIG_*) grep -qx "$line" "$src/.config" ||
			{ echo "debug-kernel: $line did not stick" >&2; exit 1; } ;;
		esac
	done < "$frag"
	# scripts/test-fresh.sh: the configuration step alone
	if [ -n "${MT_DEBUG_KERNEL_CONFIG_ONLY:-}" ]; then
		echo "debug-kernel: configured $src (MT_DEBUG_KERNEL_CONFIG_ONLY)" >&2
		rm -rf "$dir"
		exit 0
	fi
	make -C "$src" -j"$(nproc)" bzImage modules >&2
	make -s -C "$src" modules_prepare >&2
	touch "$dir/.complete"
fi
echo "debug $(make -s -C "$src" kernelrelease) $src/arch/x86/boot/bzImage $src"
