#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-fresh.sh [DIR]: the README's test command on a pristine Debian
# bookworm, as a new user's machine would run it.  Debootstraps a minimal
# bookworm (--variant=minbase, from the archive this machine already uses)
# into DIR (default: $MT_BUILD/fresh, removed first), copies a clean
# `git archive HEAD` of the project into it, and there, as root in the
# chroot:
#   - scripts/setup-host.sh installs everything (the check that nothing
#     else is needed: every later step runs with only that);
#   - scripts/check-host-deps.sh: every command the scripts call is there;
#   - the tool (static and dynamic) and its unit tests, the selftests, the
#     module for Debian 6.1 and 6.12 (W=1), and the debug kernel's
#     configuration step (scripts/debug-kernel.sh with
#     MT_DEBUG_KERNEL_CONFIG_ONLY=1: allnoconfig, the fragment, olddefconfig,
#     each option checked; flex, bison and the rest of the kernel's build
#     tools must be there);
#   - one guest boot: Debian 6.1 under QEMU with the module and one suite
#     (scripts/try.sh 6.1 memtally_test), which must pass.
# Takes ~15 min (downloads included).  Needs root and debootstrap.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
MT_BUILD=${MEMTALLY_BUILD:-$top/build}
root=${1:-$MT_BUILD/fresh}
mkdir -p "$MT_BUILD"
[ "$(id -u)" = 0 ] || { echo "test-fresh: needs root" >&2; exit 1; }
command -v debootstrap > /dev/null || scripts/setup-host.sh

uri=$(scripts/archive-uri.sh) || exit 1

cleanup() {
	local m
	for m in dev/pts dev proc sys; do
		mountpoint -q "$root/$m" && umount -l "$root/$m"
	done
	return 0
}
trap cleanup EXIT
cleanup
rm -rf "$root"
mkdir -p "$root"
echo "test-fresh: debootstrap --variant=minbase bookworm $root"
t0=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$uri" > "$MT_BUILD/fresh-debootstrap.log" 2>&1 ||
	{ tail -n 20 "$MT_BUILD/fresh-debootstrap.log"; exit 1; }
echo "test-fresh: debootstrap took $((SECONDS - t0)) s"
mkdir -p "$root/src/memtally"
git archive HEAD | tar -x -C "$root/src/memtally"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

# inside: a login shell's environment, nothing of this one's
in_chroot() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /src/memtally && $1"
}
stage() {
	local name=$1 t0=$SECONDS
	echo "test-fresh: $name"
	if in_chroot "$2" > "$MT_BUILD/fresh-$name.log" 2>&1; then
		echo "test-fresh: $name passed ($((SECONDS - t0)) s)"
	else
		tail -n 40 "$MT_BUILD/fresh-$name.log"
		echo "test-fresh: $name FAILED ($((SECONDS - t0)) s; $MT_BUILD/fresh-$name.log)"
		exit 1
	fi
}
stage setup-host 'scripts/setup-host.sh'
stage host-deps 'scripts/check-host-deps.sh'
stage tool 'make -C userspace all check && make -C userspace clean all STATIC=1'
stage selftests 'make -C selftests all'
stage modules '. scripts/vm.sh && while read -r k abi vmlinuz kdir; do
	mt_build_module build/$k "$kdir" W=1 || exit 1; done < <(scripts/kernels.sh)'
stage debug-kernel-config 'MT_DEBUG_KERNEL_CONFIG_ONLY=1 scripts/debug-kernel.sh'
stage guest 'out=$(scripts/try.sh 6.1 memtally_test) || exit 1; echo "$out";
	echo "$out" | grep -q "^MT-SUITE-END memtally_test rc=0" &&
	! echo "$out" | grep -q "^not ok" &&
	[ -z "$(echo "$out" | sed -n "/^--- dmesg problems:/,/^--- log/p" | sed "1d;\$d")" ]'
echo "test-fresh: passed in $((SECONDS - t0)) s"
