#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own ynl cli.py (tools/net/ynl of linux-source, with
# memtally's spec) against the module, as a kernel developer tries a family
# first: the replies must decode as the spec says (histograms as arrays of
# u64), their numbers must be the module's (a workload of known faults, the
# tool's), its errors the spec's, and the events group must deliver an OOM
# kill (joined with ynl's library, which cli.py --subscribe uses, so that
# the test knows when it has joined).  cli.py runs in the root filesystem image the host attaches
# (python3-yaml; scripts/bpftrace-rootfs.sh).  Prints TAP.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
cg=/sys/fs/cgroup
root=/run/ynl-root

echo "TAP version 13"
echo "1..6"
if ! out=$(/tests/rootfs.sh $root 2>&1); then
	for t in status-get cgroup-get-do cgroup-get-dump errors events rootfs; do
		nok "$t: no root filesystem for python3 ($out)"
	done
	exit 1
fi
mkdir -p $root/tmp/ynl
cp -r /ynl/* $root/tmp/ynl/
cli() {
	chroot $root python3 /tmp/ynl/cli.py --spec /tmp/ynl/memtally.yaml \
		--no-schema --output-json "$@"
}
check() { chroot $root python3 /tmp/ynl/ynl_check.py "$@"; }

# 1: status-get decodes, and it is this module
if cli --do status-get > $root/tmp/status.json 2>&1 &&
   out=$(check status /tmp/status.json "$(cat /sys/module/memtally/version)" 2>&1); then
	ok "cli.py status-get: $out"
else
	nok "cli.py status-get" "$out" "$(cat $root/tmp/status.json)"
fi

# 2: a do of a cgroup with 3000 touched pages
mkdir -p $cg/ynl
sh -c "echo \$\$ > $cg/ynl/cgroup.procs && exec /tests/mt_touch 3000"
id=$(stat -c %i $cg/ynl)
if cli --do cgroup-get --json "{\"id\": $id}" > $root/tmp/do.json 2>&1 &&
   out=$(check row /tmp/do.json "$id" 3000 2>&1); then
	ok "cli.py cgroup-get do: $out"
else
	nok "cli.py cgroup-get do" "$out" "$(cat $root/tmp/do.json)"
fi

# 3: the dump has the same row, and so has the tool
memtally cgroups --json > $root/tmp/tool.json 2>&1
if cli --dump cgroup-get > $root/tmp/dump.json 2>&1 &&
   out=$(check same /tmp/do.json /tmp/dump.json /tmp/tool.json 2>&1); then
	ok "cli.py cgroup-get dump: $out"
else
	nok "cli.py cgroup-get dump" "$out" "$(head -c 2000 $root/tmp/dump.json)"
fi
rmdir $cg/ynl

# 4: errors as the spec and the module give them
out=$(cli --do cgroup-get --json '{"id": 4294967295}' 2>&1)
rc=$?
out2=$(cli --do config-set --json '{"stall-threshold-us": 60000001}' 2>&1)
rc2=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q "no cgroup with this id" &&
   [ $rc2 -ne 0 ] && echo "$out2" | grep -q "integer out of range"; then
	ok "cli.py errors: a missing cgroup and a threshold out of the spec's range, with the module's reasons"
else
	nok "cli.py errors" "rc=$rc: $out" "rc=$rc2: $out2"
fi

# 5: the events group: an OOM kill in a cgroup of 16 MiB
mkdir -p $cg/ynl_oom
echo 16M > $cg/ynl_oom/memory.max
echo 0 > $cg/ynl_oom/memory.swap.max
oid=$(stat -c %i $cg/ynl_oom)
# ynl's library joins the group as cli.py --subscribe does, and says when
check subscribe /tmp/ynl/memtally.yaml /tmp/joined 15 /tmp/events.json \
	2> $root/tmp/events.err &
sub=$!
i=0
while [ ! -e $root/tmp/joined ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e $root/tmp/joined ]; then
	sh -c "echo \$\$ > $cg/ynl_oom/cgroup.procs && exec /tests/mt_touch 16384" 2> /dev/null &
	victim=$!
	wait $victim
	wait $sub
	if out=$(check oom /tmp/events.json $victim "$oid" 2>&1); then
		ok "ynl --subscribe events: $out"
	else
		nok "ynl --subscribe events" "$out" "$(cat $root/tmp/events.err)"
	fi
else
	kill $sub
	nok "ynl --subscribe events: not joined after 60 s" "$(cat $root/tmp/events.err)"
fi
rmdir $cg/ynl_oom

# 6: the family's operations, as cli.py lists them from the spec
if out=$(cli --list-ops 2>&1) && [ "$(echo "$out" | wc -l)" -eq 10 ] &&
   echo "$out" | grep '^cgroup-get ' | grep -q ' do' &&
   echo "$out" | grep '^cgroup-get ' | grep -q ' dump'; then
	ok "cli.py --list-ops: the spec's 10 operations, cgroup-get with do and dump"
else
	nok "cli.py --list-ops" "$(echo "$out" | tr "\n" ";")"
fi
# leave no mount behind for the suites after this one
for m in $(awk -v r=$root 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
	umount $m
done
exit $((failed > 0))
