#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages memtally builds and tests with (only the ones
# missing).  Kernels come from scripts/kernels.sh, never through apt
# install; promtool comes from scripts/promtool.sh (unpacked into the cache:
# installing Debian's prometheus would start a Prometheus server).
# Nothing installed here starts a service.
# scripts/check-host-deps.sh proves that every command the scripts and
# Makefiles call comes from one of these packages (or the base system).
set -euo pipefail

pkgs=(
	gcc make libc6-dev pkg-config cpio gzip xz-utils
	libnl-3-dev libnl-genl-3-dev libjson-c-dev libcairo2-dev libncurses-dev libgsl-dev
	qemu-system-x86 busybox-static
	dkms kmod sparse pahole libelf-dev
	# building the debug kernel from Debian's linux-source
	flex bison bc libssl-dev perl
	python3 python3-yaml python3-jsonschema
	systemd	# systemd-analyze verify of the packages' units
	man-db groff-base python3-docutils
	libpng-tools file libxml2-utils	# pngfix, file, xmllint: images checked
	clang libclang-rt-dev
	git
	# the Debian packages (debian/control's Build-Depends)
	dpkg-dev debhelper dh-dkms bash-completion
	# the bpftrace benchmark's guest root file system; scripts/test-fresh.sh
	debootstrap squashfs-tools
)
# setup-host.sh --list: the packages, one a line (scripts/check-host-deps.sh)
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "setup-host: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "setup-host: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# wait for a lock held by unattended-upgrades or another apt instead of failing
lock=(-o DPkg::Lock::Timeout=600)
apt-get "${lock[@]}" update -qq >&2
# --no-install-recommends: dkms would otherwise pull in a host kernel
apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2
