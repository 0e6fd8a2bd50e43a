#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-spec.sh <linux-source dir>: regenerate the uapi header from the
# netlink spec with the kernel's own ynl-gen-c.py and compare it with
# include/uapi/linux/memtally.h.  With --update, rewrite the header.
set -euo pipefail
lsrc=$1
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ynl-gen-c.py wants the schemas beside specs/ and a MAINTAINERS file above
mkdir -p "$tmp/Documentation/netlink/specs"
cp "$lsrc"/Documentation/netlink/*.yaml "$tmp/Documentation/netlink/"
cp "$top/Documentation/netlink/specs/memtally.yaml" "$tmp/Documentation/netlink/specs/"
touch "$tmp/MAINTAINERS"
(cd "$tmp" && timeout 120 /usr/bin/python3 "$lsrc/tools/net/ynl/ynl-gen-c.py" \
	--mode uapi --header --spec Documentation/netlink/specs/memtally.yaml \
	-o memtally.h)
if [ "${2:-}" = --update ]; then
	cp "$tmp/memtally.h" "$top/include/uapi/linux/memtally.h"
fi
diff -u "$top/include/uapi/linux/memtally.h" "$tmp/memtally.h"
