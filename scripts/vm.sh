#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VM harness, sourced by test-all.sh and demo.sh.
#   mt_build_module <build dir> <kernel build dir>   -> <build dir>/memtally.ko
#   mt_initramfs <out.cpio.gz> <memtally.ko> <abi>    pack the guest
#   mt_boot <vmlinuz> <initramfs> <mode> <log>        boot under QEMU (TCG)
#   mt_rootfs_args <image>                            QEMU arguments for a disk
MT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MT_CACHE=${MEMTALLY_CACHE:-$HOME/.cache/memtally}
MT_BUILD=${MEMTALLY_BUILD:-$MT_TOP/build}

# mt_prepare <6.1|6.12|trixie|trixie-bpo|debug>: install what the host needs, fetch the kernels and
# the kselftest harness (exports KSFT_DIR), and set kname, abi, vmlinuz and
# kdir for the kernel asked for.  Returns 2 if there is no such kernel.
mt_prepare() {
	local kernels line
	"$MT_TOP/scripts/setup-host.sh" || return 1
	if [ "$1" = debug ]; then
		kernels=$("$MT_TOP/scripts/debug-kernel.sh") || return 1
	else
		kernels=$("$MT_TOP/scripts/kernels.sh") || return 1
	fi
	KSFT_DIR=$("$MT_TOP/scripts/linux-source.sh")/tools/testing/selftests || return 1
	export KSFT_DIR
	line=$(awk -v k="$1" '$1 == k' <<< "$kernels")
	if [ -z "$line" ]; then
		echo "no kernel '$1' (have: $(awk '{printf "%s ", $1}' <<< "$kernels"))" >&2
		return 2
	fi
	read -r kname abi vmlinuz kdir <<< "$line"
}

# Copy the module sources to a per-kernel directory (kbuild builds in place)
mt_module_tree() {
	local dir
	dir=$(realpath -m "$1")
	mkdir -p "$dir"
	cp -a "$MT_TOP/Kbuild" "$MT_TOP/Makefile" "$MT_TOP/dkms.conf" "$dir/"
	rm -rf "$dir/kmod" "$dir/include"
	cp -a "$MT_TOP/kmod" "$MT_TOP/include" "$dir/"
}

# mt_kernel_chroot <kernel build dir>: the Debian suite in whose chroot
# modules for this kernel are built (scripts/kernels.sh marks the kernels of
# other suites than this host's), or nothing
mt_kernel_chroot() {
	cat "${1%/usr/src/*}/.chroot" 2>/dev/null || true
}

# mt_kernel_run <kernel build dir> <command...>: run a build command for
# this kernel, in its chroot (scripts/chroot.sh) if it has one
mt_kernel_run() {
	local suite
	suite=$(mt_kernel_chroot "$1")
	shift
	if [ -n "$suite" ]; then
		"$MT_TOP/scripts/chroot.sh" "$suite" "$@"
	else
		"$@"
	fi
}

mt_build_module() {
	local dir kdir=$2
	dir=$(realpath -m "$1")
	shift 2
	mt_module_tree "$dir"
	mt_kernel_run "$kdir" make -s -C "$kdir" M="$dir" "$@" modules
}

# mt_modfile <dir> <name>: the file of module <name> under <dir> (- and _ alike)
mt_modfile() {
	find "$1" -regex ".*/${2//[-_]/[-_]}\.ko\(\.xz\)?" -print -quit
}

# mt_moddeps <modules dir> <name>...: the files of the modules and of what
# they depend on (modinfo), dependencies first; may repeat a file
mt_moddeps() {
	local mdir=$1 m f
	shift
	for m; do
		f=$(mt_modfile "$mdir/kernel" "$m")
		[ -n "$f" ] || { echo "vm: no module $m in $mdir" >&2; return 1; }
		mt_moddeps "$mdir" $(modinfo -F depends "$f" | tr , ' ') || return 1
		echo "$f"
	done
}

# mt_zram_modules <abi>: zram and what it needs, in load order
mt_zram_modules() {
	local kroot=$MT_CACHE/kernels/$1 mdir mods=zram comp
	mdir=$kroot/lib/modules/$1
	# not a Debian package (the debug kernel has zram built in)
	[ -e "$kroot/boot/config-$1" ] || return 0
	grep -q '^CONFIG_ZRAM=m' "$kroot/boot/config-$1" || return 0
	# before the 6.12 backends, zram gets its compressor from the crypto API
	if ! grep -q '^CONFIG_ZRAM_BACKEND_' "$kroot/boot/config-$1"; then
		comp=$(sed -n 's/^CONFIG_ZRAM_DEF_COMP="\(.*\)"$/\1/p' "$kroot/boot/config-$1")
		[ -n "$(mt_modfile "$mdir/kernel/crypto" "$comp")" ] && mods="$mods $comp"
	fi
	mt_moddeps "$mdir" $mods | awk '!seen[$0]++'
}

# mt_rootfs_modules <abi>: what mounting a squashfs image from a virtio disk
# needs (scripts/guest/rootfs.sh), in load order; nothing that is built in
mt_rootfs_modules() {
	local kroot=$MT_CACHE/kernels/$1 mdir mods="" c m
	mdir=$kroot/lib/modules/$1
	[ -e "$kroot/boot/config-$1" ] || return 0
	for c in VIRTIO_PCI:virtio_pci VIRTIO_BLK:virtio_blk SQUASHFS:squashfs; do
		m=${c#*:}
		grep -q "^CONFIG_${c%%:*}=m" "$kroot/boot/config-$1" && mods="$mods $m"
	done
	[ -n "$mods" ] || return 0
	mt_moddeps "$mdir" $mods | awk '!seen[$0]++'
}

# mt_pack_modules <dir> <file>...: the modules, uncompressed, into <dir>,
# and their names in load order into <dir>/order
mt_pack_modules() {
	local dir=$1 f m
	shift
	mkdir -p "$dir"
	for f; do
		m=$(basename "${f%.xz}")
		case $f in
		*.xz) xz -dc "$f" > "$dir/$m" ;;
		*) cp "$f" "$dir/$m" ;;
		esac
		echo "$m" >> "$dir/order"
	done
}

# mt_initramfs <out> <ko> <abi>: busybox, the module, the static tool,
# selftests, zram's modules for scripts/guest/zram-swap.sh in
# /lib/modules-extra and the root filesystem image's for
# scripts/guest/rootfs.sh in /lib/modules-rootfs (each loaded in the order
# of its file "order"), and in /ynl the kernel's ynl cli.py and its library
# (from linux-source, scripts/linux-source.sh) with memtally's spec, for
# scripts/guest/ynl.sh
mt_initramfs() {
	local out=$1 ko=$2 abi=$3 root files ynl
	root=$(mktemp -d)
	chmod 755 "$root"
	mkdir -p "$root"/{bin,sbin,etc,tests,proc,sys,dev,tmp,run}
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
	cp /bin/busybox "$root/bin/busybox"
	cp "$MT_TOP/scripts/guest/init" "$root/init"
	cp "$MT_TOP"/scripts/guest/*.sh "$root/tests/"
	cp "$ko" "$root/memtally.ko"
	files=$(mt_zram_modules "$abi")
	mt_pack_modules "$root/lib/modules-extra" $files
	files=$(mt_rootfs_modules "$abi")
	mt_pack_modules "$root/lib/modules-rootfs" $files
	cp "$MT_TOP/selftests/memtally_test" "$MT_TOP/selftests/reclaim_test" \
	   "$MT_TOP/selftests/migrate_test" \
	   "$MT_TOP/selftests/ksm_test" "$MT_TOP/selftests/damon_test" \
	   "$MT_TOP/selftests/nl_fuzz" "$MT_TOP/selftests/stress_test" \
	   "$MT_TOP/selftests/mt_touch" "$MT_TOP/selftests/mt_merge" \
	   "$MT_TOP/selftests/mt_share" "$MT_TOP/selftests/mt_majflt" \
	   "$root/tests/"
	for f in fault_storm cg_read; do
		if [ -x "$MT_TOP/bench/$f" ]; then
			cp "$MT_TOP/bench/$f" "$root/tests/"
		fi
	done
	if [ -x "$MT_TOP/userspace/memtally" ]; then
		cp "$MT_TOP/userspace/memtally" "$root/bin/memtally"
	fi
	ynl=$("$MT_TOP/scripts/linux-source.sh")/tools/net/ynl
	mkdir -p "$root/ynl/lib"
	cp "$ynl/cli.py" "$root/ynl/"
	cp "$ynl"/lib/*.py "$root/ynl/lib/"
	cp "$MT_TOP/Documentation/netlink/specs/memtally.yaml" \
	   "$MT_TOP/scripts/guest/ynl_check.py" "$root/ynl/"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
	rm -rf "$root"
}

# mt_rootfs_args <image>: the QEMU arguments that attach a root filesystem
# image read-only as the guest's first virtio disk (/dev/vda)
mt_rootfs_args() {
	echo "-drive file=$1,format=raw,if=virtio,readonly=on"
}

# mt_boot <vmlinuz> <initramfs> <mode> <log> [timeout]; $MT_APPEND is
# added to the kernel command line, $MT_QEMU_ARGS (split on blanks) to
# QEMU's
mt_boot() {
	local kernel=$1 initrd=$2 mode=$3 log=$4 tmo=${5:-900}
	timeout --foreground "$tmo" qemu-system-x86_64 \
		-machine q35 -cpu max -accel tcg,thread=${MT_TCG_THREAD:-single} -smp 2 -m 1024 \
		-nographic -no-reboot -monitor none -serial stdio \
		-kernel "$kernel" -initrd "$initrd" ${MT_QEMU_ARGS:-} \
		-append "console=ttyS0 loglevel=3 panic=-1 mitigations=off mt.mode=$mode ${MT_APPEND:-}" \
		< /dev/null 2>&1 | tr -d '\r' > "$log"
	return "${PIPESTATUS[0]}"
}

# mt_dmesg_problems <log> [before]: lines of the guest's dmesg that mean
# the kernel is unwell, from the first memtally message on (or, with
# "before", earlier ones: the kernel's own, before the module loaded).
mt_dmesg_problems() {
	sed -n '/^MT-DMESG-BEGIN$/,/^MT-DMESG-END$/p' "$1" |
		awk -v before="${2:-}" '/ memtally: / {m = 1} (before == "") == m' |
		grep -E 'BUG:|WARNING:|Oops|Kernel panic|general protection|KASAN:|UBSAN:|suspected memory leak|unreferenced object|possible (circular|recursive) locking|inconsistent lock state|INFO: task .* blocked|RCU stall|stack-protector|refcount_t:|list_(add|del) corruption' || true
}
