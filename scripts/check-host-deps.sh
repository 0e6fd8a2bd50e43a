#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-host-deps.sh: every external command that the host scripts and the
# Makefiles call must come from a package that scripts/setup-host.sh
# installs, from a package those depend on, or from the base system
# (Debian's "required" packages, which debootstrap --variant=minbase
# installs, and apt).  Otherwise a fresh machine lacks it while a
# developer's machine, with it installed by hand, hides that.  Prints each
# command with its package; fails naming any other.
#
# Commands are the words in command position (line start, after | ; && ||
# $( ( { ! and the shell's then/do/else/if/while, and after nice, timeout,
# xargs, exec, and test-all's step NAME and timed NAME) of scripts/*.sh and .ci/run (not scripts/guest/, which run in
# the guest's busybox) and of the recipes of the Makefiles.  A word that is
# not on PATH here is no command (awk code, case labels...); what the
# kernel's own build calls (flex, bison, bc) is proven by
# scripts/test-fresh.sh, which builds in a pristine chroot.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# (setup-host.sh itself: its list of packages would read as commands)
shell_files=($(ls scripts/*.sh | grep -v setup-host.sh) .ci/run)
make_files=(Makefile userspace/Makefile selftests/Makefile bench/Makefile debian/rules)

# functions the scripts define, and the shell's own words
declared=$(grep -ohE '^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)\(\)' "${shell_files[@]}" |
	tr -d ' \t()' | sort -u)
own=$(compgen -b; compgen -k)

# the words in command position of the files (none: of standard input)
words() {
	sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#.*$//' "$@" |
	sed -E 's/(\|\||&&|[|;({!]|\$\(|`)/\n/g' |
	sed -E 's/^[[:space:]]*((then|do|else|elif|if|while|until|exec|time|command|[A-Za-z_][A-Za-z0-9_]*=[^ ]*)[[:space:]]+)*//' |
	sed -E 's/^[[:space:]]*(step|timed) [^ ]+[[:space:]]+//' |
	sed -E 's/^(nice( -n [0-9-]+)?|timeout( --[a-z-]+)*( -[a-z] [^ ]+)* [^ ]+|xargs( -[0-9a-zA-Z]+)*)[[:space:]]+//' |
	awk '{print $1}' | grep -E '^([A-Za-z]|/usr/bin/|/usr/sbin/|/bin/|/sbin/)[A-Za-z0-9._+-]*$' || true
}
recipes() {
	awk '/^\t/ {sub(/^\t[@+-]*/, ""); print}' "$@"
	grep -ohE '\$\(shell [^)]*' "$@" | sed 's/^\$(shell //'
}

cmds=$( { words "${shell_files[@]}"; recipes "${make_files[@]}" | words; } | sort -u)

# the packages setup-host installs, and all they depend on
mapfile -t listed < <(scripts/setup-host.sh --list)
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances "${listed[@]}" 2> /dev/null |
	grep -E '^[a-z0-9]' | sed 's/:.*//' | sort -u)

# pkg_of <path>: the package that owns the file (merged /usr: either name)
pkg_of() {
	local p=$1 r
	r=$(readlink -f "$p")
	for c in "$p" "$r" "${p#/usr}" "${r#/usr}" "/usr$p" "/usr$r"; do
		dpkg -S "$c" 2> /dev/null | head -n1 | cut -d: -f1 && return 0
	done
	return 1
}

bad=0
for c in $cmds; do
	grep -qx -- "$c" <<< "$declared" && continue
	grep -qx -- "$c" <<< "$own" && continue
	path=$(type -P "$c") || continue
	case $path in "$top"/*) continue ;; esac
	if ! pkg=$(pkg_of "$path"); then
		echo "$c: $path belongs to no package"
		bad=1
		continue
	fi
	prio=$(dpkg-query -W -f='${Priority}' "$pkg" 2> /dev/null || true)
	if [ "$prio" = required ] || [ "$pkg" = apt ]; then
		echo "$c: $pkg (base system)"
	elif grep -qx -- "$pkg" <<< "$closure"; then
		echo "$c: $pkg"
	else
		echo "$c: $pkg, which scripts/setup-host.sh does not install (nor anything it installs)"
		bad=1
	fi
done
exit $bad
