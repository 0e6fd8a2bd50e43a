#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-verdict.sh: the verdicts on what a test guest printed, sourced by
# scripts/test-all.sh (which supplies pass, skip and fail) and by
# scripts/tests/verdict-test.sh, which proves that each check bites.
#
# guest_results <kernel> <log> [suite...]: one result per TAP line of each
# suite, and then one verdict per suite and one on the kernel's features:
#   - every suite asked for (default: all of scripts/guest/run.sh) ran to
#     its end (MT-SUITE-END), printed as many results as its plan (1..N)
#     announced, and exited 0 exactly when none failed;
#   - the features the guest found (MT-FEATURES, printed by
#     scripts/guest/init) are those scripts/kernels.expect lists for the
#     kernel;
#   - a skip names a feature that the kernel is listed without; a skip for
#     a feature the kernel must have, or for no known feature, fails.

MT_VERDICT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# mt_skip_feature <reason>: the feature a skip's reason says is missing
mt_skip_feature() {
	case $1 in
	*"no DAMON_STAT"*) echo damon_stat ;;
	*"no DAMON"* | *"DAMON is not built"*) echo damon ;;
	*"no KSM tracepoints"*) echo ksm_tp ;;
	*"KSM is not built"*) echo ksm ;;
	*"no PSI"*) echo psi ;;
	*"no MGLRU"* | *"CONFIG_LRU_GEN"*) echo mglru ;;
	*"no CONFIG_MEMCG_V1"*) echo memcg_v1 ;;
	*"no fault injection"*) echo fault_inject ;;
	esac
}

# mt_expected <kernel>: its line of kernels.expect ("+damon -ksm_tp ...")
mt_expected() {
	awk -v k="$1" '$1 == k {$1 = ""; print; f = 1} END {exit !f}' \
		"${MT_EXPECT_FILE:-$MT_VERDICT_DIR/kernels.expect}"
}

# the suites scripts/guest/run.sh runs when none are named
mt_all_suites() {
	sed -n 's/^suites="\(.*\)"$/\1/p' "$MT_VERDICT_DIR/guest/run.sh"
}

guest_results() {
	local kname=$1 log=$2 suite="" line name reason feat expect want s why
	shift 2
	local -a suites=("$@")
	[ ${#suites[@]} -gt 0 ] || read -ra suites <<< "$(mt_all_suites)"
	expect=$(mt_expected "$kname") || {
		fail "$kname/features: $kname is not in scripts/kernels.expect"
		expect=""
	}
	while IFS= read -r line; do
		case $line in
		"MT-SUITE "*) suite=${line#MT-SUITE } ;;
		"ok "*"# SKIP"*)
			name=${line#ok }; name=${name#* }
			reason=${name#*# SKIP}
			reason=${reason# }
			name=${name%% # SKIP*}
			feat=$(mt_skip_feature "$reason")
			if [ -n "$feat" ] && [[ " $expect " == *" -$feat "* ]]; then
				skip "$kname/$suite/$name" "$reason"
			elif [ -n "$feat" ]; then
				fail "$kname/$suite/$name: skipped for want of $feat, which $kname must have ($reason)"
			else
				fail "$kname/$suite/$name: skipped for no known missing feature ($reason)"
			fi ;;
		"ok "*)
			name=${line#ok }; name=${name#* }
			pass "$kname/$suite/$name" ;;
		"not ok "*)
			name=${line#not ok }; name=${name#* }
			fail "$kname/$suite/$name"
			# kselftest: the RUN block before; shell suites: comments after
			awk -v t="${name%% *}" -v l="$line" '
				$0 ~ "RUN +" t " " {p = 1}
				p {print "#   " $0}
				/^(not )?ok / {p = 0}
				$0 == l {a = 1; next}
				a && /^# / {print "#   " $0; next}
				{a = 0}' "$log" | head -n 40 ;;
		esac
	done < <(sed -n '/^MT-BEGIN/,/^MT-DMESG-BEGIN/p' "$log")

	# each suite: ran to its end, as many results as planned, rc 0 iff no failure
	for s in "${suites[@]}"; do
		if why=$(awk -v s="$s" '
			$0 == "MT-SUITE " s {in_s = 1; began = 1; next}
			in_s && $0 ~ "^MT-SUITE-END " s " rc=" {
				rc = substr($0, length("MT-SUITE-END " s " rc=") + 1); ended = 1; in_s = 0; next }
			in_s && /^1\.\.[0-9]+/ {plan = substr($0, 4) + 0; planned = 1}
			in_s && /^ok / {n++}
			in_s && /^not ok / {n++; nf++}
			END {
				if (!began) {print "did not run"; exit 1}
				if (!ended) {print "did not finish (" n + 0 " results)"; exit 1}
				if (!planned) {print "printed no plan (1..N)"; exit 1}
				if (n != plan) {print "planned " plan " results, printed " n + 0; exit 1}
				if ((rc != 0) != (nf > 0)) {print "exit code " rc " with " nf + 0 " failed"; exit 1}
			}' "$log"); then
			pass "$kname/$s: ran to its end, every planned result, exit code agrees"
		else
			fail "$kname/$s: $why"
		fi
	done

	# the features the guest found against what kernels.expect says
	line=$(sed -n 's/^MT-FEATURES //p' "$log" | head -n1)
	if [ -z "$line" ]; then
		fail "$kname/features: the guest printed no MT-FEATURES line"
		return
	fi
	want=""
	for feat in $expect; do
		case " $line " in
		*" ${feat#[+-]}=1 "*) [ "${feat:0:1}" = + ] || want="$want ${feat#-} is there but $kname must not have it;" ;;
		*" ${feat#[+-]}=0 "*) [ "${feat:0:1}" = - ] || want="$want ${feat#+} is missing;" ;;
		*) want="$want the guest did not report ${feat#[+-]};" ;;
		esac
	done
	if [ -z "$want" ]; then
		pass "$kname/features: $line, as scripts/kernels.expect says"
	else
		fail "$kname/features:$want (found: $line)"
	fi
}
