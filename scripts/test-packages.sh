#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Debian packages (dpkg-buildpackage -us -uc -b from a copy of the
# tree in $MT_BUILD/pkg) and install, check, remove and purge them on this
# host, as root:
#   - installing memtally-dkms builds memtally.ko with dkms for each kernel
#     (dkms status: installed), memtally installs the tool, its man page,
#     bash completion and the enabled memtally-export.timer;
#   - removing them removes the module and /usr/src/memtally-*;
#   - purging leaves no file behind: a list of the host's files taken
#     before installing equals the one taken after purging.
#
# The host runs a kernel without headers, so dkms would find no kernel to
# build for.  The test makes the kernels scripts/kernels.sh caches (6.1,
# 6.12) visible the way installed linux-headers packages do: a
# /lib/modules/<abi>/build symlink to their headers, created only for the
# test (only where /lib/modules/<abi> did not exist) and removed after,
# with everything depmod wrote there.  The package's postinst then builds
# for each, as for every installed kernel with headers.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=scripts/vm.sh
. scripts/vm.sh

[ "$(id -u)" = 0 ] || { echo "test-packages: needs root" >&2; exit 1; }

log() { echo "test-packages: $*"; }
die() { echo "test-packages: FAIL: $*" >&2; exit 1; }

dir=$MT_BUILD/pkg
version=$(sed -n 's/^#define MEMTALLY_VERSION[[:space:]]*"\(.*\)"/\1/p' kmod/memtally.h)
[ -n "$version" ] || die "no MEMTALLY_VERSION in kmod/memtally.h"

# ---- the Build-Depends cover every library of the tool -----------------
pkgs=$(sed -n 's/^PKGS[[:space:]]*:=[[:space:]]*//p' userspace/Makefile)
bdeps=$(sed -n '/^Build-Depends:/,/^[^ ]/p' debian/control)
for pc in $pkgs pkg-config; do
	if [ "$pc" = pkg-config ]; then
		deb=pkg-config
	else
		file=$(pkg-config --variable=pcfiledir "$pc")/$pc.pc
		deb=$(dpkg -S "$file" | head -n1 | cut -d: -f1)
	fi
	grep -qE "[ ,]$deb( |,|\$)" <<< "$bdeps" ||
		die "userspace/Makefile's PKGS needs $pc ($deb): not in debian/control's Build-Depends"
done
log "Build-Depends cover PKGS: $pkgs"

# ---- build ---------------------------------------------------------------
rm -rf "$dir" && mkdir -p "$dir/src"
git ls-files -co --exclude-standard -z |
	xargs -0 cp --parents -a -t "$dir/src"
(cd "$dir/src" && dpkg-buildpackage -us -uc -b) > "$dir/build.log" 2>&1 ||
	{ tail -n 40 "$dir/build.log"; die "dpkg-buildpackage"; }
debs=("$dir/memtally-dkms_${version}_all.deb" "$dir"/memtally_"${version}"_*.deb)
for d in "${debs[@]}"; do [ -e "$d" ] || die "no $d"; done
log "built ${debs[*]##*/}"

for p in memtally memtally-dkms; do
	! dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed' ||
		die "$p is already installed on this host"
done

# ---- the kernels dkms builds for ---------------------------------------
made_modules='' made_abis=() made_mok='' abis=()
cleanup() {
	local p
	for p in memtally memtally-dkms; do
		dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'not-installed' ||
			dpkg -P "$p" > /dev/null 2>&1 || true
	done
	for p in "${made_abis[@]}"; do
		rm -rf "/lib/modules/$p"
	done
	[ -n "$made_modules" ] && rmdir /lib/modules 2> /dev/null
	[ -n "$made_mok" ] && rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	return 0
}
trap cleanup EXIT
[ -e /lib/modules ] || made_modules=1
chroot_kernels=()
while read -r _ abi _ kdir; do
	[ -d "$kdir" ] || die "no headers of $abi from scripts/kernels.sh"
	# another suite's kernel: tested in that suite's chroot, below
	if [ -n "$(mt_kernel_chroot "$kdir")" ]; then
		chroot_kernels+=("$abi $kdir")
		continue
	fi
	abis+=("$abi")
	[ -e "/lib/modules/$abi" ] && continue
	made_abis+=("$abi")
	mkdir -p "/lib/modules/$abi"
	ln -s "$kdir" "/lib/modules/$abi/build"
	# what the kernel's image package has (no modules), and depmod's
	# files, so that they exist before as after
	cp -a "${kdir%/usr/src/*}/lib/modules/$abi"/modules.{order,builtin,builtin.modinfo} \
		"/lib/modules/$abi/"
	depmod "$abi"
done < <(scripts/kernels.sh)
[ ${#abis[@]} -gt 0 ] || die "no kernels from scripts/kernels.sh"
for abi in "${abis[@]}"; do
	[ -e "/lib/modules/$abi/build/Makefile" ] || die "/lib/modules/$abi/build: no headers"
done
# dkms 3.0.10 signs what it builds, with a key it makes on its first build
# (/var/lib/dkms/mok.key, mok.pub) and keeps for every module after: the
# key is dkms', not the package's.  If the test makes it, it removes it.
[ -e /var/lib/dkms/mok.key ] || made_mok=1


# every file but the volatile ones: logs, caches, apt's and dpkg's state
# (dpkg's info/ of the packages is kept: purging must remove it too)
snapshot() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \
		-o -path /tmp -o -path /var/tmp -o -path /work -o -path /root \
		-o -path /home -o -path /var/log -o -path /var/cache \
		-o -path /var/lib/apt -o -path /var/backups \
		-o -path '/var/lib/dpkg/*-old' -o -path /var/lib/dpkg/status \
		-o -path /var/lib/dpkg/available -o -path /var/lib/dpkg/lock\* \
		-o -path /var/lib/dpkg/triggers -o -path /var/lib/dpkg/updates \
		-o -path "$MT_BUILD" \) -prune -o -print | sort |
		if [ -n "$made_mok" ]; then
			grep -vxE '/var/lib/dkms/mok\.(key|pub)'
		else
			cat
		fi
}
snapshot > "$dir/files-before"

# ---- install -------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
# apt must install these two and nothing else (setup-host.sh installed
# dkms and the libraries), or purging them could not leave the host as it was
plan=$(apt-get install -s --no-install-recommends "${debs[@]}" | sed -n 's/^Inst \([^ ]*\) .*/\1/p' | sort | xargs)
[ "$plan" = "memtally memtally-dkms" ] || die "apt would install: $plan"
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${debs[@]}" > "$dir/install.log" 2>&1 ||
	{ cat "$dir/install.log"; die "apt-get install"; }
sed 's/^/  | /' "$dir/install.log" | grep -E 'Building|Done|Loading|memtally' || true

for abi in "${abis[@]}"; do
	st=$(dkms status -m memtally -v "$version" -k "$abi")
	log "dkms status: $st"
	grep -q ": installed" <<< "$st" || die "dkms did not install memtally for $abi"
	ko=$(mt_modfile "/lib/modules/$abi/updates" memtally)
	[ -n "$ko" ] || die "no memtally.ko in /lib/modules/$abi/updates"
	vm=$(modinfo -F vermagic "$ko")
	[ "${vm%% *}" = "$abi" ] || die "$ko: vermagic $vm, not $abi"
	[ "$(modinfo -F version "$ko")" = "$version" ] || die "$ko: not version $version"
	grep -q "memtally.ko" "/lib/modules/$abi/modules.dep" || die "depmod does not know $ko"
	log "$ko: $vm"
done

[ "$(memtally --version)" = "memtally $version" ] ||
	[[ $(memtally --version) == *"$version"* ]] || die "memtally --version: $(memtally --version)"
man -w memtally > /dev/null || die "no man page"
[ -d "/usr/src/memtally-$version" ] || die "no /usr/src/memtally-$version"

# bash completion: its commands are those of memtally --help's table
comp=/usr/share/bash-completion/completions/memtally
got=$(bash -c ". $comp; COMP_WORDS=(memtally ''); COMP_CWORD=1; _memtally; echo \${COMPREPLY[*]}" | tr ' ' '\n' | sort | xargs)
want=$(memtally --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p' | sort | xargs)
[ -n "$want" ] || die "no commands in memtally --help"
[ "$got" = "$want" ] || die "completion offers '$got', memtally --help has '$want'"
got=$(bash -c ". $comp; COMP_WORDS=(memtally export --pro); COMP_CWORD=2; _memtally; echo \${COMPREPLY[*]}")
[ "$got" = --prometheus ] || die "completion of export --pro: '$got'"
log "bash completion: $want"

for u in memtally-export.service memtally-export.timer; do
	[ -e "/lib/systemd/system/$u" ] || die "no $u"
done
systemd-analyze verify /lib/systemd/system/memtally-export.timer > "$dir/verify.log" 2>&1 ||
	{ cat "$dir/verify.log"; die "systemd-analyze verify"; }
[ -L /etc/systemd/system/timers.target.wants/memtally-export.timer ] ||
	die "memtally-export.timer is not enabled"
log "memtally-export.timer installed and enabled"

# the timer's service where the module is not loaded (this host cannot load
# it): exit code 1, one plain line, and memtally_up 0 in the file
if [ -d /sys/module/memtally ]; then
	log "export without the module: not tried (memtally is loaded here)"
else
	cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/memtally-export.service)
	cmd=${cmd/\/var\/lib\/prometheus\/node-exporter\/memtally.prom/$dir/m.prom}
	[[ $cmd == *"$dir/m.prom" ]] || die "memtally-export.service runs: $cmd"
	rc=0
	out=$($cmd 2>&1) || rc=$?
	[ "$rc" = 1 ] || die "export without the module: exit code $rc"
	[ "$out" = "memtally: the memtally module is not loaded (load it with: modprobe memtally, or insmod memtally.ko)" ] ||
		die "export without the module says: $out"
	grep -qx 'memtally_up 0' "$dir/m.prom" || die "export without the module wrote: $(cat "$dir/m.prom")"
	log "export without the module: $out"
fi

# contrib/ as shipped; the module is loaded at boot only where the admin
# links the modules-load.d file
for f in /usr/share/memtally/grafana/memtally.json \
	/usr/share/memtally/prometheus/memtally.rules.yml \
	/usr/share/memtally-dkms/modules-load.d/memtally.conf; do
	[ -s "$f" ] || die "no $f"
done
cmp /usr/share/memtally/grafana/memtally.json contrib/grafana/memtally.json ||
	die "the packaged dashboard is not contrib's"
[ "$(grep -v '^#' /usr/share/memtally-dkms/modules-load.d/memtally.conf)" = memtally ] ||
	die "modules-load.d/memtally.conf loads: $(grep -v '^#' /usr/share/memtally-dkms/modules-load.d/memtally.conf)"
[ -z "$(grep -rlx memtally /etc/modules-load.d /usr/lib/modules-load.d /lib/modules-load.d 2> /dev/null)" ] ||
	die "memtally is loaded at boot without being asked"
log "dashboard, alert rules and the opt-in modules-load.d file installed"

# ---- remove, purge ---------------------------------------------------------
apt-get -o DPkg::Lock::Timeout=600 remove -y memtally-dkms memtally > "$dir/remove.log" 2>&1 ||
	{ cat "$dir/remove.log"; die "apt-get remove"; }
[ -z "$(dkms status -m memtally)" ] || die "after remove, dkms status: $(dkms status -m memtally)"
[ -z "$(find /lib/modules/ -name 'memtally.ko*')" ] || die "after remove: $(find /lib/modules/ -name 'memtally.ko*')"
for abi in "${abis[@]}"; do
	! grep -q memtally "/lib/modules/$abi/modules.dep" || die "after remove, $abi's modules.dep has memtally"
done
[ -z "$(compgen -G '/usr/src/memtally-*')" ] || die "after remove: $(compgen -G '/usr/src/memtally-*')"
[ ! -e /var/lib/dkms/memtally ] || die "after remove: /var/lib/dkms/memtally"
log "removed: no module, no /usr/src/memtally-*, no dkms tree"

apt-get -o DPkg::Lock::Timeout=600 purge -y memtally-dkms memtally > "$dir/purge.log" 2>&1 ||
	{ cat "$dir/purge.log"; die "apt-get purge"; }
snapshot > "$dir/files-after"
if ! diff -u "$dir/files-before" "$dir/files-after" > "$dir/files.diff"; then
	cat "$dir/files.diff"
	die "purging left the host's files changed"
fi
log "purged: the host's $(wc -l < "$dir/files-before") files as before"
[ -z "$made_mok" ] || log "(dkms' signing key /var/lib/dkms/mok.* made by the build: removed)"

# ---- another suite's kernels: memtally-dkms in that suite's chroot --------
# (Debian 13's: their kbuild tools and gcc-14 run there; scripts/chroot.sh)
# as on such a host: their headers where linux-headers puts them, apt
# installs memtally-dkms and dkms builds for each kernel, then purging
# leaves the chroot with the files it had.
for k in "${chroot_kernels[@]}"; do
	read -r abi kdir <<< "$k"
	suite=$(mt_kernel_chroot "$kdir")
	echo "$suite $abi $kdir"
done | sort | awk '{a[$1] = a[$1] " " $2 ":" $3} END {for (s in a) print s a[s]}' |
while read -r suite kernels; do
	log "memtally-dkms in the $suite chroot, for: $(sed 's/:[^ ]*//g' <<< "$kernels")"
	scripts/chroot.sh "$suite" /bin/bash -c '
		set -eu
		deb=$1 version=$2
		shift 2
		die() { echo "test-packages: FAIL ($(. /etc/os-release; echo $VERSION_CODENAME)): $*" >&2; exit 1; }
		made=()
		undo() {
			for abi in "${made[@]}"; do rm -rf "/lib/modules/$abi"; done
			dpkg -P memtally-dkms > /dev/null 2>&1 || true
		}
		trap undo EXIT
		# (the test'\''s own /lib/modules/<abi> are left out: removed after)
		snap() {
			local p=() abi
			for abi in "${made[@]}"; do p+=(-o -path "/usr/lib/modules/$abi"); done
			find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp \
			-o -path /var/log -o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg \
			-o -path /root -o -path "$(dirname "$deb")" "${p[@]}" \) -prune -o -print | sort
		}
		for k; do
			abi=${k%%:*} kdir=${k#*:}
			[ -e /lib/modules/$abi ] && continue
			made+=("$abi")
			mkdir -p /lib/modules/$abi
			ln -s "$kdir" /lib/modules/$abi/build
			cp -a "${kdir%/usr/src/*}/lib/modules/$abi"/modules.{order,builtin,builtin.modinfo} /lib/modules/$abi/
			depmod "$abi"
		done
		snap > /tmp/files-before
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y --no-install-recommends "$deb" > /tmp/install.log 2>&1 ||
			{ cat /tmp/install.log; die "apt-get install $deb"; }
		for k; do
			abi=${k%%:*}
			st=$(dkms status -m memtally -v "$version" -k "$abi")
			echo "test-packages: dkms status: $st"
			grep -q ": installed" <<< "$st" || { cat /tmp/install.log; die "dkms did not install memtally for $abi"; }
			ko=$(find /lib/modules/$abi/updates -name "memtally.ko*" | head -n1)
			[ -n "$ko" ] || die "no memtally.ko in /lib/modules/$abi/updates"
			vm=$(modinfo -F vermagic "$ko")
			[ "${vm%% *}" = "$abi" ] || die "$ko: vermagic $vm, not $abi"
			echo "test-packages: $ko: $vm"
		done
		apt-get purge -y memtally-dkms > /tmp/purge.log 2>&1 || { cat /tmp/purge.log; die "apt-get purge"; }
		[ -z "$(find /lib/modules/ -name "memtally.ko*")" ] || die "after purge: a memtally.ko is left"
		[ -z "$(compgen -G "/usr/src/memtally-*")" ] || die "after purge: /usr/src/memtally-*"
		snap > /tmp/files-after
		diff -u /tmp/files-before /tmp/files-after || die "purging left the chroot changed"
		rm -f /tmp/files-before /tmp/files-after /tmp/install.log /tmp/purge.log
		echo "test-packages: purged: the chroot as before"
	' test-packages "$dir/memtally-dkms_${version}_all.deb" "$version" ${kernels} || exit 1
done
