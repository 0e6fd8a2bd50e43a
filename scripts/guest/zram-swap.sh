#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# zram-swap.sh [size]: swap on /dev/zram0 of <size> (default 512M; K, M, G
# suffixes) for the tests that need reclaim to push anonymous memory out.
# Loads zram and what it needs from /lib/modules-extra in the order of its
# file "order" (mt_initramfs packs them).  /init does not run it: a test
# calls it when it needs swap.  Prints one line; exits non-zero on failure.
size=${1:-512M}
dir=/lib/modules-extra
blk=/sys/block/zram0

die() { echo "zram-swap: $*" >&2; exit 1; }

case $size in
'' | *[!0-9KMGkmg]* | [!0-9]*) die "bad size '$size' (usage: zram-swap.sh [size], e.g. 256M)" ;;
esac
grep -q '^/dev/zram0 ' /proc/swaps && die "/dev/zram0 is already swap"

mods=""
if [ -e "$dir/order" ]; then
	while read -r m; do
		name=$(echo "${m%.ko}" | tr - _)
		[ -d "/sys/module/$name" ] && continue
		insmod "$dir/$m" || die "insmod $dir/$m failed"
		mods="$mods ${m%.ko}"
	done < "$dir/order"
fi
[ -d $blk ] || die "no $blk: zram is neither built in nor in $dir"

# disksize set already (an earlier run that failed later): start over
[ "$(cat $blk/disksize)" = 0 ] || echo 1 > $blk/reset || die "cannot reset zram0"

# The default compressor (in brackets) first, then whichever the kernel has:
# 6.1 lists the crypto API's, which may be modules that are not loaded.
algs=$(sed 's/[][]//g' $blk/comp_algorithm)
comp=""
for a in $(sed -n 's/.*\[\([^]]*\)\].*/\1/p' $blk/comp_algorithm) $algs; do
	echo "$a" > $blk/comp_algorithm 2>/dev/null || continue
	if echo "$size" > $blk/disksize 2>/dev/null; then
		comp=$a
		break
	fi
done
[ -n "$comp" ] || die "cannot set zram0's disksize to $size with any compressor of: $algs"

# devtmpfs makes the node; mdev is not running, so make it if it is late
i=0
while [ ! -b /dev/zram0 ] && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -b /dev/zram0 ]; then
	mknod /dev/zram0 b $(tr : ' ' < $blk/dev) || die "cannot create /dev/zram0"
fi

out=$(mkswap /dev/zram0 2>&1) || die "mkswap /dev/zram0 failed: $out"
swapon /dev/zram0 || die "swapon /dev/zram0 failed"
echo "zram-swap: /dev/zram0 $size $comp is swap (loaded:${mods:- nothing})"
