#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_seg_cli.sh - the segmentation scenario commands (tools/cmd_seg.c):
# bad input is one "FILE:LINE: COMMAND: problem" line and exit 1; x86_64's
# 64-bit and compatibility modes and arch_prctl as the commands print them.
#
#   sh tests/test_seg_cli.sh <mmsim-binary> <source-dir>
MMSIM=${1:?usage: test_seg_cli.sh MMSIM SRCDIR}
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fail=0

# scn STATUS STDERR TEXT: run TEXT as x.scn, check the exit status and stderr.
scn() {
	printf '%s\n' "$3" >"$TMP/x.scn"
	(cd "$TMP" && "$MMSIM" run x.scn >out.txt 2>err.txt)
	st=$?
	if [ "$st" -ne "$1" ] || [ "$(cat "$TMP/err.txt")" != "$2" ]; then
		echo "FAIL: want status $1 and stderr '$2', got $st and '$(cat "$TMP/err.txt")' for:"
		cat "$TMP/x.scn"
		fail=1
	fi
}
has() {
	if ! grep -qF -- "$1" "$TMP/out.txt"; then
		echo "FAIL: output lacks '$1':"
		cat "$TMP/out.txt"
		fail=1
	fi
}

scn 1 "x.scn:2: seg: segmentation is x86's (this machine is arm64)" "boot arch=arm64 ram=64M cpus=1
seg"
scn 1 "x.scn:2: seg: 'xs' is not a segment register (es, cs, ss, ds, fs, gs)" "boot ram=64M
seg load xs 0x2b"
scn 1 "x.scn:2: seg: 'ds0x10': expected REG:OFFSET" "boot ram=64M
seg access ds0x10 r"
scn 1 "x.scn:2: seg: selector 0x10000 is over 16 bits" "boot ram=64M
seg load ds 0x10000"
scn 1 "x.scn:2: ldt: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
ldt"
scn 1 "x.scn:3: modify_ldt: contents 'heap': expected data, stack, code or conforming" "boot ram=64M
spawn a
modify_ldt write 1 base=0x1000 limit=0xfff contents=heap"
scn 1 "x.scn:3: modify_ldt: limit 0x100000 is over 20 bits" "boot ram=64M
spawn a
modify_ldt write 1 limit=0x100000"

# x86_64: flat 64-bit mode, arch_prctl's FS base, compatibility mode.
scn 0 "" "boot ram=64M cpus=1
gdt
spawn a
mmap 8k rw anon,private,fixed addr=0x10000000
seg
arch_prctl set_fs 0x10000000
arch_prctl get_fs
seg access fs:0x10 w
seg access ds:0x800000000000 r"
has "   6  sel 0x0033  00affb000000ffff  __USER_CS        code r-x 64-bit dpl 3"
has "[pid 2] CPL 3, 64-bit mode"
has "[pid 2] arch_prctl(ARCH_SET_FS, 0x10000000) = 0"
has "[pid 2] arch_prctl(ARCH_GET_FS, [0x10000000]) = 0"
has "fs base 0x10000000 -> linear 0x10000010 -> physical"
has "ds:0x800000000000 r 1: #GP(0)"
has "[pid 2] +++ killed by SIGSEGV +++"

scn 0 "" "boot ram=64M cpus=1
spawn a
modify_ldt write 0 base=0x10000000 limit=0xff
seg load es 0x7
seg load cs 0x23
seg
seg access es:0x1000 r"
has "[pid 2] ljmp \$0x23, \$0: ok"
has "[pid 2] CPL 3, compatibility mode"
has "[pid 2] es:0x1000 r 1: es 0x0007 base 0x10000000 limit 0xff -> #GP(0)"

# 64-bit mode ignores ES's base: the access goes to linear 0x10
scn 0 "" "boot ram=64M cpus=1
spawn a
modify_ldt write 0 base=0x10000000 limit=0xff
seg load es 0x7
seg access es:0x10 r"
has "[pid 2] es:0x10 r 1: linear 0x10 -> page fault"

exit $fail
