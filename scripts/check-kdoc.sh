#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kdoc.sh <linux-source dir>: kernel-doc must accept every comment in
# kmod/, and every non-static function defined there must have one.
set -uo pipefail
lsrc=$1
cd "$(dirname "$0")/.." || exit 1
rc=0
out=$(perl "$lsrc/scripts/kernel-doc" -none -Wall kmod/*.c kmod/*.h 2>&1)
[ -z "$out" ] || { echo "$out"; rc=1; }
for f in kmod/*.c; do
	# names of non-static functions defined at file scope
	for fn in $(awk '/^[a-z].*\(/ && !/^static/ && !/;$/ && !/^(MT_|DEFINE_|EXPORT|module_)/ {
			sub(/\(.*/, ""); n = split($0, w, /[ *]+/); print w[n] }' "$f"); do
		grep -q "^ \* $fn() - " "$f" || { echo "$f: $fn() has no kernel-doc"; rc=1; }
	done
done
exit $rc
