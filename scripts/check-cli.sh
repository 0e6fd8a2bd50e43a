#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-cli.sh [TOOL]: the tool's help, its bash completion and its man page
# agree, as bpftool's test keeps its help, man page and completion in sync:
#   - the completion offers exactly the commands of `memtally --help`;
#   - for each command, the options its --help lists (under "Options:")
#     are those the completion offers after it (over all its subcommands),
#     and each is in the man page;
#   - cgroups --sort completes to path, id and the spec's counters
#     (scripts/check-counters.py --list).
# The completion is the real one: its function runs on made-up command
# lines (MT_COMPLETION names another file to check, for the suite's check
# that a difference is caught).  Prints each disagreement; exits 1 if there
# is one.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
tool=${1:-userspace/memtally}
man=userspace/memtally.8
bad=0
# shellcheck source=../userspace/memtally.bash-completion
. "${MT_COMPLETION:-userspace/memtally.bash-completion}"

# cw WORD...: what the completion offers for the last word, sorted
cw() {
	COMP_WORDS=(memtally "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_memtally
	printf '%s\n' "${COMPREPLY[@]}" | sort -u
}
# the long options a --help lists under "Options:" (or "Options of SUB:")
help_opts() {
	"$tool" "$@" --help 2>&1 | sed -n '/^Options/,$p' |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' | sort -u
}
differ() {	# differ WHAT A B: say what is only in A, only in B
	local a b
	a=$(comm -23 <(echo "$2") <(echo "$3") | tr '\n' ' ')
	b=$(comm -13 <(echo "$2") <(echo "$3") | tr '\n' ' ')
	if [ -n "$a$b" ]; then
		echo "$1: only in --help: ${a:-none}; only in the completion: ${b:-none}"
		bad=1
	fi
}

cmds=$("$tool" --help | awk '/^Commands:/ {f = 1; next} /^$/ {f = 0} f {print $1}' | sort)
[ -n "$cmds" ] || { echo "no commands in $tool --help"; exit 1; }
differ "commands" "$cmds" "$(cw '')"
for c in $cmds; do
	case $c in	# a command's subcommands share its --help
	ksm) comp=$( { cw ksm --; cw ksm trial --; } | sort -u) ;;
	damon) comp=$( { cw damon status --; cw damon start --; cw damon stop --
			 cw damon scheme pageout --; } | sort -u) ;;
	*) comp=$(cw "$c" --) ;;
	esac
	case $c in	# ksm trial has a --help of its own
	ksm) opts=$( { help_opts ksm; help_opts ksm trial; } | sort -u) ;;
	*) opts=$(help_opts "$c") ;;
	esac
	differ "$c" "$opts" "$comp"
	for o in $opts; do
		grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$man" ||
			{ echo "$c: $o is not in $man"; bad=1; }
	done
done
# and the memory.stat keys of --memstat (userspace/memstat.c's table)
differ "cgroups --sort keys (--help: the spec's counters, memstat.c's keys)" \
	"$( { echo path; echo id; /usr/bin/python3 scripts/check-counters.py --list
	      sed -n 's/^\t\[MT_MS_[A-Z_]*\][\t ]*= { "\([a-z_]*\)".*/\1/p' userspace/memstat.c; } | sort)" \
	"$(cw cgroups --sort '')"
[ $bad -eq 0 ] && echo "$(echo "$cmds" | wc -l) commands: help, completion and man page agree"
exit $bad
