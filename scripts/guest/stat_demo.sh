#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The workload of scripts/stat-compare.sh, in a guest (mt.mode=stat): 64
# MiB rewritten for 3 s in a cgroup of 32 MiB, with swap on zram, under
# memtally stat -r 5 after a warm-up run; the runs go to the host as
# stat.json.  What reclaim does with it (which pages it swaps out, how
# often they come back) is where the classic LRU and MGLRU differ.
grep -q zram0 /proc/swaps || /tests/zram-swap.sh 256M > /dev/null
memtally stat -r 5 -w 1 -s memory.max=32M -o /tmp/stat.json -- /tests/mt_touch 16384 3 loop
echo "MT-FILE-BEGIN stat.json"
base64 /tmp/stat.json
echo "MT-FILE-END"
