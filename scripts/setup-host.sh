#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages memtally builds and tests with (only the ones
# missing).  Kernels come from scripts/kernels.sh, never through apt install.
set -euo pipefail

pkgs=(
	gcc make libc6-dev pkg-config cpio gzip
	libnl-3-dev libnl-genl-3-dev libjson-c-dev libcairo2-dev libncurses-dev
	qemu-system-x86 busybox-static
	dkms kmod sparse pahole libelf-dev
	python3 python3-yaml python3-jsonschema
	man-db groff-base xz-utils python3-docutils
	prometheus	# promtool, the real parser of memtally export's text
	libpng-tools file libxml2-utils	# pngfix, file, xmllint: images checked
	clang libclang-rt-dev
	# the Debian packages (debian/control's Build-Depends)
	dpkg-dev debhelper dh-dkms bash-completion libncurses-dev
	# the bpftrace benchmark's guest root file system
	debootstrap squashfs-tools
)
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
apt-get update -qq >&2
# --no-install-recommends: dkms would otherwise pull in a host kernel
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
