#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack the parts of Debian's linux-source-6.12 (bookworm-backports) that
# the project builds with but never copies into the repo: the kselftest
# harness, checkpatch.pl, kernel-doc and the YNL netlink tools and schemas.
# Prints the directory they are in.
set -euo pipefail

CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
here=$(cd "$(dirname "$0")" && pwd)
# kernels.sh sets up the private backports sources list
"$here/kernels.sh" > /dev/null
BPO=$CACHE/apt-bpo
opts=(-o "Dir::Etc::sourcelist=$BPO/sources.list" -o Dir::Etc::sourceparts=-
      -o "Dir::State::Lists=$BPO/lists")

pkg=linux-source-6.12
ver=$(apt-cache "${opts[@]}" show "$pkg" 2>/dev/null |
	sed -n 's/^Version: //p' | sort -V | tail -n1)
[ -n "$ver" ] || { echo "linux-source.sh: $pkg not found in the archive" >&2; exit 1; }
dest=$CACHE/linux-source/$ver
if [ ! -e "$dest/.complete" ]; then
	echo "linux-source.sh: unpacking $pkg $ver" >&2
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get "${opts[@]}" download -q "$pkg=$ver" >&2)
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
		tar -x -C "$tmp" --wildcards './usr/src/linux-source-6.12.tar.xz'
	rm -rf "$dest" && mkdir -p "$dest"
	tar -xJf "$tmp"/usr/src/linux-source-6.12.tar.xz -C "$dest" \
		--strip-components=1 --wildcards \
		'linux-source-6.12/tools/testing/selftests/kselftest*' \
		'linux-source-6.12/scripts/checkpatch.pl' \
		'linux-source-6.12/scripts/spelling.txt' \
		'linux-source-6.12/scripts/const_structs.checkpatch' \
		'linux-source-6.12/scripts/kernel-doc' \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*.yaml'
	rm -rf "$tmp"
	touch "$dest/.complete"
fi
echo "$dest"
