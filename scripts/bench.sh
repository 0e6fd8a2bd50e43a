#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [6.1|6.12|trixie|trixie-bpo|debug ...]: the cost of memtally, each figure measured
# in one boot of a Debian kernel under QEMU TCG with -icount (the guest's
# clock counts the instructions it runs, 2^ICOUNT ns each, default 3, so
# figures do not move with the host's load; ICOUNT=off: wall-clock TCG,
# which spreads 2-5 %; absolute rates are slow, ratios are what counts):
# workloads with and without the module, DAMON's
# probe against the kdamond's own work, a netlink dump against memory.stat,
# bytes per tracked cgroup.  Default: 6.1 and 6.12.  Writes every figure,
# with the kernel and the date, to Documentation/admin-guide/memtally-bench.rst.
# The fault storm also runs under a bpftrace program doing the same
# counting, from a root filesystem image that scripts/bpftrace-rootfs.sh
# builds once; without the image that comparison is skipped.  ROUNDS,
# DAMON_SECONDS and BENCH (parts, comma-separated), when set, go to the
# guest (scripts/guest/bench.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/vm.sh
[ $# -gt 0 ] || set -- 6.1 6.12
out=Documentation/admin-guide/memtally-bench.rst
rows=()
qemu_args=""
mkdir -p "$MT_BUILD"
if img=$(scripts/bpftrace-rootfs.sh 2> "$MT_BUILD/rootfs.log"); then
	qemu_args=$(mt_rootfs_args "$img")
else
	echo "bench: no bpftrace root filesystem ($(tail -n 1 "$MT_BUILD/rootfs.log")); the bpftrace comparison is skipped" >&2
fi
# -icount shift=N,sleep=off: the guest's clock counts the instructions it
# runs, 2^N ns each, so figures weigh instructions and do not move with the
# host's load.  Debian's 6.1 hangs at boot under -icount while it brings up
# the second CPU (seen after "x86: Booting SMP configuration:"; why is not
# known), so under -icount every kernel boots with maxcpus=1 and the
# guest's /init brings the second CPU online, which 6.1 does fine.
clock_of() {	# clock_of: the QEMU arguments, empty for the host's
	local n=${ICOUNT:-3}
	[ "$n" = off ] || echo "-icount shift=$n,sleep=off"
}
append=""
for v in ROUNDS DAMON_SECONDS BENCH; do
	if [ -n "${!v:-}" ]; then
		append="$append $v=${!v}"
	fi
done

for want; do
	mt_prepare "$want" || exit
	build_log=$MT_BUILD/$kname/build.log
	mkdir -p "$MT_BUILD/$kname"
	{
		make -s -C userspace clean all STATIC=1 &&
		make -s -C selftests all &&
		make -s -C bench all &&
		mt_build_module "$MT_BUILD/$kname/module" "$kdir"
	} > "$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
	mt_initramfs "$MT_BUILD/$kname/bench.gz" "$MT_BUILD/$kname/module/memtally.ko" "$abi"
	log=$MT_BUILD/$kname/bench.log
	clock=$(clock_of)
	MT_QEMU_ARGS="$qemu_args $clock" MT_APPEND="$append${clock:+ maxcpus=1}" \
		mt_boot "$vmlinuz" "$MT_BUILD/$kname/bench.gz" bench "$log" 3600 || true
	lines=$(grep '^bench ' "$log") || { echo "bench: no result; see $log" >&2; exit 1; }
	echo "$lines"
	hostclock="the host's (wall-clock TCG: rounds spread by 2-5 %)"
	echo "kernel: $abi (QEMU TCG, 2 vCPUs, 1 GiB, clock: ${clock:-$hostclock})"
	if [ -n "$clock" ]; then
		rows+=("$abi"$'\t'"clock"$'\t'"$clock, booted with maxcpus=1, CPU 1 brought online by /init")
	else
		rows+=("$abi"$'\t'"clock"$'\t'"$hostclock")
	fi
	while IFS= read -r l; do
		l=${l#bench }
		rows+=("$abi"$'\t'"${l%%: *}"$'\t'"${l#*: }")
	done <<< "$lines"
done

# rows of kernels not measured this time stay, with their dates
today=$(date -u +%Y-%m-%d)
# each (kernel, benchmark) measured now: their old rows go; all of a
# kernel's old rows when every part ran (BENCH unset), so that a benchmark
# renamed or dropped since leaves no stale row
measured=" $(printf '%s\n' "${rows[@]}" | cut -f1,2 | sort -u | tr '\t\n' '| ')"
[ -n "${BENCH:-}" ] ||
	measured="$measured$(printf '%s\n' "${rows[@]}" | cut -f1 | sort -u | sed 's/$/|* /' | tr -d '\n')"
kept=()
if [ -f "$out" ]; then
	while IFS=$'\t' read -r k d b f; do
		[[ $measured == *" $k|$b "* || $measured == *" $k|* "* ]] ||
			kept+=("$k"$'\t'"$d"$'\t'"$b"$'\t'"$f")
	done < <(awk '/^   \* - /{k = substr($0, 8); n = 0; next}
		/^     - / && k != "kernel" {v[++n] = substr($0, 8)
			if (n == 3) print k "\t" v[1] "\t" v[2] "\t" v[3]}' "$out")
fi
{
	echo ".. SPDX-License-Identifier: GPL-2.0"
	echo ".. Written by scripts/bench.sh: measured, not typed.  Do not edit."
	echo
	echo "Measured by \`\`scripts/bench.sh\`\` under QEMU TCG with 2 vCPUs and 1 GiB"
	echo "(seven interleaved rounds per workload unless ROUNDS said otherwise,"
	echo "medians).  The clock row of a kernel says how its guest kept time:"
	echo "\`\`-icount\`\` counts instructions (figures free of the host's load), the"
	echo "host's clock lets another VM or a build move them (a kernel without a"
	echo "clock row was measured on the host's clock, before the row existed):"
	echo
	echo ".. list-table::"
	echo "   :header-rows: 1"
	echo
	echo "   * - kernel"
	echo "     - date"
	echo "     - benchmark"
	echo "     - figures"
	for r in "${kept[@]}" "${rows[@]/$'\t'/$'\t'$today$'\t'}"; do
		IFS=$'\t' read -r k d b f <<< "$r"
		echo "   * - $k"
		echo "     - $d"
		echo "     - $b"
		echo "     - ${f//\*/\\*}"
	done
} > "$out"
echo "bench: figures written to $out"
