#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_mmfs_import.sh - `mmsim boot --import HOST:PATH` and
# `mmsim run --import HOST:PATH`: a missing host file or a bad PATH is one
# line on stderr naming the option and the problem, with a non-zero exit;
# a good one copies the file into the machine's file system after boot
# (fs/mmfs/import.c; tests/test_mmfs_vfs.c checks the bytes): `ls` shows
# it, and on a disk=FILE image it is still there at the next boot.
#
#   sh tests/test_mmfs_import.sh <mmsim-binary> <source-dir>

MMSIM=${1:?usage: test_mmfs_import.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$PWD/$MMSIM ;; esac

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

passed=0
failed=0

# check STATUS MESSAGE CMD...: exit status and the exact one-line stderr
# (nothing when MESSAGE is empty).
check() {
	want_status=$1
	want_err=$2
	shift 2
	"$@" >out 2>err </dev/null
	status=$?
	got_err=$(cat err)
	if [ "$status" -ne "$want_status" ] || [ "$got_err" != "$want_err" ]; then
		failed=$((failed + 1))
		echo "FAIL: $*"
		echo "      status $status, want $want_status"
		echo "      stderr: $got_err"
		echo "      want:   $want_err"
	else
		passed=$((passed + 1))
	fi
}

printf 'hello from the host\n' >hello.txt
printf 'boot ram=64M\n' >x.scn

check 1 "mmsim: boot: --import 'nope.txt:/a': cannot open nope.txt: No such file or directory" \
	"$MMSIM" boot ram=64M --import nope.txt:/a
check 2 "mmsim: boot: --import 'hello.txt:a': not HOST:PATH with an absolute PATH" \
	"$MMSIM" boot ram=64M --import hello.txt:a
check 2 "mmsim: boot: --import '/a': not HOST:PATH with an absolute PATH" \
	"$MMSIM" boot ram=64M --import /a
check 2 "mmsim: boot: --import needs HOST:PATH" "$MMSIM" boot ram=64M --import
check 1 "mmsim: run: --import 'nope.txt:/a': cannot open nope.txt: No such file or directory" \
	"$MMSIM" run --import nope.txt:/a x.scn
check 2 "mmsim: run: --import 'hello.txt:rel/a': not HOST:PATH with an absolute PATH" \
	"$MMSIM" run --import hello.txt:rel/a x.scn
check 1 "mmsim: boot: --import 'hello.txt:/a/../b': /a/../b: Invalid argument" \
	"$MMSIM" boot ram=64M --import hello.txt:/a/../b

# The good path: the file is there, with its size, parents made.
check 0 "" "$MMSIM" boot ram=64M --import hello.txt:/dir/sub/hello.txt --cat /proc/meminfo
printf 'boot ram=64M\nls /dir/sub\n' >ls.scn
check 0 "" "$MMSIM" run --import hello.txt:/dir/sub/hello.txt ls.scn
if ! grep -q -- "-rw-r--r-- 1 root root 20 .* hello.txt" out; then
	failed=$((failed + 1))
	echo "FAIL: run --import: no hello.txt of 20 bytes in ls"
	cat out
fi
# On a disk image, the copy is still there at the next boot.
check 0 "" "$MMSIM" boot ram=64M "disk=$TMP/disk.img:8M" --import hello.txt:/kept.txt \
	--cat /proc/meminfo
printf 'boot ram=64M disk=%s:8M\nls /\n' "$TMP/disk.img" >again.scn
check 0 "" "$MMSIM" run again.scn
if ! grep -q -- " 20 .* kept.txt" out; then
	failed=$((failed + 1))
	echo "FAIL: the imported file is not on the image at the next boot"
	cat out
fi

echo "mmfs_import: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
