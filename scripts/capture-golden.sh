#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# capture-golden.sh [6.1|6.12 ...]: boot each kernel (default: 6.1 and
# 6.12) with scripts/guest/capture.sh and keep what it ships as the input
# of the golden-output tests: userspace/tests/golden/KERNEL/snapshot.json
# (memtally snapshot) and events.jsonl (memtally events --json).  Then
# `make -C userspace golden-update` renders the expected outputs; review
# their diff before committing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ $# -gt 0 ] || set -- 6.1 6.12
for k; do
	scripts/try.sh "$k" capture.sh > /dev/null
	log=build/try/$k/guest.log
	out=userspace/tests/golden/$k
	mkdir -p "$out"
	for name in snapshot.json events.jsonl; do
		sed -n "/^MT-FILE-BEGIN $name\$/,/^MT-FILE-END\$/p" "$log" |
			sed '1d;$d' | base64 -d > "$out/$name.new"
		if [ ! -s "$out/$name.new" ]; then
			echo "capture-golden: $k shipped no $name; see $log" >&2
			exit 1
		fi
		mv "$out/$name.new" "$out/$name"
	done
	echo "$out: $(wc -c < "$out/snapshot.json") bytes of snapshot, $(wc -l < "$out/events.jsonl") events"
done
