#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# capture-golden.sh [6.1|6.12 ...]: boot each kernel (default: 6.1 and
# 6.12) with scripts/guest/capture.sh and keep what it ships as the input
# of the golden-output tests, in userspace/tests/golden/KERNEL/:
# snapshot.json and snapshot-2.json (memtally snapshot, 5 s apart while
# the workloads ran), events.jsonl and events.txt (the same events as
# `memtally events --json` and `memtally events` printed them).  Then
# `make -C userspace golden-update` renders the expected outputs; review
# their diff before committing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ $# -gt 0 ] || set -- 6.1 6.12
names="snapshot.json snapshot-2.json events.jsonl events.txt"
for k; do
	scripts/try.sh "$k" capture.sh > /dev/null
	log=build/try/$k/guest.log
	out=userspace/tests/golden/$k
	mkdir -p "$out"
	# all of them or none: the inputs of a kernel are of one capture
	for name in $names; do
		sed -n "/^MT-FILE-BEGIN $name\$/,/^MT-FILE-END\$/p" "$log" |
			sed '1d;$d' | base64 -d > "$out/$name.new"
		if [ ! -s "$out/$name.new" ]; then
			echo "capture-golden: $k shipped no $name; see $log" >&2
			grep '^capture: ' "$log" >&2 || true
			rm -f "$out"/*.new
			exit 1
		fi
	done
	for name in $names; do
		mv "$out/$name.new" "$out/$name"
	done
	grep '^capture: ' "$log" || true
	echo "$out: $(wc -c < "$out/snapshot.json") + $(wc -c < "$out/snapshot-2.json") bytes of snapshots, $(wc -l < "$out/events.jsonl") events"
done
