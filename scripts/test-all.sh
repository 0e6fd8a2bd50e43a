#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build everything and run every test; what CI runs (.ci/run).
#   host:  checkpatch --strict, kernel-doc, spec == uapi header, man page,
#          the tool's unit tests, promtool on the export's golden text and
#          on contrib/'s alert rules, the dashboard's metrics,
#          its parsers under libFuzzer, the Debian packages installed
#          and purged
#   per kernel of the matrix (Debian 6.1, Debian 6.12 from backports,
#   Debian 13's 6.12 and trixie-backports' newest (7.3), whose modules are
#   built in a trixie chroot, and a 6.12 debug kernel built once from
#   Debian's linux-source-6.12, in the background during the host checks),
#   in two lanes (the debug kernel once built; 6.1, 6.12, trixie-bpo; the
#   lane free first takes trixie):
#          W=1 + sparse build, dkms add/build, then a QEMU (TCG) boot that
#          loads the module and runs the selftests and the tool tests;
#          any oops/WARN/BUG in the guest's dmesg fails the kernel.
# Ends with "N passed, N failed[, N skipped]"; exits non-zero on failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=vm.sh
. scripts/vm.sh

exec 3>&1	# timed's output, also from within $(...)
logs=$MT_BUILD/logs
mkdir -p "$logs"
npass=0 nfail=0 nskip=0

pass() { npass=$((npass + 1)); echo "ok - $1"; }
skip() { nskip=$((nskip + 1)); echo "ok - $1 # SKIP $2"; }
fail() {
	nfail=$((nfail + 1))
	echo "not ok - $1"
	[ -n "${2:-}" ] && [ -e "$2" ] && tail -n 40 "$2" | sed 's/^/#   /'
}

# timed <name> <command...>: run it, then say how long it took
timed() {
	local t0=$SECONDS rc
	"${@:2}"
	rc=$?
	echo "# time: $1 $((SECONDS - t0)) s (at $((SECONDS / 60)) min)" >&3
	return $rc
}

# step <name> <command...>: one test whose verdict is the command's status
step() {
	local name=$1 log=$logs/${1//\//-}.log
	if timed "$@" > "$log" 2>&1; then pass "$name"; else fail "$name" "$log"; fi
}

finish() {
	echo "$npass passed, $nfail failed, $nskip skipped"
	[ "$nfail" -eq 0 ]
	exit $?
}

timed setup-host scripts/setup-host.sh > "$logs/setup-host.log" 2>&1 ||
	{ fail setup-host "$logs/setup-host.log"; finish; }
kernels=$(timed kernels scripts/kernels.sh 2> "$logs/kernels.log") || { fail kernels "$logs/kernels.log"; finish; }
lsrc=$(scripts/linux-source.sh 2> "$logs/linux-source.log") ||
	{ fail linux-source "$logs/linux-source.log"; finish; }
export KSFT_DIR=$lsrc/tools/testing/selftests
# MT_KERNELS="6.12 debug" runs the guests of these kernels only (MT_KERNELS=none:
# the host checks only)
want_kernel() { [ -z "${MT_KERNELS:-}" ] || [[ " $MT_KERNELS " == *" $1 "* ]]; }
# the debug kernel (KASAN, KFENCE, lockdep, kmemleak, UBSAN) is built once
# per machine, in the background while the host checks run; at nice 10, so
# that a guest booted meanwhile keeps its CPU
debug_line=$MT_BUILD/debug-kernel.line
rm -f "$debug_line" "$debug_line.done"
if want_kernel debug; then
	{ timed debug-kernel nice -n 10 scripts/debug-kernel.sh > "$debug_line" \
		2> "$logs/debug-kernel.log" || rm -f "$debug_line"
	  touch "$debug_line.done"; } &
fi
# the root filesystem image the guests' ynl.sh runs the kernel's cli.py
# in (python3-yaml; bpftrace for the bench), built once per machine
rootfs=""
if [ "${MT_KERNELS:-}" != none ]; then
	if rootfs=$(timed rootfs-image scripts/bpftrace-rootfs.sh 2> "$logs/rootfs.log"); then
		pass rootfs-image
	else
		fail rootfs-image "$logs/rootfs.log"
		rootfs=""
	fi
fi

# ---- host checks -------------------------------------------------------
# every command the scripts and Makefiles call comes from setup-host's packages
step host-deps scripts/check-host-deps.sh
checkpatch() {
	local out
	# not kmod/genl-gen.h: ynl-gen-c.py's output, checked by check-spec.sh
	out=$(perl "$lsrc/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f kmod/*.c $(ls kmod/*.h | grep -v genl-gen.h) Kbuild 2>&1)
	echo "$out"
	! echo "$out" | grep -qE ': (ERROR|WARNING|CHECK):'
}
step checkpatch checkpatch

step kernel-doc scripts/check-kdoc.sh "$lsrc"

step spec-matches-generated scripts/check-spec.sh "$lsrc"
# ... and bites: a range changed in the spec alone is a difference in the
# generated policies
spec_bites() {
	local t out
	t=$(mktemp) || return
	sed 's/max: \*damon-wss-ring-max/max: 512/' \
		Documentation/netlink/specs/memtally.yaml > "$t"
	out=$(MT_SPEC=$t scripts/check-spec.sh "$lsrc" 2>&1)
	local rc=$?
	rm -f "$t"
	echo "$out"
	[ $rc -ne 0 ] && grep -qF '+	[MEMTALLY_A_DAMON_WSS_RING] = NLA_POLICY_RANGE(NLA_U32, 1, 512),' <<< "$out"
}
step spec-change-caught spec_bites
# the counter tables of kmod and the tool are generated from the spec, and
# the JSON schema agrees with it...
step counters-match-spec /usr/bin/python3 scripts/check-counters.py
# ... and a counter added to the spec alone is missing from each of them
# spec_with_counter <spec> <out>: the spec with test-counter, a counter the
# store counts (in the cgroup-get reply after oom-kills)
spec_with_counter() {
	/usr/bin/python3 - "$1" "$2" <<-'PY'
	import sys
	s = open(sys.argv[1]).read()
	s = s.replace("            - oom-kills\n",
	              "            - oom-kills\n            - test-counter\n", 1)
	s = s.replace("  -\n    name: cgroup-counters\n",
	              "      -\n        name: test-counter\n        type: u64\n"
	              "        doc: A counter only the spec has.\n"
	              "  -\n    name: cgroup-counters\n", 1)
	s = s.replace("        name: oom-kills\n      -\n        name: ksm-merge-attempts\n",
	              "        name: oom-kills\n      -\n        name: test-counter\n"
	              "      -\n        name: ksm-merge-attempts\n", 1)
	open(sys.argv[2], "w").write(s)
	PY
}
counters_bite() {
	local t out
	t=$(mktemp) || return
	spec_with_counter Documentation/netlink/specs/memtally.yaml "$t" &&
	out=$(/usr/bin/python3 scripts/check-counters.py "$t" 2>&1)
	local rc=$?
	rm -f "$t"
	echo "$out"
	[ $rc -ne 0 ] &&
	grep -q "^kmod/counters-gen.h: not what the spec gives (+test-counter)" <<< "$out" &&
	grep -q "^userspace/counters-gen.h: not what the spec gives (+test-counter)" <<< "$out" &&
	grep -q "^Documentation/admin-guide/memtally.schema.json: a cgroups row is not what the spec gives (+test_counter)" <<< "$out" &&
	grep -q "^Documentation/admin-guide/memtally.rst: no definition of test-counter" <<< "$out"
}
step counters-change-caught counters_bite

# the guests' verdicts bite: a skip of a feature the kernel must have, a
# suite missing or cut short, fails (scripts/kernels.expect)
step guest-verdict-self-test scripts/test-verdict.sh

manpage() {
	local w
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l userspace/memtally.8 2>&1 >/dev/null)
	echo "$w"
	[ -z "$w" ]
}
step man-page manpage
step docs-rst rst2html --strict --halt=warning Documentation/admin-guide/memtally.rst /dev/null

# the tool's unit tests count one by one, skips too
if make -C userspace clean all check > "$logs/userspace-unit.log" 2>&1; then
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$logs/userspace-unit.log" | tail -n1)
	read -r p _ f _ k _ <<< "${line//,/}"
	if [ -n "$line" ] && [ "$f" = 0 ]; then
		npass=$((npass + p))
		nskip=$((nskip + k))
		echo "ok - userspace unit tests: $line"
		grep '^skip ' "$logs/userspace-unit.log" | sed 's/^/#   /'
	else
		fail "userspace unit tests" "$logs/userspace-unit.log"
	fi
else
	fail "userspace unit tests" "$logs/userspace-unit.log"
fi

# the tool (built now): its --help, bash completion and man page agree
# (commands, options, sort keys)...
step cli-help-completion-man scripts/check-cli.sh
# ... and an option the completion lacks is caught
cli_bites() {
	local t out rc
	t=$(mktemp) || return
	sed 's/ --memstat --recursive / --memstat /' userspace/memtally.bash-completion > "$t"
	out=$(MT_COMPLETION=$t scripts/check-cli.sh 2>&1)
	rc=$?
	rm -f "$t"
	echo "$out"
	[ $rc -ne 0 ] && grep -q "^cgroups: only in --help: --recursive" <<< "$out"
}
step cli-change-caught cli_bites

# memtally export's golden text, parsed and linted by a real parser
step promtool make -C userspace check-prom

# contrib/: the alert rules, checked and run on their test series by
# promtool; the dashboard and the rules query only what a real guest's
# export (6.12: DAMON bound, KSM on) has, the PSI rules with the report's
# thresholds
contrib_rules() {
	local p
	p=$(scripts/promtool.sh) &&
	(cd contrib/prometheus && "$p" check rules memtally.rules.yml &&
		"$p" test rules memtally.rules.test.yml)
}
step contrib-alert-rules contrib_rules
step contrib-metrics-exported /usr/bin/python3 scripts/check-contrib.py \
	userspace/tests/golden/6.12/out/export.prom

# the JSON of every command against the one schema of the admin guide: the
# check bites (self-test: a key renamed anywhere in a golden output fails),
# the golden outputs, and what this host gives
schema=Documentation/admin-guide/memtally.schema.json
# (the captured inputs: snapshot*.json, events.jsonl; out/: the renderings)
golden_json=(userspace/tests/golden/*/*.json userspace/tests/golden/*/*.jsonl
	userspace/tests/golden/*/out/*.json)
step json-schema-self-test /usr/bin/python3 scripts/check-json.py "$schema" \
	--self-test "${golden_json[@]}"
step json-schema-golden /usr/bin/python3 scripts/check-json.py "$schema" "${golden_json[@]}"
host_json() {
	local d=$MT_BUILD/host-json t=userspace/memtally
	rm -rf "$d" && mkdir -p "$d" &&
	$t report --json > "$d/report.json" 2> /dev/null &&
	$t smem --json > "$d/smem.json" 2> /dev/null &&
	$t smem -b user --json > "$d/smem-user.json" 2> /dev/null &&
	$t smem -b mapping -n 20 --json > "$d/smem-mapping.json" 2> /dev/null &&
	$t smem -b system --json > "$d/smem-system.json" 2> /dev/null &&
	$t snapshot -o "$d/snapshot.json" 2> /dev/null &&
	$t vmstat 1 2 --json > "$d/vmstat.jsonl" 2> /dev/null &&
	{ [ ! -d /sys/kernel/mm/ksm ] || { $t ksm --json > "$d/ksm.json" &&
		$t ksm -p --json > "$d/ksm-processes.json"; }; } &&
	/usr/bin/python3 scripts/check-json.py "$schema" "$d"/*.json "$d"/*.jsonl
}
step json-schema-host host_json

# the Debian packages: built, installed (dkms builds the module for the
# cached 6.1 and 6.12 kernels), removed and purged on this host, which must
# be left with the files it had
step debian-packages scripts/test-packages.sh

# the tool's parsers under libFuzzer with ASan + UBSan, 20 s each from the
# seeds and regression inputs of userspace/fuzz/corpus/ (twelve: 4 min)
for f in $(make -s --no-print-directory -C userspace fuzz-list); do
	step "fuzz-$f" make -C userspace fuzz-run FUZZERS=$f FUZZ_SECONDS=20
done

# static binaries for the guests
step build-tool-static make -C userspace clean all STATIC=1
step build-selftests make -C selftests clean all

# ---- per kernel --------------------------------------------------------
dkms_build() {
	local abi=$1 kdir=$2 tree=$MT_BUILD/dkms/$1
	rm -rf "$tree" && mkdir -p "$tree/src" "$tree/dkms"
	mt_module_tree "$tree/src/memtally-0.1.0"
	mt_kernel_run "$kdir" dkms add --dkmstree "$tree/dkms" --sourcetree "$tree/src" \
		-m memtally -v 0.1.0 &&
	mt_kernel_run "$kdir" dkms build --dkmstree "$tree/dkms" --sourcetree "$tree/src" \
		-m memtally -v 0.1.0 -k "$abi" --kernelsourcedir "$kdir" &&
	ls "$tree"/dkms/memtally/0.1.0/"$abi"/x86_64/module/memtally.ko*
}

# A kernel memtally cannot serve gets a reason, from make and from DKMS
# (here one it would take for 5.10: 6.1's headers said to be 5.10's)
refuses_old() {
	local k61 tree=$MT_BUILD/dkms/refuse out rc
	k61=$(awk '$1 == "6.1" {print $4}' <<< "$kernels")
	mt_module_tree "$tree/src/memtally-0.1.0" &&
	out=$(make -C "$k61" M="$tree/src/memtally-0.1.0" VERSION=5 PATCHLEVEL=10 modules 2>&1)
	rc=$?
	echo "$out" | grep 'memtally needs'
	[ $rc -ne 0 ] && grep -q 'memtally needs Linux 6.1 or later; this is 5.10' <<< "$out" || return 1
	rm -rf "$tree/dkms" && mkdir -p "$tree/dkms"
	dkms add --dkmstree "$tree/dkms" --sourcetree "$tree/src" -m memtally -v 0.1.0 > /dev/null &&
	out=$(dkms build --dkmstree "$tree/dkms" --sourcetree "$tree/src" -m memtally -v 0.1.0 \
		-k 5.10.0-30-amd64 --kernelsourcedir "$k61" 2>&1)
	rc=$?
	echo "dkms build for 5.10: exit $rc: $out"
	[ $rc -eq 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match' <<< "$out"
}

step unsupported-kernel-refused refuses_old

# A new counter is three edits (the admin guide's Architecture): made in a
# copy of the tree, the spec gains test-counter (and the admin guide its
# definition), the user page fault probe counts it; check-spec.sh --update
# generates the rest; then the module
# builds (6.12's headers) with its debugfs column, and the tool with its
# column, JSON key, --sort key, help and metric (counter_table checks each
# for every counter of the table).  The tests that compare whole outputs
# with golden files or written-out text (the --all header, the sort
# keys) fail, as they must: a developer reviews the new column there
# (make golden-update)
new_counter() {
	local t=$MT_BUILD/new-counter k612
	k612=$(awk '$1 == "6.12" {print $4}' <<< "$kernels")
	rm -rf "$t" && mkdir -p "$t" &&
	cp -a Kbuild Makefile dkms.conf kmod include userspace scripts Documentation "$t/" &&
	spec_with_counter Documentation/netlink/specs/memtally.yaml \
		"$t/Documentation/netlink/specs/memtally.yaml" &&
	sed -i 's/^Attribution$/test-counter\n  A counter only the spec has.\n\n&/' \
		"$t/Documentation/admin-guide/memtally.rst" &&
	sed -i 's/^\tmt_count_current(MT_FAULTS_USER, 1);$/&\n\tmt_count_current(MT_TEST_COUNTER, 1);/' \
		"$t/kmod/hook_fault.c" &&
	grep -q MT_TEST_COUNTER "$t/kmod/hook_fault.c" &&
	"$t/scripts/check-spec.sh" "$lsrc" --update > /dev/null &&
	/usr/bin/python3 "$t/scripts/check-counters.py" &&
	MT_TOP=$t mt_build_module "$t/module" "$k612" &&
	grep -qa test_counter "$t/module/memtally.ko" &&
	{ make -C "$t/userspace" clean all check > "$t/unit.log" 2>&1 || true; } &&
	grep '^FAIL\|passed,' "$t/unit.log" &&
	grep -q '^ok   counter_table$' "$t/unit.log" &&
	! grep '^FAIL' "$t/unit.log" |
		grep -qv '^FAIL \(cgroups_text\|tool_usage_errors\|prom_golden\|golden_6_1\|golden_6_12\)$' &&
	"$t/userspace/memtally" cgroups --help | grep -q test-counter
}
step new-counter new_counter

wsparse() {
	local out force=() common
	# Debian's 7.x headers lack the scripts/checker-valid.sh their Makefile
	# runs to see whether sparse is new enough, which then turns sparse
	# off: force it on (the chroot's sparse is new enough) and drop the
	# two lines that say the script is missing
	common=$(sed -n 's/^include \(\/.*\)\/Makefile$/\1/p' "$2/Makefile")
	if [ -n "$common" ] && grep -qs checker-valid.sh "$common/Makefile" &&
	   [ ! -e "$common/scripts/checker-valid.sh" ]; then
		force=(KBUILD_CHECKSRC=2)
	fi
	out=$(mt_build_module "$1" "$2" W=1 C=2 CHECK=sparse "${force[@]}" 2>&1 |
		grep -v -e 'Skipping BTF generation' \
			-e '/checker-valid.sh: No such file or directory$' \
			-e 'C=2 specified, but sparse is not available or not up to date$')
	echo "$out"
	[ -z "$out" ]
}

# guest_results <name> <log>: one result per TAP line of each suite, one
# per suite (ran to its end, as planned) and one on the kernel's features
# against scripts/kernels.expect
# shellcheck source=guest-verdict.sh
. scripts/guest-verdict.sh

# guest_files <name> <log>: the files a guest sent (MT-FILE blocks): PNGs
# and SVGs decoded and of the size their name gives, JSON valid against the
# schema entry their name gives
# shellcheck source=guest-files.sh
. scripts/guest-files.sh

# run_kernel <name> <abi> <vmlinuz> <kernel build dir>: the builds, the
# guest and its verdicts of one kernel, as TAP lines
run_kernel() {
	local kname=$1 abi=$2 vmlinuz=$3 kdir=$4 dir=$MT_BUILD/$1 log append early problems stock timeout
	step "$kname/build-W1-sparse" wsparse "$dir/sparse" "$kdir"
	step "$kname/dkms-build" dkms_build "$abi" "$kdir"
	if ! mt_build_module "$dir/module" "$kdir" > "$logs/$kname-module.log" 2>&1; then
		fail "$kname/module" "$logs/$kname-module.log"
		return
	fi
	mt_initramfs "$dir/initramfs.gz" "$dir/module/memtally.ko" "$abi"
	log=$logs/$kname-guest.log
	# Under TCG on this project's 2-CPU machines, an unload/load cycle
	# (with the fault storm, cgroup churn, dumps and events beside it)
	# takes ~1.1 s on 6.12 and 7.3, ~3.4 s on 6.1 and ~5.3 s on the
	# debug kernel; 10,000 cgroups 1 minute on 6.12 and 8 on the debug
	# kernel.  CI runs 300 cycles on 6.12 and the newest kernel, fewer on
	# the others, to fit its 90 minutes with the debug kernel's build;
	# MT_STRESS_CYCLES=1000 (and make check-debug) run the full stress.
	stock=${MT_STRESS_CYCLES:-300}
	# a guest that has not ended by then hangs: the debug kernel's suites
	# take ~1600 s alone, ~2550 s with other work on the host beside them
	timeout=${MT_GUEST_TIMEOUT:-2700}
	[ "$kname" = debug ] && timeout=${MT_GUEST_TIMEOUT:-3300}
	case $kname in
	# the debug kernel fuzzes 100 s a test (KASAN: ~500 messages/s), not 150
	debug) append="mt.env.MT_STRESS_CYCLES=${MT_DEBUG_STRESS_CYCLES:-60} mt.env.MT_STRESS_CGROUPS=${MT_DEBUG_STRESS_CGROUPS:-3000} mt.env.MT_FUZZ_SECONDS=${MT_DEBUG_FUZZ_SECONDS:-100}" ;;
	6.1) append="mt.env.MT_STRESS_CYCLES=50 mt.env.MT_STRESS_CGROUPS=2000" ;;
	trixie) append="mt.env.MT_STRESS_CYCLES=150 mt.env.MT_STRESS_CGROUPS=3000" ;;
	# all 10,000 cgroups on bookworm-backports' 6.12 and on the newest
	*) append="mt.env.MT_STRESS_CYCLES=$stock" ;;
	esac
	MT_QEMU_ARGS=${rootfs:+$(mt_rootfs_args "$rootfs")} MT_APPEND=$append \
		timed "$kname/guest" mt_boot "$vmlinuz" "$dir/initramfs.gz" test "$log" "$timeout"
	# a problem of the kernel's own before the module loaded (seen once:
	# a KASAN report in an early interrupt of the debug kernel under TCG)
	# is no verdict on memtally, but it may have turned lockdep off: boot
	# once more and say so
	early=$(mt_dmesg_problems "$log" before)
	if [ -n "$early" ]; then
		echo "# $kname: the kernel reported a problem before memtally loaded; booting again:"
		echo "$early" | head -n 5 | sed 's/^/#   /'
		mv "$log" "$log.first"
		MT_QEMU_ARGS=${rootfs:+$(mt_rootfs_args "$rootfs")} MT_APPEND=$append \
			timed "$kname/guest" mt_boot "$vmlinuz" "$dir/initramfs.gz" test "$log" "$timeout"
	fi
	if ! grep -q '^MT-END' "$log"; then
		fail "$kname/boot: the guest did not finish (panic or timeout)" "$log"
	elif grep -q '^MT-INSMOD-FAILED' "$log"; then
		fail "$kname/insmod" "$log"
	else
		pass "$kname/boot-and-load"
	fi
	guest_results "$kname" "$log"
	guest_files "$kname" "$log"
	problems=$(mt_dmesg_problems "$log")
	if [ -n "$problems" ]; then
		fail "$kname/dmesg-clean"
		echo "$problems" | head -n 20 | sed 's/^/#   /'
	else
		pass "$kname/dmesg-clean"
	fi
}

# The guests run two at a time (each QEMU is one TCG thread): the debug
# kernel's, the longest, in one lane as soon as it is built; 6.1's, 6.12's
# and trixie-bpo's in the other; trixie's in whichever lane is free first
# (on a machine without the debug kernel cached, its build takes ~25 min
# of that lane).  A lane claims a kernel by making its directory (mkdir is
# atomic).  Each lane's TAP goes to a file, printed and counted when the
# lane ends.
claims=$MT_BUILD/lane-claims
rm -rf "$claims" && mkdir -p "$claims"
lane() {
	local k line
	for k; do
		want_kernel "$k" || continue
		mkdir "$claims/$k" 2> /dev/null || continue
		if [ "$k" = debug ]; then
			while [ ! -e "$debug_line.done" ]; do sleep 10; done
			if [ ! -s "$debug_line" ]; then
				fail "debug kernel build" "$logs/debug-kernel.log"
				continue
			fi
			line=$(cat "$debug_line")
		else
			line=$(awk -v k="$k" '$1 == k' <<< "$kernels")
		fi
		# shellcheck disable=SC2086
		run_kernel $line
	done
}
lane debug trixie > "$logs/lane-debug.tap" &
lane_debug=$!
lane 6.1 6.12 trixie-bpo trixie > "$logs/lane-stock.tap" &
lane_stock=$!
wait "$lane_debug" "$lane_stock"
for t in "$logs/lane-stock.tap" "$logs/lane-debug.tap"; do
	cat "$t"
	k=$(grep -c '^ok - .* # SKIP' "$t")
	npass=$((npass + $(grep -c '^ok - ' "$t") - k))
	nskip=$((nskip + k))
	nfail=$((nfail + $(grep -c '^not ok - ' "$t")))
done

finish
