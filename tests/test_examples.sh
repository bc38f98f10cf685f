#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_examples.sh - every examples/*.scn against its golden output.
#
#   sh tests/test_examples.sh <mmsim-binary> <source-dir>
#
# The comments of an example say what its output shows ("b and c are
# buddies", "4 Unmovable pageblocks"); its `expect` lines check the claims
# that can be checked, and this test pins the rest: each example is run
# with `mmsim run -x` twice; both runs must exit 0 with nothing on stderr,
# print the same text, and match tests/golden/examples/<name>.txt.  When the
# output changes, the diff shows which comments to read again.
#
# Every address in the output is simulated (slub_debug's reports print the
# simulated kernel address, as Linux does), so it is compared as printed.
# The one thing that depends on the build is a call site (SLUB's
# "Allocated in", "Freed in", "called from"): an offset into the mmsim
# binary, or symbol+offset, which moves whenever the code changes; it is
# replaced by SITE before comparing.
#
# The golden files are regenerated only on purpose; review the diff after:
#
#   MMSIM_REGEN=1 sh tests/test_examples.sh build/mmsim .
#   git diff tests/golden/examples/

MMSIM=${1:?usage: test_examples.sh MMSIM SRCDIR}
SRC=${2:?usage: test_examples.sh MMSIM SRCDIR}
GOLDEN=$SRC/tests/golden/examples

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

normalize() {
	sed -E 's/(Allocated in|Freed in|called from) (0x[0-9a-f]+|[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+\/0x[0-9a-f]+)/\1 SITE/g'
}

failed=0
nr=0
for scn in "$SRC"/examples/*.scn; do
	name=$(basename "$scn" .scn)
	nr=$((nr + 1))
	bad=0
	for i in 1 2; do
		"$MMSIM" run -x "$scn" >"$TMP/raw$i.txt" 2>"$TMP/err$i.txt"
		status=$?
		if [ "$status" -ne 0 ] || [ -s "$TMP/err$i.txt" ]; then
			echo "examples: $name: run $i: exit status $status, stderr:"
			cat "$TMP/err$i.txt"
			bad=1
			break
		fi
		normalize <"$TMP/raw$i.txt" >"$TMP/$name.$i.txt"
	done
	if [ "$bad" -eq 0 ] && ! cmp -s "$TMP/$name.1.txt" "$TMP/$name.2.txt"; then
		echo "examples: $name: two runs differ (an example must be deterministic):"
		diff -u "$TMP/$name.1.txt" "$TMP/$name.2.txt"
		bad=1
	fi
	if [ "$bad" -eq 0 ] && [ "${MMSIM_REGEN:-0}" = 1 ]; then
		mkdir -p "$GOLDEN" && cp "$TMP/$name.1.txt" "$GOLDEN/$name.txt" || exit 1
		echo "examples: regenerated $GOLDEN/$name.txt ($(wc -l <"$GOLDEN/$name.txt") lines)"
	elif [ "$bad" -eq 0 ] && [ ! -f "$GOLDEN/$name.txt" ]; then
		echo "examples: $name: no golden file $GOLDEN/$name.txt (create it with MMSIM_REGEN=1)"
		bad=1
	elif [ "$bad" -eq 0 ] && ! cmp -s "$GOLDEN/$name.txt" "$TMP/$name.1.txt"; then
		echo "examples: $name: output differs from $GOLDEN/$name.txt; read the example's"
		echo "comments again, then regenerate on purpose (MMSIM_REGEN=1):"
		diff -u "$GOLDEN/$name.txt" "$TMP/$name.1.txt"
		bad=1
	fi
	failed=$((failed + bad))
done
# Every golden file belongs to an example.
for g in "$GOLDEN"/*.txt; do
	[ -f "$g" ] || continue
	if [ ! -f "$SRC/examples/$(basename "$g" .txt).scn" ]; then
		echo "examples: $g has no example"
		failed=$((failed + 1))
	fi
done
if [ "$nr" -eq 0 ]; then
	echo "examples: no examples/*.scn"
	exit 1
fi
echo "examples: $((nr - failed)) of $nr match their golden output"
[ "$failed" -eq 0 ]
