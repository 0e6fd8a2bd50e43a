#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-verdict.sh: prove that scripts/guest-verdict.sh fails a guest run
# that hides a missing feature or a missing test.  Each case is a guest log
# made up here; the verdicts on it must contain the failure named.  A step
# of scripts/test-all.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=guest-verdict.sh
. "$here/guest-verdict.sh"

out=""
pass() { out+="ok - $1"$'\n'; }
skip() { out+="ok - $1 # SKIP $2"$'\n'; }
fail() { out+="not ok - $1"$'\n'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

# log <features> <suite text...>: a guest log with these suites' output
log() {
	local f=$1
	shift
	{
		echo "MT-BEGIN test 6.12.0"
		echo "MT-FEATURES $f"
		printf '%s\n' "$@"
		echo "MT-DMESG-BEGIN"
	} > "$tmp/log"
}

# expect <case> <kernel> <suites> <ok|fail> <text the verdicts must hold>
expect() {
	local name=$1 k=$2 suites=$3 want=$4 text=$5 nf
	out=""
	# shellcheck disable=SC2086
	guest_results "$k" "$tmp/log" $suites
	nf=$(grep -c '^not ok' <<< "$out")
	if { [ "$want" = ok ] && [ "$nf" -eq 0 ]; } ||
	   { [ "$want" = fail ] && [ "$nf" -gt 0 ] && grep -qF -- "$text" <<< "$out"; }; then
		echo "ok - $name"
	else
		echo "not ok - $name (wanted $want: $text)"
		sed 's/^/#   /' <<< "$out"
		bad=$((bad + 1))
	fi
}

all612="damon=1 ksm=1 ksm_tp=1 psi=1 mglru=1 damon_stat=0 reclaim_memcg=0 memcg_v1=0 fault_inject=0"
all61="damon=0 ksm=1 ksm_tp=0 psi=1 mglru=1 damon_stat=0 reclaim_memcg=0 memcg_v1=1 fault_inject=0"
good=("MT-SUITE s" "1..2" "ok 1 a" "ok 2 b" "MT-SUITE-END s rc=0")

log "$all612" "${good[@]}"
expect "a clean run passes" 6.12 s ok ""

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel has no DAMON (CONFIG_DAMON is off)" "MT-SUITE-END s rc=0"
expect "a DAMON skip on 6.12 fails" 6.12 s fail "skipped for want of damon, which 6.12 must have"

log "$all61" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel has no DAMON (CONFIG_DAMON is off)" "MT-SUITE-END s rc=0"
expect "a DAMON skip on 6.1 is a skip" 6.1 s ok ""

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP no DAMON_STAT in this kernel" "MT-SUITE-END s rc=0"
expect "a DAMON_STAT skip on 6.12 is a skip, not one of DAMON" 6.12 s ok ""

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel cannot mount the memory controller on cgroup v1 (no CONFIG_MEMCG_V1), so paddr always sees v2 ids" "MT-SUITE-END s rc=0"
expect "a cgroup v1 memory skip on 6.12 is a skip" 6.12 s ok ""

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel cannot mount the memory controller on cgroup v1 (no CONFIG_MEMCG_V1), so paddr always sees v2 ids" "MT-SUITE-END s rc=0"
expect "a cgroup v1 memory skip on the debug kernel fails" debug s fail "skipped for want of memcg_v1, which debug must have"

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel has no fault injection (CONFIG_FAULT_INJECTION, ...)" "MT-SUITE-END s rc=0"
expect "a fault injection skip on 6.12 is a skip" 6.12 s ok ""

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP this kernel has no fault injection (CONFIG_FAULT_INJECTION, ...)" "MT-SUITE-END s rc=0"
expect "a fault injection skip on the debug kernel fails" debug s fail "skipped for want of fault_inject, which debug must have"

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b # SKIP no idea" "MT-SUITE-END s rc=0"
expect "a skip for no known feature fails" 6.12 s fail "skipped for no known missing feature"

log "damon=0 ksm=1 ksm_tp=1 psi=1 mglru=1 damon_stat=0 reclaim_memcg=0 memcg_v1=0 fault_inject=0" "${good[@]}"
expect "6.12 without DAMON fails, even with no skip" 6.12 s fail "damon is missing"

log "$all612" "${good[@]}"
expect "6.1 with DAMON fails" 6.1 s fail "damon is there but 6.1 must not have it"

log "$all612" "${good[@]}"
expect "a suite that did not run fails" 6.12 "s t" fail "6.12/t: did not run"

log "$all612" "MT-SUITE s" "1..2" "ok 1 a"
expect "a suite that did not finish fails" 6.12 s fail "did not finish"

log "$all612" "MT-SUITE s" "1..3" "ok 1 a" "ok 2 b" "MT-SUITE-END s rc=0"
expect "fewer results than planned fails" 6.12 s fail "planned 3 results, printed 2"

log "$all612" "MT-SUITE s" "ok 1 a" "MT-SUITE-END s rc=0"
expect "no plan fails" 6.12 s fail "printed no plan"

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "ok 2 b" "MT-SUITE-END s rc=1"
expect "a non-zero exit with every test passed fails" 6.12 s fail "exit code 1 with 0 failed"

log "$all612" "MT-SUITE s" "1..2" "ok 1 a" "not ok 2 b" "MT-SUITE-END s rc=0"
expect "exit 0 with a failed test fails" 6.12 s fail "exit code 0 with 1 failed"

{ echo "MT-BEGIN test 6.12.0"; printf '%s\n' "${good[@]}"; echo MT-DMESG-BEGIN; } > "$tmp/log"
expect "no MT-FEATURES line fails" 6.12 s fail "printed no MT-FEATURES"

log "$all612" "${good[@]}"
expect "a kernel not in kernels.expect fails" 7.0 s fail "not in scripts/kernels.expect"

[ "$bad" -eq 0 ]
