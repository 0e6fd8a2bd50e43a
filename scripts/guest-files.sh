#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-files.sh <name> <guest log>: check the files a guest sent to the
# host (MT-FILE-BEGIN NAME ... MT-FILE-END blocks of base64), one TAP line
# each, as scripts/test-all.sh does after each guest; say, after
#   scripts/try.sh 6.12 tool_test.sh
#   scripts/guest-files.sh 6.12 build/try/6.12/guest.log
# By the file's extension:
#   NAME-WxH.png  pngfix inflates and checks every chunk, file reads the
#                 size from the header: W x H
#   NAME-WxH.svg  xmllint parses it; the <svg> element is W by H
#   *.json        valid against the $defs entry of the schema that the
#   *.jsonl       name gives (json-status.json: $defs/status; see
#                 scripts/check-json.py), each line of a .jsonl
# The files are kept in $MT_BUILD/<name>/files.  test-all.sh sources this
# file for guest_files(), which counts with its pass() and fail().

# guest_files <name> <log>
guest_files() {
	local kname=$1 log=$2 name out want dir=$MT_BUILD/$1/files
	local schema=Documentation/admin-guide/memtally.schema.json
	rm -rf "$dir" && mkdir -p "$dir"
	for name in $(sed -n 's/^MT-FILE-BEGIN //p' "$log"); do
		sed -n "/^MT-FILE-BEGIN $name\$/,/^MT-FILE-END\$/p" "$log" |
			sed '1d;$d' | base64 -d > "$dir/$name" 2> /dev/null
		want=${name%.*}
		want=${want##*-}
		case $name in
		*.png)
			out=$(pngfix "$dir/$name" 2>&1 && file -b "$dir/$name")
			case $out in
			*"PNG image data, ${want/x/ x },"*)
				pass "$kname/$name decodes on the host (${want})" ;;
			*)
				fail "$kname/$name decodes on the host"
				echo "$out" | head -n 5 | sed 's/^/#   /' ;;
			esac ;;
		*.svg)
			out=$(svg_size "$dir/$name" 2>&1)
			if [ "$out" = "$want" ]; then
				pass "$kname/$name parses on the host (${want})"
			else
				fail "$kname/$name parses on the host (${want})"
				echo "$out" | head -n 5 | sed 's/^/#   /'
			fi ;;
		*.json | *.jsonl)
			if out=$(/usr/bin/python3 scripts/check-json.py "$schema" "$dir/$name" 2>&1); then
				pass "$kname/$name is valid against the schema"
			else
				fail "$kname/$name is valid against the schema"
				echo "$out" | head -n 10 | sed 's/^/#   /'
			fi ;;
		esac
	done
}

# svg_size <file>: WxH of its <svg> element (cairo: "500pt" or "500px")
# once xmllint parsed it
svg_size() {
	local w h
	xmllint --noout "$1" || return 1
	w=$(xmllint --xpath 'string(/*[local-name()="svg"]/@width)' "$1") &&
	h=$(xmllint --xpath 'string(/*[local-name()="svg"]/@height)' "$1") ||
		return 1
	echo "${w%p[tx]}x${h%p[tx]}"
}

# run on a log: TAP lines and the exit code of their verdict
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	[ $# -eq 2 ] || { sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
	log=$(realpath "$2")
	cd "$(dirname "$0")/.." || exit 1
	MT_BUILD=${MEMTALLY_BUILD:-$PWD/build}
	npass=0 nfail=0
	pass() { npass=$((npass + 1)); echo "ok - $1"; }
	fail() { nfail=$((nfail + 1)); echo "not ok - $1"; }
	guest_files "$1" "$log"
	echo "# $npass passed, $nfail failed"
	[ $nfail -eq 0 ] && [ $npass -gt 0 ]
fi
