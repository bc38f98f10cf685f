#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_lab_record_cli.sh - `mmsim record`'s command line and failures
# (docs/record.md): every bad option, a program that cannot be started, one
# that fails or is killed, and an unwritable TRACE give exactly one line on
# stderr, their exit status, and no TRACE file (nor a temporary beside it).
# The successful recordings' contents are checked by tests/test_lab_record.c.
#
#   sh tests/test_lab_record_cli.sh <mmsim-binary> <source-dir>
#
# Needs valgrind (scripts/install-deps.sh test) and tests/lab/rec_target,
# built beside mmsim.  Prints one line per failure and "record: N passed,
# N failed"; exit 1 on any failure.

MMSIM=${1:?usage: test_lab_record_cli.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$PWD/$MMSIM ;; esac
TARGET=$(dirname "$MMSIM")/rec_target

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL: $1"
	shift
	for line in "$@"; do
		echo "      $line"
	done
}

# check STATUS MESSAGE CMD...: exit status, the exact one-line stderr, and
# nothing left in the directory but out and err.
check() {
	want_status=$1
	want_err=$2
	shift 2
	"$@" >out 2>err </dev/null
	status=$?
	got_err=$(cat err)
	lines=$(wc -l <err)
	left=$(ls -A | grep -v -x -e out -e err | tr '\n' ' ')
	if [ "$status" -ne "$want_status" ] || [ "$got_err" != "$want_err" ] ||
	   [ "$lines" -ne 1 ] || [ -n "$left" ]; then
		fail "$*" "status $status, want $want_status" \
			"stderr: $got_err" "want:   $want_err" "files left: $left"
	else
		passed=$((passed + 1))
	fi
	rm -f -- *
}

U="(usage: mmsim record -o TRACE ... -- PROGRAM ARGS...)"
check 2 "mmsim: record: unknown option '--bogus'" "$MMSIM" record -o T --bogus -- true
check 2 "mmsim: record: --backend 'valgrind': not lackey or sample" \
	"$MMSIM" record -o T --backend valgrind -- true
check 2 "mmsim: record: --interval '0': not a number of milliseconds in 1..60000" \
	"$MMSIM" record -o T --backend sample --interval 0 -- true
check 2 "mmsim: record: --max-accesses 'x': not a positive count" \
	"$MMSIM" record -o T --max-accesses x -- true
check 2 "mmsim: record: --no-instr is lackey's (the sample backend sees no instruction fetches)" \
	"$MMSIM" record -o T --backend sample --no-instr -- true
check 2 "mmsim: record: no PROGRAM to record $U" "$MMSIM" record -o T --
check 2 "mmsim: record: -o TRACE is required (usage: mmsim record -o TRACE [--backend lackey|sample] [--interval MS] [--max-accesses N] -- PROGRAM ARGS...)" \
	"$MMSIM" record -- true
for b in lackey sample; do
	check 1 "mmsim: record: ./no-such-program: cannot run it: No such file or directory; no trace written" \
		"$MMSIM" record -o T --backend $b -- ./no-such-program
	check 1 "mmsim: record: no-such-program-in-path: cannot run it: No such file or directory; no trace written" \
		"$MMSIM" record -o T --backend $b -- no-such-program-in-path
	check 3 "mmsim: record: $TARGET exited with status 3; no trace written" \
		"$MMSIM" record -o T --backend $b -- "$TARGET" 3 0
	check 137 "mmsim: record: sh was killed by signal 9 (Killed); no trace written" \
		"$MMSIM" record -o T --backend $b -- sh -c 'kill -9 $$'
done

# A TRACE that cannot be created: the writer's one line, exit 1.
"$MMSIM" record -o no-dir/T -- true >out 2>err </dev/null
status=$?
if [ $status -ne 1 ] || [ "$(wc -l <err)" -ne 1 ] || ! grep -q '^mmsim: record: .*no-dir/T' err; then
	fail "record -o no-dir/T" "status $status, want 1, one line naming no-dir/T" "stderr: $(cat err)"
else
	passed=$((passed + 1))
fi
rm -f -- *

# --max-accesses cuts the program and keeps the trace.
"$MMSIM" record -o T --max-accesses 500 -- "$TARGET" 0 0 >out 2>err </dev/null
status=$?
if [ $status -ne 0 ] || [ ! -s T ] || ! grep -q '500 accesses.*cut by --max-accesses' err; then
	fail "record --max-accesses 500" "status $status, want 0 and a trace" "stderr: $(cat err)"
else
	passed=$((passed + 1))
fi

echo "record: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
