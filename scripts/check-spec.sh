#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-spec.sh <linux-source dir> [--update]: generate, with the kernel's own
# ynl-gen-c.py, from Documentation/netlink/specs/memtally.yaml
#   - the uapi header, include/uapi/linux/memtally.h;
#   - the request policies, kmod/genl-gen.h (scripts/nl-policy.py keeps
#     the policies of ynl's kernel source and leaves out its split ops);
# and compare them with the files in the tree.  With --update, rewrite them,
# and the counter tables too (scripts/check-counters.py --update).
# MT_SPEC names another spec to generate from (the suite's check that a
# spec change the files do not follow fails).
set -euo pipefail
lsrc=$1
top=$(cd "$(dirname "$0")/.." && pwd)
spec=${MT_SPEC:-$top/Documentation/netlink/specs/memtally.yaml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ynl-gen-c.py wants the schemas beside specs/ and a MAINTAINERS file above
mkdir -p "$tmp/Documentation/netlink/specs"
cp "$lsrc"/Documentation/netlink/*.yaml "$tmp/Documentation/netlink/"
cp "$spec" "$tmp/Documentation/netlink/specs/memtally.yaml"
touch "$tmp/MAINTAINERS"
gen() {
	(cd "$tmp" && timeout 120 /usr/bin/python3 "$lsrc/tools/net/ynl/ynl-gen-c.py" \
		--spec Documentation/netlink/specs/memtally.yaml "$@")
}
gen --mode uapi --header -o memtally.h
gen --mode kernel --source -o kernel.c
/usr/bin/python3 "$top/scripts/nl-policy.py" "$spec" "$tmp/kernel.c" > "$tmp/genl-gen.h"
if [ "${2:-}" = --update ]; then
	cp "$tmp/memtally.h" "$top/include/uapi/linux/memtally.h"
	cp "$tmp/genl-gen.h" "$top/kmod/genl-gen.h"
	/usr/bin/python3 "$top/scripts/check-counters.py" --update "$spec"
fi
rc=0
diff -u "$top/include/uapi/linux/memtally.h" "$tmp/memtally.h" || rc=1
diff -u "$top/kmod/genl-gen.h" "$tmp/genl-gen.h" || rc=1
exit $rc
