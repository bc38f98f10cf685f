#!/bin/sh
# tests/test_layers.sh - the layering rules hold (scripts/check-layers.sh),
# and the checker itself catches what it must: a planted include from arch/
# into mm/, one from mm/ into fs/proc/, and a file over 1,500 lines each
# make it fail.
#
# Usage: sh tests/test_layers.sh MMSIM_TOOL SRCDIR   (as CTest runs it)
set -u
src=${2:-$(dirname "$0")/..}
check=$src/scripts/check-layers.sh
fail=0

if ! out=$(sh "$check" "$src"); then
	echo "$out"
	echo "FAIL: the tree breaks a layering rule"
	fail=1
else
	echo "ok   the tree: $out"
fi

tmp=$(mktemp -d /tmp/mmsim-layers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A tiny tree with one planted problem at a time; it must be caught.
plant() {	# plant NAME FILE CONTENT EXPECT
	rm -rf "$tmp/t" && mkdir -p "$tmp/t/arch" "$tmp/t/mm" "$tmp/t/scripts"
	cp "$check" "$tmp/t/scripts/"
	printf '#include "arch/machine.h"\n' >"$tmp/t/arch/ok.c"
	printf '%b' "$3" >"$tmp/t/$2"
	if out=$(cd "$tmp/t" && sh scripts/check-layers.sh .); then
		echo "FAIL: $1: not caught"
		fail=1
	elif echo "$out" | grep -q "$4"; then
		echo "ok   $1: caught"
	else
		echo "FAIL: $1: wrong message: $out"
		fail=1
	fi
}

plant "arch includes mm" arch/bad.c '#include "mm/internal.h"\n' "arch/ must not include"
plant "arch includes init" arch/bad.h '  #  include "init/machine.h"\n' "arch/ must not include"
plant "mm includes fs/proc" mm/bad.c '#include "fs/proc/internal.h"\n' "mm/ must not include fs/proc/"
plant "a long file" mm/long.c "$(awk 'BEGIN { for (i = 0; i < 1501; i++) printf "int x%d;\\n", i }')" "1501 lines"

if [ "$fail" -eq 0 ]; then
	echo "5 passed, 0 failed"
else
	echo "some checks failed"
fi
exit "$fail"
