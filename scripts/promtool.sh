#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of a promtool, the real parser of memtally export's text.
# Debian ships it only in the prometheus package, whose installation starts
# a Prometheus server on a systemd host: so the package is downloaded and
# only its promtool unpacked into the cache, never installed.  A promtool
# already on PATH is used as it is.
set -euo pipefail

if command -v promtool > /dev/null; then
	command -v promtool
	exit 0
fi
CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
ver=$(apt-cache show prometheus 2> /dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
if [ -z "$ver" ]; then
	apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
	ver=$(apt-cache show prometheus | sed -n 's/^Version: //p' | sort -V | tail -n1)
fi
[ -n "$ver" ] || { echo "promtool.sh: no prometheus package in the archive" >&2; exit 1; }
dir=$CACHE/promtool/$ver
if [ ! -e "$dir/.complete" ]; then
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q "prometheus=$ver" >&2)
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" ./usr/bin/promtool
	mv "$tmp/usr/bin/promtool" "$dir/promtool"
	rm -rf "$tmp"
	"$dir/promtool" --version > /dev/null 2>&1 ||
		{ echo "promtool.sh: the unpacked promtool does not run" >&2; exit 1; }
	touch "$dir/.complete"
fi
echo "$dir/promtool"
