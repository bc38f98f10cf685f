#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_tour.sh - the built-in tour against its golden output.
#
#   sh tests/test_tour.sh <mmsim-binary> <source-dir>
#
# Runs `mmsim run` (the tour compiled into the binary, tools/tour.c) twice:
# both runs must exit 0 with nothing on stderr, print the same bytes (the
# tour is deterministic), and match tests/golden/tour.txt byte for byte.
# On a mismatch the unified diff (golden -> now) is printed.
#
# The golden file is regenerated only on purpose, when a change of the
# kernel's output or of the tour is intended; review the diff after:
#
#   MMSIM_REGEN=1 sh tests/test_tour.sh build/mmsim .
#   git diff tests/golden/tour.txt

MMSIM=${1:?usage: test_tour.sh MMSIM SRCDIR}
SRC=${2:?usage: test_tour.sh MMSIM SRCDIR}
GOLDEN=$SRC/tests/golden/tour.txt

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

for i in 1 2; do
	"$MMSIM" run >"$TMP/tour$i.txt" 2>"$TMP/err$i.txt"
	status=$?
	if [ "$status" -ne 0 ] || [ -s "$TMP/err$i.txt" ]; then
		echo "tour: run $i: exit status $status, stderr:"
		cat "$TMP/err$i.txt"
		exit 1
	fi
done
if ! cmp -s "$TMP/tour1.txt" "$TMP/tour2.txt"; then
	echo "tour: two runs differ (the tour must be deterministic):"
	diff -u "$TMP/tour1.txt" "$TMP/tour2.txt"
	exit 1
fi

if [ "${MMSIM_REGEN:-0}" = 1 ]; then
	cp "$TMP/tour1.txt" "$GOLDEN" || exit 1
	echo "tour: regenerated $GOLDEN ($(wc -l <"$GOLDEN") lines)"
	exit 0
fi

if [ ! -f "$GOLDEN" ]; then
	echo "tour: no golden file $GOLDEN (create it with MMSIM_REGEN=1)"
	exit 1
fi
if ! cmp -s "$GOLDEN" "$TMP/tour1.txt"; then
	echo "tour: output differs from $GOLDEN (MMSIM_REGEN=1 regenerates it on purpose):"
	diff -u "$GOLDEN" "$TMP/tour1.txt"
	exit 1
fi
echo "tour: matches $GOLDEN ($(wc -l <"$GOLDEN") lines)"
