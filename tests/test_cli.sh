#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_cli.sh - the mmsim tool's command line and scenario errors.
#
#   sh tests/test_cli.sh <mmsim-binary> <source-dir>
#
# Every error path gets its exit status and its exact one-line message on
# stderr checked; the successful paths get the parts of their output that
# make a contract (alloc lines, check, help).  Each examples/*.scn must run
# with exit status 0 and nothing on stderr.  Scenarios are written to a
# temporary directory and run from there, so messages name "x.scn".
#
# Prints one line per failure and "cli: N passed, N failed"; exit 1 on any
# failure.

MMSIM=${1:?usage: test_cli.sh MMSIM SRCDIR}
SRC=${2:?usage: test_cli.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$PWD/$MMSIM ;; esac
case $SRC in /*) ;; *) SRC=$PWD/$SRC ;; esac

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

# run CMD...: run with stdin from /dev/null; sets $status, out, err.
run() {
	"$@" >out 2>err </dev/null
	status=$?
}

# check STATUS MESSAGE CMD...: exit status and the exact stderr (one line,
# or nothing when MESSAGE is empty).
check() {
	want_status=$1
	want_err=$2
	shift 2
	run "$@"
	got_err=$(cat err)
	lines=$(wc -l <err)
	if [ -z "$want_err" ]; then
		want_lines=0
	else
		want_lines=1
	fi
	if [ "$status" -ne "$want_status" ] || [ "$got_err" != "$want_err" ] ||
	   [ "$lines" -ne "$want_lines" ]; then
		fail "$*" "status $status, want $want_status" \
			"stderr: $got_err" "want:   $want_err"
	else
		passed=$((passed + 1))
	fi
}

# scn STATUS MESSAGE TEXT: write TEXT to x.scn and run it.
scn() {
	printf '%s\n' "$3" >x.scn
	check "$1" "$2" "$MMSIM" run x.scn
}

# stdout_has TEXT: the last command's stdout contains the line TEXT.
stdout_has() {
	if grep -qxF -- "$1" out; then
		passed=$((passed + 1))
	else
		fail "stdout lacks: $1" "stdout was:" "$(cat out)"
	fi
}

# stdout_is TEXT: the last command's stdout is exactly TEXT (plus newline).
stdout_is() {
	if [ "$(cat out)" = "$1" ]; then
		passed=$((passed + 1))
	else
		fail "stdout is not: $1" "stdout was:" "$(cat out)"
	fi
}

# ---------------------------------------------------------------------
# The command line: status 2, "mmsim: ..."

check 2 "mmsim: missing command (try 'mmsim help')" "$MMSIM"
check 2 "mmsim: unknown command 'frob' (try 'mmsim help')" "$MMSIM" frob
check 2 "mmsim: unknown option '--frob' (try 'mmsim help')" "$MMSIM" --frob
check 2 "mmsim: help: unexpected argument 'x'" "$MMSIM" help x
check 2 "mmsim: run: unknown option '-q'" "$MMSIM" run -q
check 2 "mmsim: run: more than one scenario ('b.scn')" "$MMSIM" run a.scn b.scn
check 2 "mmsim: boot: unknown option '--frob'" "$MMSIM" boot ram=64M --frob
check 2 "mmsim: boot: --cat needs at least one PATH" "$MMSIM" boot ram=64M --cat

for h in help -h --help; do
	check 0 "" "$MMSIM" $h
	stdout_has "usage: mmsim COMMAND [ARGS]"
	stdout_has "  check                      check the allocator's invariants"
done

# ---------------------------------------------------------------------
# mmsim boot: status 1 for a bad spec or file

check 1 "mmsim: boot: 'frob=1': unknown boot parameter" "$MMSIM" boot "ram=64M frob=1"
check 1 "mmsim: boot: 'cpus=0': cpus must be 1..256" "$MMSIM" boot ram=64M cpus=0
check 1 "mmsim: boot: /proc/nope: No such file or directory" \
	"$MMSIM" boot ram=64M --cat /proc/nope
check 0 "" "$MMSIM" boot "ram=64M cpus=2" --cat /proc/buddyinfo /proc/sys/vm/min_free_kbytes
if grep -q "^Node 0, zone    DMA32 " out && [ "$(wc -l <out)" -eq 3 ]; then
	passed=$((passed + 1))
else
	fail "boot --cat buddyinfo min_free_kbytes" "$(cat out)"
fi
check 0 "" "$MMSIM" boot ram=64M cpus=2
stdout_has "[    0.000000] Command line: ram=64M cpus=2"

# ---------------------------------------------------------------------
# mmsim run: files

check 1 "mmsim: run: nope.scn: No such file or directory" "$MMSIM" run nope.scn
mkdir adir
check 1 "mmsim: run: adir: Is a directory" "$MMSIM" run adir
printf 'boot ram=64M\nalloc a\n' >in.scn
check 0 "" sh -c "\"$MMSIM\" run - <in.scn"
stdout_is "alloc a: order 0, pfn 0x1841, zone DMA32"
check 1 "<stdin>:2: unknown command 'frob'" sh -c "printf 'boot ram=64M\nfrob\n' | \"$MMSIM\" run -"
check 0 "" sh -c "\"$MMSIM\" run -x - <in.scn"
stdout_is "$(printf '$ boot ram=64M\n$ alloc a\nalloc a: order 0, pfn 0x1841, zone DMA32')"

# ---------------------------------------------------------------------
# Scenario syntax

scn 1 "x.scn:2: unknown command 'alocc'" "boot ram=64M
alocc a order=0"
scn 1 "x.scn:1: alloc: no machine (a scenario starts with boot)" "alloc a"
scn 1 "x.scn:2: unterminated quote" "boot ram=64M
echo \"abc"
scn 1 "x.scn:1: too many words (at most 64)" \
	"echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64"
scn 1 "x.scn:2: free: usage: free NAME [order=N]" "boot ram=64M
free"
scn 1 "x.scn:2: cpu: usage: cpu N" "boot ram=64M
cpu 0 1"
# Output before the error stays; nothing runs after it.
scn 1 "x.scn:4: unknown command 'frob'" "# comment

echo before   # trailing comment
frob
echo after"
stdout_is "before"
# Quotes, escapes, comments, CRLF line ends.
printf 'echo "a  b" c"d e"f "\\"q\\"" \\\\x "#not" # comment\r\necho\r\n' >x.scn
check 0 "" "$MMSIM" run x.scn
stdout_is "$(printf 'a  b cd ef "q" \\\\x #not\n')"

# ---------------------------------------------------------------------
# boot, cpu, tick, cat, grep, write, dmesg, expect

scn 1 "x.scn:1: boot: 'frob=1': unknown boot parameter" "boot ram=64M frob=1"
scn 1 "x.scn:2: cpu: no CPU 2 (the machine has 2)" "boot ram=64M cpus=2
cpu 2"
scn 1 "x.scn:2: cpu: 'x' is not a CPU number" "boot ram=64M
cpu x"
scn 1 "x.scn:2: tick: '-5' is not a number of milliseconds" "boot ram=64M
tick -5"
scn 1 "x.scn:2: cat: /proc/nope: No such file or directory" "boot ram=64M
cat /proc/nope"
scn 1 "x.scn:2: grep: bad pattern '(': Unmatched ( or \\(" "boot ram=64M
grep ( /proc/buddyinfo"
scn 1 "x.scn:2: write: /proc/sys/vm/min_free_kbytes: Invalid argument" "boot ram=64M
write /proc/sys/vm/min_free_kbytes lots"
scn 1 "x.scn:2: write: /proc/nope: No such file or directory" "boot ram=64M
write /proc/nope 1"
scn 1 "x.scn:2: expect: 'has' is not contains, lacks or matches" "boot ram=64M
expect /proc/buddyinfo has DMA"
scn 1 "x.scn:2: expect: /proc/buddyinfo does not contain 'zone Normal'" "boot ram=64M
expect /proc/buddyinfo contains zone Normal"
scn 1 "x.scn:2: expect: /proc/buddyinfo contains 'DMA32'" "boot ram=64M
expect /proc/buddyinfo lacks DMA32"
scn 1 "x.scn:2: expect: /proc/buddyinfo does not match '^Node 1'" "boot ram=64M
expect /proc/buddyinfo matches ^Node 1"
scn 0 "" "boot ram=64M cpus=2
cpu 1
tick 1500
write /proc/sys/vm/min_free_kbytes 2048
expect /proc/sys/vm/min_free_kbytes contains 2048
expect /proc/buddyinfo matches ^Node 0, zone +DMA32
expect /dev/kmsg lacks BUG
dmesg Linux version
dmesg
cat /proc/sys/vm/min_free_kbytes
grep ^Node.*DMA32 /proc/buddyinfo /proc/zoneinfo
cpu 0"
stdout_has "[    0.000000] Linux version 6.8.0-mmsim (mmsim@localhost) (gcc) #1 SMP PREEMPT_DYNAMIC"
stdout_has "2048"
stdout_has "Node 0, zone    DMA32"
if [ "$(grep -c '^\[' out)" -eq 1 ]; then
	passed=$((passed + 1))
else
	fail "dmesg REGEX marks the other lines as shown" "$(cat out)"
fi
# A second boot starts afresh: no objects, a new log.
scn 1 "x.scn:4: free: no allocation named 'a'" "boot ram=64M
alloc a
boot ram=32M
free a"

# ---------------------------------------------------------------------
# The page allocator: alloc, free, drain, check

scn 1 "x.scn:2: alloc: order=12 is above MAX_PAGE_ORDER (10)" "boot ram=64M
alloc a order=12"
scn 1 "x.scn:2: alloc: order=x is not a number" "boot ram=64M
alloc a order=x"
scn 1 "x.scn:2: alloc: order=-1 is not a number" "boot ram=64M
alloc a order=-1"
scn 1 "x.scn:2: alloc: unknown gfp flag 'GFP_KERNAL'" "boot ram=64M
alloc a gfp=GFP_KERNAL|__GFP_ZERO"
scn 1 "x.scn:2: alloc: unknown gfp flag ''" "boot ram=64M
alloc a gfp=GFP_KERNEL|"
scn 1 "x.scn:2: alloc: unknown argument 'size'" "boot ram=64M
alloc a size=4096"
scn 1 "x.scn:2: alloc: unexpected argument 'big' (expected KEY=VALUE)" "boot ram=64M
alloc a big"
scn 1 "x.scn:2: alloc: order= given twice" "boot ram=64M
alloc a order=1 order=2"
scn 1 "x.scn:2: alloc: node=1 is not online (the machine has 1 node)" "boot ram=64M
alloc a node=1"
scn 1 "x.scn:2: alloc: count=0 is out of range [1, 1048576]" "boot ram=64M
alloc a count=0"
scn 1 "x.scn:2: alloc: bad name '1a' (a letter or '_', then letters, digits, '_.-'; at most 31)" \
	"boot ram=64M
alloc 1a"
scn 1 "x.scn:3: alloc: 'a' is already allocated" "boot ram=64M
alloc a
alloc a"
scn 1 "x.scn:2: free: no allocation named 'a'" "boot ram=64M
free a"
scn 1 "x.scn:3: free: order=11 is above MAX_PAGE_ORDER (10)" "boot ram=64M
alloc a
free a order=11"
scn 1 "x.scn:2: drain: unexpected argument 'all' (usage: drain [local])" "boot ram=64M
drain all"

# The kernel's answers are not scenario errors.
scn 0 "" "boot ram=64M cpus=2
alloc big order=10 count=20
alloc a order=3 gfp=GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN
alloc b count=4 gfp=0xcc0
expect /dev/kmsg contains mmsim: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL)
expect /dev/kmsg contains Mem-Info:
alloc none order=10 gfp=GFP_ATOMIC|__GFP_NOWARN
free big
free b
cpu 1
drain local
drain
free a
check"
stdout_has "alloc b: 4 x order 0, zone DMA32: 4"
stdout_has "alloc big: 11 of 20 x order 10, zone DMA32: 8, DMA: 3; then failed"
stdout_has "alloc none: failed"
stdout_has "check: ok"
scn 0 "" "boot ram=64M
alloc a order=1
free a order=0
expect /dev/kmsg contains BUG: Bad page state in process mmsim
expect /dev/kmsg contains page dumped because: freed with order 0, allocated with order 1
alloc b
free b
alloc b"
scn 0 "" "boot ram=128M nodes=2 cpus=4
alloc a node=1 gfp=GFP_KERNEL|__GFP_THISNODE"
stdout_is "alloc a: order 0, pfn 0x4000, zone node 1 DMA32"

# ---------------------------------------------------------------------
# The examples run cleanly.

for f in "$SRC"/examples/*.scn; do
	check 0 "" "$MMSIM" run "$f"
	if ! grep -q "^check: ok$" out; then
		fail "$f: no 'check: ok'"
	fi
done

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
