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
# with exit status 0 and nothing on stderr, and print the same bytes when
# run again (no host address or time may leak into the output).  Scenarios are written to a
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

# stdout_matches REGEX: a line of the last command's stdout matches the
# whole extended regular expression (for lines with a pfn in them).
stdout_matches() {
	if grep -qxE -- "$1" out; then
		passed=$((passed + 1))
	else
		fail "stdout matches no line: $1" "stdout was:" "$(cat out)"
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
	stdout_has "  slabcheck                  check every slab cache's invariants"
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
stdout_matches 'alloc a: order 0, pfn 0x[0-9a-f]+, zone DMA32'
[ "$(wc -l <out)" -eq 1 ] && passed=$((passed + 1)) || fail "run -: more than one line"
check 1 "<stdin>:2: unknown command 'frob'" sh -c "printf 'boot ram=64M\nfrob\n' | \"$MMSIM\" run -"
check 0 "" sh -c "\"$MMSIM\" run -x - <in.scn"
# (pfns depend on what the boot allocated, the root file system's mount included)
stdout_has '$ boot ram=64M'
stdout_has '$ alloc a'
stdout_matches 'alloc a: order 0, pfn 0x[0-9a-f]+, zone DMA32'
[ "$(wc -l <out)" -eq 3 ] && passed=$((passed + 1)) || fail "run -x -: not 3 lines"

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
free a order=0 x"
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
# A file that is not text is refused whole, before its first line runs:
# one line naming the line and the byte, and nothing on stdout.  UTF-8
# is text.
printf 'boot ram=64M\necho \342\202\254\n' >x.scn
check 0 "" "$MMSIM" run x.scn
stdout_is "$(printf '\342\202\254')"
printf 'boot ram=64M\necho before\nalloc \377\n' >x.scn
check 1 "x.scn:3: not text (byte 0xff)" "$MMSIM" run x.scn
stdout_is ""
printf 'echo a\n\necho b\0c\n' >x.scn
check 1 "x.scn:3: not text (byte 0x00)" "$MMSIM" run x.scn
printf 'echo \033[1m\n' >x.scn
check 1 "x.scn:1: not text (byte 0x1b)" "$MMSIM" run x.scn
printf 'echo \355\240\200\n' >x.scn	# a UTF-16 surrogate
check 1 "x.scn:1: not text (byte 0xed)" "$MMSIM" run x.scn
printf 'echo a\342\202' >x.scn		# cut in the middle of a character
check 1 "x.scn:1: not text (byte 0xe2)" "$MMSIM" run x.scn
check 1 "<stdin>:2: not text (byte 0xff)" sh -c "printf 'echo a\n\377\n' | \"$MMSIM\" run -"
stdout_is ""
check 1 "mmsim.bin:1: not text (byte 0x7f)" sh -c "head -c 4096 \"$MMSIM\" >mmsim.bin && \"$MMSIM\" run mmsim.bin"

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
# expect output: the text the last command (not an expect) printed.
scn 0 "" "boot ram=64M
alloc a order=4
expect output matches ^alloc a: order 4, pfn 0x[0-9a-f]+, zone DMA32\$
expect output contains zone DMA32
expect output lacks failed
grep DMA32 /proc/buddyinfo
expect output matches ^Node 0, zone +DMA32
tick 1
expect output lacks DMA32"
scn 1 "x.scn:3: expect: output does not contain 'order 5'" "boot ram=64M
alloc a order=4
expect output contains order 5"
scn 1 "x.scn:4: expect: output contains 'pfn'" "boot ram=64M
alloc a order=4
expect output contains pfn
expect output lacks pfn"
scn 1 "x.scn:3: expect: output does not match '^alloc b'" "boot ram=64M
alloc a
expect output matches ^alloc b"
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
stdout_matches "alloc big: [0-9]+ of 20 x order 10, zone DMA32: [0-9]+, DMA: 3; then failed"
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
# The slab allocator: cache, cache_alloc, cache_free, kmalloc, kfree,
# shrink, destroy, poke, slabcheck

scn 1 "x.scn:2: cache: usage: cache NAME size=N [align=N] [flags=FLAGS] [ctor]" "boot ram=64M
cache c"
scn 1 "x.scn:2: cache: size= is missing" "boot ram=64M
cache c align=8 ctor"
scn 1 "x.scn:2: cache: size=0 is out of range [1, 4194304]" "boot ram=64M
cache c size=0"
scn 1 "x.scn:2: cache: size=big is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
cache c size=big"
scn 1 "x.scn:2: cache: align=3 is not a power of two" "boot ram=64M
cache c size=8 align=3"
scn 1 "x.scn:2: cache: align=8192 is out of range [0, 4096]" "boot ram=64M
cache c size=8 align=8192"
scn 1 "x.scn:2: cache: unknown slab flag 'SLAB_REDZONE'" "boot ram=64M
cache c size=8 flags=SLAB_POISON|SLAB_REDZONE"
scn 1 "x.scn:2: cache: unknown slab flag ''" "boot ram=64M
cache c size=8 flags=SLAB_POISON|"
scn 1 "x.scn:2: cache: ctor given twice" "boot ram=64M
cache c size=8 ctor ctor"
scn 1 "x.scn:2: cache: unknown argument 'object_size'" "boot ram=64M
cache c object_size=8"
scn 1 "x.scn:2: cache: the kernel already has a cache named 'kmalloc-64'" "boot ram=64M
cache kmalloc-64 size=64"
scn 1 "x.scn:2: cache: bad name '1c' (a letter or '_', then letters, digits, '_.-'; at most 31)" \
	"boot ram=64M
cache 1c size=8"
scn 1 "x.scn:3: cache: 'c' is already allocated" "boot ram=64M
alloc c
cache c size=8"
scn 1 "x.scn:2: cache_alloc: usage: cache_alloc NAME CACHE [count=K] [gfp=FLAGS]" "boot ram=64M
cache_alloc o"
scn 1 "x.scn:2: cache_alloc: no cache named 'nosuch'" "boot ram=64M
cache_alloc o nosuch"
scn 1 "x.scn:3: cache_alloc: 'a' is pages, not a cache" "boot ram=64M
alloc a
cache_alloc o a"
scn 1 "x.scn:3: cache_alloc: count=0 is out of range [1, 1048576]" "boot ram=64M
cache c size=100
cache_alloc o c count=0"
scn 1 "x.scn:3: cache_alloc: unknown gfp flag 'GFP_KERNAL'" "boot ram=64M
cache c size=100
cache_alloc o c gfp=GFP_KERNAL"
scn 1 "x.scn:2: cache_free: no allocation named 'o'" "boot ram=64M
cache_free o"
scn 1 "x.scn:3: cache_free: 'k' is kmalloc memory (use kfree)" "boot ram=64M
kmalloc k size=8
cache_free k"
scn 1 "x.scn:3: cache_free: 'c' is a cache, not a slab object" "boot ram=64M
cache c size=100
cache_free c"
scn 1 "x.scn:4: cache_free: no allocation named 'o'" "boot ram=64M
cache_alloc o kmalloc-64
cache_free o
cache_free o"
scn 1 "x.scn:2: kmalloc: usage: kmalloc NAME size=N [count=K] [gfp=FLAGS]" "boot ram=64M
kmalloc k"
scn 1 "x.scn:2: kmalloc: size= is missing" "boot ram=64M
kmalloc k count=2"
scn 1 "x.scn:2: kmalloc: size=-1 is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
kmalloc k size=-1"
scn 1 "x.scn:2: kmalloc: size=4194305 is above KMALLOC_MAX_SIZE (4194304)" "boot ram=64M
kmalloc k size=4194305"
scn 1 "x.scn:2: kmalloc: unknown gfp flag 'GFP_KERNAL'" "boot ram=64M
kmalloc k size=8 gfp=GFP_KERNAL"
scn 1 "x.scn:3: kmalloc: 'k' is already allocated" "boot ram=64M
kmalloc k size=8
kmalloc k size=8"
scn 1 "x.scn:4: kfree: no allocation named 'k'" "boot ram=64M
kmalloc k size=8
kfree k
kfree k"
scn 1 "x.scn:3: kfree: 'a' is pages, not kmalloc memory or a slab object" "boot ram=64M
alloc a
kfree a"
scn 1 "x.scn:3: free: 'k' is not pages but kmalloc memory" "boot ram=64M
kmalloc k size=8
free k"
scn 1 "x.scn:2: shrink: no cache named 'nosuch'" "boot ram=64M
shrink nosuch"
scn 1 "x.scn:3: shrink: 'k' is kmalloc memory, not a cache" "boot ram=64M
kmalloc k size=8
shrink k"
scn 1 "x.scn:2: destroy: 'kmalloc-64' is not a cache this scenario created" "boot ram=64M
destroy kmalloc-64"
scn 1 "x.scn:2: destroy: no cache named 'nosuch'" "boot ram=64M
destroy nosuch"
scn 1 "x.scn:4: destroy: no cache named 'c'" "boot ram=64M
cache c size=100
destroy c
destroy c"
# A merged cache keeps answering to a destroyed creator's name in the
# kernel (Linux leaves the sysfs link), but the scenario's name is gone:
# no command takes it as a cache until `cache` gives it again.
scn 1 "x.scn:5: cache_alloc: no cache named 'bar' (the scenario destroyed it)" "boot ram=64M
cache foo size=200
cache bar size=200
destroy bar
cache_alloc o bar"
stdout_has "cache bar: merged into foo; object_size 200, slab_size 200, objs_per_slab 20, order 0"
scn 1 "x.scn:5: destroy: no cache named 'bar' (the scenario destroyed it)" "boot ram=64M
cache foo size=200
cache bar size=200
destroy bar
destroy bar"
scn 1 "x.scn:5: shrink: no cache named 'foo' (the scenario destroyed it)" "boot ram=64M
cache foo size=200
cache bar size=200
destroy foo
shrink foo"
scn 1 "x.scn:7: cache: the kernel still has the cache 'foo' (merged, held under another name)" "boot ram=64M
cache foo size=200
cache bar size=200
destroy foo
cache_alloc o bar
cache_free o
cache foo size=200"
scn 0 "" "boot ram=64M
cache foo size=200
cache bar size=200
destroy bar
cat /sys/kernel/slab/foo/aliases
cache bar size=200
cat /sys/kernel/slab/foo/aliases
cache_alloc o bar
cache_free o
destroy bar
destroy foo
cache bar size=300
cache_alloc o bar
cache_free o
destroy bar
slabcheck
check"
sed 's/pfn 0x[0-9a-f]*/pfn PFN/' out >out.pfn
pfns=$(grep -o 'pfn 0x[0-9a-f]*' out | sort -u | wc -l)
mv out.pfn out
stdout_is "cache foo: object_size 200, slab_size 200, objs_per_slab 20, order 0
cache bar: merged into foo; object_size 200, slab_size 200, objs_per_slab 20, order 0
0
cache bar: merged into foo; object_size 200, slab_size 200, objs_per_slab 20, order 0
1
cache_alloc o: foo, slab at pfn PFN, object 0
cache bar: object_size 300, slab_size 304, objs_per_slab 13, order 0
cache_alloc o: bar, slab at pfn PFN, object 0
slabcheck: ok
check: ok"
# The second slab reuses the page the first one gave back.
[ "$pfns" -eq 1 ] && passed=$((passed + 1)) || fail "the two slabs are on $pfns pages, not one"
scn 1 "x.scn:3: destroy: 'a' is pages, not a cache" "boot ram=64M
alloc a
destroy a"
scn 1 "x.scn:2: poke: usage: poke NAME OFFSET BYTE" "boot ram=64M
poke k 0"
scn 1 "x.scn:2: poke: no allocation named 'k'" "boot ram=64M
poke k 0 1"
# (kmalloc-32: a cache the boot leaves empty, so k is its slab's object 0)
scn 1 "x.scn:3: poke: offset 4096 is outside the slab of 'k' ([0, 4096))" "boot ram=64M
kmalloc k size=32
poke k 4096 1"
scn 1 "x.scn:3: poke: offset -1 is outside the slab of 'k' ([0, 4096))" "boot ram=64M
kmalloc k size=32
poke k -1 1"
scn 1 "x.scn:3: poke: offset 16384 is outside the pages of 'k' ([0, 16384))" "boot ram=64M
kmalloc k size=10000
poke k 16384 1"
scn 1 "x.scn:3: poke: 'x' is not an offset" "boot ram=64M
kmalloc k size=8
poke k x 1"
scn 1 "x.scn:3: poke: '256' is not a byte (0..255)" "boot ram=64M
kmalloc k size=8
poke k 0 256"
scn 1 "x.scn:3: poke: 'z' is ZERO_SIZE_PTR: no memory to write" "boot ram=64M
kmalloc z size=0
poke z 0 1"
scn 1 "x.scn:3: poke: 'c' is a cache, not kmalloc memory or a slab object" "boot ram=64M
cache c size=100
poke c 0 1"
scn 1 "x.scn:2: slabcheck: usage: slabcheck" "boot ram=64M
slabcheck all"
scn 1 "x.scn:2: sheaves: no cache named 'nosuch'" "boot ram=64M
sheaves nosuch"
scn 1 "x.scn:2: sheaves: usage: sheaves CACHE" "boot ram=64M
sheaves"
# sheaves: a free lands on CPU 0's main sheaf; a debug cache has none.
scn 0 "" "boot ram=64M cpus=2 nodes=2
cache s size=64 flags=SLAB_NO_MERGE
cache d size=64 flags=SLAB_RED_ZONE
cache_alloc o s count=3
cache_free o
sheaves s
sheaves d"
stdout_has "sheaves s: capacity 60"
stdout_matches "  cpu 0: main [0-9]+, no spare"
stdout_has "  cpu 1: main 0, no spare"
stdout_has "  node 1 barn: 0 full, 0 empty"
stdout_has "sheaves d: none (a debug cache: every object goes to its slab)"
scn 1 "x.scn:1: kmalloc: no machine (a scenario starts with boot)" "kmalloc k size=8"

# What the commands print, and the kernel's answers, which are not errors.
scn 0 "" "boot ram=64M cpus=2
cache foo size=200
cache bar size=196
cache k64 size=64
cache dbg size=24 flags=SLAB_CONSISTENCY_CHECKS|SLAB_RED_ZONE|SLAB_POISON|SLAB_STORE_USER
cache withctor size=100 align=16 flags=0x20000 ctor
cache_alloc o foo
cache_alloc many bar count=100 gfp=GFP_KERNEL|__GFP_ZERO
cache_alloc c withctor count=3
expect /sys/kernel/slab/foo/aliases contains 1
expect /sys/kernel/slab/foo/objects contains 120 N0=120
expect /proc/slabinfo matches ^foo +120 +120 +200 +20 +1 :
cache_free many
shrink bar
expect /sys/kernel/slab/foo/slabs contains 1 N0=1
kmalloc a size=1
kmalloc b size=100 count=3
kmalloc r size=100 gfp=GFP_KERNEL|__GFP_RECLAIMABLE
kmalloc d size=100 gfp=GFP_DMA
kmalloc z size=0
kmalloc l size=10000
kmalloc l2 size=10000 count=2
kmalloc huge size=4194304 count=20 gfp=GFP_KERNEL|__GFP_NOWARN
cache_alloc dbgobj dbg
poke dbgobj 24 0x41
poke a 7 0xff
cache_free dbgobj
expect /dev/kmsg contains BUG dbg (Not tainted): Right Redzone overwritten
kfree a
kfree b
kfree r
kfree d
kfree z
kfree l
kfree l2
kfree huge
cache_alloc o2 foo
kfree o2
destroy k64
destroy bar
destroy foo
expect /dev/kmsg contains Objects remaining in foo on __kmem_cache_shutdown()
cache_free o
slabcheck
check"
stdout_has "cache foo: object_size 200, slab_size 200, objs_per_slab 20, order 0"
stdout_has "cache bar: merged into foo; object_size 200, slab_size 200, objs_per_slab 20, order 0"
stdout_has "cache k64: merged into kmalloc-64; object_size 64, slab_size 64, objs_per_slab 64, order 0"
stdout_has "cache dbg: object_size 24, slab_size 104, objs_per_slab 39, order 0"
stdout_matches "cache_alloc o: foo, slab at pfn 0x[0-9a-f]+, object 0"
stdout_has "cache_alloc many: 100 x foo, in 6 slabs"
stdout_has "cache_alloc c: 3 x withctor, in 1 slab; constructor ran 36 times"
stdout_matches "kmalloc a: 1 byte from kmalloc-8, slab at pfn 0x[0-9a-f]+, object [0-9]+"
stdout_has "kmalloc b: 3 x 100 bytes from kmalloc-128, in 1 slab"
stdout_matches "kmalloc r: 100 bytes from kmalloc-rcl-128, slab at pfn 0x[0-9a-f]+, object 0"
stdout_has "kmalloc z: 0 bytes: ZERO_SIZE_PTR, no memory"
stdout_matches "kmalloc l: 10000 bytes: order 2 pages at pfn 0x[0-9a-f]+, not a slab"
stdout_has "kmalloc l2: 2 x 10000 bytes: order 2 pages each, not slabs"
stdout_has "slabcheck: ok"
stdout_has "check: ok"
stdout_matches "kmalloc d: 100 bytes from dma-kmalloc-128, slab at pfn 0x[0-9a-f]+, object 0"
stdout_matches "kmalloc huge: [0-9]+ of 20 x 4194304 bytes: order 10 pages each, not slabs; then failed"
stdout_matches "cache_alloc o2: foo, slab at pfn 0x[0-9a-f]+, object 19"
scn 0 "" "boot ram=64M
cache_alloc o kmalloc-64 count=2
kmalloc k size=10000 gfp=GFP_KERNEL|__GFP_NOWARN
shrink kmalloc-64
kfree o
kfree k
slabcheck"
stdout_has "cache_alloc o: 2 x kmalloc-64, in 1 slab"
stdout_matches "kmalloc k: 10000 bytes: order 2 pages at pfn 0x[0-9a-f]+, not a slab"
stdout_has "slabcheck: ok"

# ---------------------------------------------------------------------
# vmalloc: vmalloc, vfree, test-vmalloc

scn 1 "x.scn:2: vmalloc: usage: vmalloc NAME size=BYTES [gfp=FLAGS] [node=N]" "boot ram=64M
vmalloc v"
scn 1 "x.scn:2: vmalloc: size= is required" "boot ram=64M
vmalloc v gfp=GFP_KERNEL"
scn 1 "x.scn:2: vmalloc: unknown gfp flag 'GFP_KERNAL'" "boot ram=64M
vmalloc v size=4096 gfp=GFP_KERNAL"
scn 1 "x.scn:2: vmalloc: node=1 is not online (the machine has 1 node)" "boot ram=64M
vmalloc v size=4096 node=1"
scn 1 "x.scn:3: vmalloc: 'v' is already allocated" "boot ram=64M
alloc v
vmalloc v size=4096"
scn 1 "x.scn:2: vfree: no allocation named 'v'" "boot ram=64M
vfree v"
scn 1 "x.scn:3: vfree: 'a' is pages, not vmalloc memory" "boot ram=64M
alloc a
vfree a"
scn 1 "x.scn:3: vfree: 'k' is kmalloc memory, not vmalloc memory" "boot ram=64M
kmalloc k size=8
vfree k"
scn 1 "x.scn:3: free: 'v' is not pages but vmalloc memory" "boot ram=64M
vmalloc v size=4096
free v"
scn 1 "x.scn:3: kfree: 'v' is vmalloc memory, not kmalloc memory or a slab object" "boot ram=64M
vmalloc v size=4096
kfree v"
scn 1 "x.scn:2: test-vmalloc: 'frob': unknown parameter" "boot ram=64M
test-vmalloc frob=1"
scn 0 "" "boot ram=64M
vmalloc v size=5000
expect /proc/vmallocinfo matches ^0x[0-9a-f]+-0x[0-9a-f]+ +12288 cmd_vmalloc\\+0x0/0x0 pages=2 vmalloc N0=2\$
vmalloc z size=0
vmalloc big size=1G
expect /dev/kmsg contains vmalloc error: size 1073741824
vfree v
expect /proc/vmallocinfo contains unpurged vm_area
test-vmalloc run_test_mask=1 test_loop_count=5
dmesg Summary"
stdout_has "vmalloc v: 0xffffc90000000000-0xffffc90000003000, 2 pages"
stdout_has "vmalloc z: failed"
stdout_has "vmalloc big: failed"
stdout_has "test-vmalloc: 0 failed"
stdout_matches "\\[ *[0-9.]+\\] Summary: fix_size_alloc_test passed: 1 failed: 0 repeat: 1 loops: 5 avg: [0-9]+ usec"
check 0 "" "$MMSIM" test-vmalloc run_test_mask=1 test_loop_count=5 ram=64M
stdout_matches "Summary: fix_size_alloc_test passed: 1 failed: 0 repeat: 1 loops: 5 avg: [0-9]+ usec"
stdout_matches "All test took worker0=[0-9]+ cycles"
if [ "$(wc -l <out)" -eq 2 ]; then
	passed=$((passed + 1))
else
	fail "test-vmalloc prints only the Summary and All test took lines" "$(cat out)"
fi
# Progress goes to a terminal only: in a pipe the output is the summary alone.
check 0 "" sh -c "\"$MMSIM\" test-vmalloc run_test_mask=3 test_loop_count=5 ram=64M 2>&1 | cat"
if [ "$(wc -l <out)" -eq 3 ] && [ "$(grep -c '^Summary: ' out)" -eq 2 ] &&
   ! grep -q "$(printf '\r')" out && ! grep -q '^test-vmalloc' out; then
	passed=$((passed + 1))
else
	fail "test-vmalloc in a pipe: the summary alone" "$(cat out)"
fi
printf 'boot ram=64M\ntest-vmalloc run_test_mask=1 test_loop_count=5\n' >x.scn
check 0 "" sh -c "\"$MMSIM\" run x.scn 2>&1 | cat"
stdout_is "test-vmalloc: 0 failed"
# On a terminal (script(1) gives it one): a line rewritten per test, erased
# before the summary.  Skipped where script cannot open a pseudo-terminal.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	run script -qec "\"$MMSIM\" test-vmalloc run_test_mask=3 test_loop_count=5 ram=64M" /dev/null
	cr=$(printf '\r')
	if grep -q "${cr}test-vmalloc: 1/2 [a-z_]*alloc_test \.\.\." out &&
	   grep -q "${cr}test-vmalloc: 2/2 [a-z_]*alloc_test \.\.\." out &&
	   grep -q "${cr} *${cr}Summary: " out; then
		passed=$((passed + 1))
	else
		fail "test-vmalloc on a terminal: progress line, erased" "$(od -c out | head -20)"
	fi
fi
check 2 "mmsim: test-vmalloc: 'nr_threads=x': bad value" "$MMSIM" test-vmalloc nr_threads=x
check 1 "mmsim: test-vmalloc: 'frob=1': unknown boot parameter" "$MMSIM" test-vmalloc frob=1

# ---------------------------------------------------------------------
# Sizes: one parser (memparse_strict, as the boot spec's ram=) wherever a
# size is taken; counts stay plain numbers.

scn 0 "" "boot ram=64M
vmalloc v size=8M
kmalloc k size=4k
kmalloc h size=0x1000
cache c size=1K align=0x40 flags=SLAB_NO_MERGE
vfree v
kfree k
kfree h
destroy c"
stdout_matches "vmalloc v: 0x[0-9a-f]+-0x[0-9a-f]+, 2048 pages"
stdout_matches "kmalloc k: 4096 bytes from kmalloc-4k, slab at pfn 0x[0-9a-f]+, object 0"
stdout_matches "kmalloc h: 4096 bytes from kmalloc-4k, slab at pfn 0x[0-9a-f]+, object 1"
stdout_has "cache c: object_size 1024, slab_size 1024, objs_per_slab 16, order 2"
scn 1 "x.scn:2: vmalloc: size=8Q is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
vmalloc v size=8Q"
scn 1 "x.scn:2: vmalloc: size=M is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
vmalloc v size=M"
scn 1 "x.scn:2: vmalloc: size=8MB is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
vmalloc v size=8MB"
scn 1 "x.scn:2: vmalloc: size=16E is too large" "boot ram=64M
vmalloc v size=16E"
scn 1 "x.scn:2: kmalloc: size=8M is above KMALLOC_MAX_SIZE (4194304)" "boot ram=64M
kmalloc k size=8M"
scn 1 "x.scn:2: cache: align=8k is out of range [0, 4096]" "boot ram=64M
cache c size=64 align=8k"
scn 1 "x.scn:2: alloc: count=4k is not a number" "boot ram=64M
alloc a count=4k"
check 1 "mmsim: boot: 'ram=8Q': invalid size (a number with K, M, G or T)" "$MMSIM" boot ram=8Q
check 0 "" "$MMSIM" boot "ram=0x4000000 cpus=1" --cat /proc/meminfo
mv out hex.out
check 0 "" "$MMSIM" boot "ram=64M cpus=1" --cat /proc/meminfo
if cmp -s out hex.out; then
	passed=$((passed + 1))
else
	fail "boot ram=0x4000000 and ram=64M differ"
fi

# ---------------------------------------------------------------------
# Many names: 25,000 pages and 25,000 kmallocs held at once, then freed
# by name in another order (odd, all kmallocs newest first, even).  The
# names live in a hash table; this checks that every one is found, that a
# freed name is gone and a taken one refused, and that the allocator ends
# clean.  (Speed is measured by hand: no timed assertion here.)

awk 'BEGIN {
	n = 25000
	print "boot ram=256M"
	for (i = 0; i < n; i++) print "alloc p" i
	for (i = 0; i < n; i++) print "kmalloc k" i " size=64"
	for (i = 1; i < n; i += 2) print "free p" i
	for (i = n - 1; i >= 0; i--) print "kfree k" i
	for (i = 0; i < n; i += 2) print "free p" i
	print "check"
	print "alloc p7"
	print "alloc p7"
}' >x.scn
check 1 "x.scn:100004: alloc: 'p7' is already allocated" "$MMSIM" run x.scn
if [ "$(grep -c '^alloc p[0-9]*: order 0, pfn 0x[0-9a-f]*, zone ' out)" -ne 25001 ] ||
   [ "$(grep -c '^kmalloc k[0-9]*: 64 bytes from kmalloc-64, ' out)" -ne 25000 ]; then
	fail "many names: not every alloc and kmalloc printed its line"
else
	passed=$((passed + 1))
fi
stdout_has "check: ok"
awk 'BEGIN { print "boot ram=64M"; print "alloc a"; print "free a"; print "free a" }' >x.scn
check 1 "x.scn:4: free: no allocation named 'a'" "$MMSIM" run x.scn

# ---------------------------------------------------------------------
# Variables: $VAR and ${VAR} in any word; an unknown one is an error.

scn 1 "x.scn:2: echo: no variable 'nope' (set one with 'as NAME')" "boot ram=64M
echo \$nope"
scn 1 "x.scn:1: echo: bad variable reference in '\${}'" "echo \${}"
scn 0 "" "echo cost \$\$5 a\$ \$1 \$-"
stdout_is 'cost $5 a$ $1 $-'

# ---------------------------------------------------------------------
# Processes: strace-style lines; what the kernel refuses is output, what
# cannot run is an error.

scn 1 "x.scn:2: mmap: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
mmap 4k"
scn 1 "x.scn:3: mmap: 'rq' is not a protection (rwx letters, none, or PROT_* names)" "boot ram=64M
spawn a
mmap 4k rq"
scn 1 "x.scn:3: mmap: 'frob' is not an mmap flag (private, shared, anon, fixed, fixed_noreplace, populate, noreserve, locked, growsdown, stack, or MAP_* names)" "boot ram=64M
spawn a
mmap 4k rw anon,frob"
scn 1 "x.scn:3: mmap: length '4q' is not a number (e.g. 4096, 0x1000, 4k, buf+0x1000)" "boot ram=64M
spawn a
mmap 4q"
scn 1 "x.scn:6: switch: cannot run pid 3: No such process" "boot ram=64M
spawn a
fork as c
switch \$c
exit
switch \$c"
scn 1 "x.scn:2: switch: no process 99" "boot ram=64M
switch 99"
scn 1 "x.scn:3: touch: 'poke' is not read or write" "boot ram=64M
spawn a
touch 0x1000 10 poke"
scn 1 "x.scn:3: kill: 'SIGFOO' is not a signal (SIGKILL, kill, 9)" "boot ram=64M
spawn a
kill 1 SIGFOO"
scn 1 "x.scn:3: madvise: 'frob' is not an advice (dontneed, free, willneed, populate_read, ...)" "boot ram=64M
spawn a
madvise 0 4096 frob"
scn 1 "x.scn:3: mremap: 'frob' is not an mremap flag (maymove, fixed, dontunmap)" "boot ram=64M
spawn a
mremap 0x1000 4096 8192 frob"
scn 1 "x.scn:3: peek: length 5000 is out of range [1, 4096]" "boot ram=64M
spawn a
peek 0 5000"
scn 1 "x.scn:3: exit: code=300 is out of range [0, 255]" "boot ram=64M
spawn a
exit 300"
scn 1 "x.scn:3: touch: no variable 'buf' (set one with 'as NAME')" "boot ram=64M
spawn a
touch \$buf 1 read"
scn 1 "x.scn:3: touch: address 'buf+0x10': no such variable (set one with 'as NAME')" "boot ram=64M
spawn a
touch buf+0x10 1 read"
scn 1 "x.scn:3: switch: 'kid' is not a pid or a variable" "boot ram=64M
spawn a
switch kid"
# A variable's bare name works where a pid or an address is taken.
scn 0 "" "boot ram=64M
spawn a as a
mmap 8k as buf
touch buf+4k 4k write
fork as kid
switch kid
peek buf+0x1000 4
switch a
kill kid 9
wait kid"
stdout_has "[pid 2] write 0x7ffff7ffe000-0x7ffff7fff000: 1 minor, 0 major faults"
stdout_has "0x7ffff7ffe000: aa aa aa aa"
stdout_has "[pid 2] wait4(3, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 3"
scn 0 "" "boot ram=64M
spawn app as app
mmap 0
mmap 4k rw anon,private addr=0x1000 as lo
touch \$lo 8k write
ps"
stdout_has "spawn app: pid 2"
stdout_has "[pid 2] mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)"
stdout_has "[pid 2] mmap(0x1000, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000"
stdout_has "[pid 2] write 0x10000-0x12000: 1 minor, 0 major faults; fault at 0x11000"
stdout_has "[pid 2] +++ killed by SIGSEGV +++"
stdout_has "    1     0 S init"
scn 0 "" "boot ram=64M
spawn app as app
fork as c
kill \$c 9
wait
kill \$app 9"
stdout_has "[pid 2] kill(3, SIGKILL) = 0"
stdout_has "[pid 2] wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 3"
stdout_has "[pid 2] +++ killed by SIGKILL +++"
# SysV shm: an attach follows fork, IPC_RMID waits for the last detach.
scn 0 "" "boot ram=64M
spawn a as a
shmget 0x1234 8k create as id
shmat id as p
touch p 8k write
fork as kid
shmctl id stat
shmctl id rmid
switch kid
peek p 4
exit
switch a
wait kid
shmdt p
shmctl id stat
shmget 0x1234 4k excl
cat /proc/sysvipc/shm"
stdout_has "[pid 2] shmget(0x1234, 8192, IPC_CREAT|0600) = 0"
stdout_has "[pid 2] shmat(0, 0, 0) = 0x7ffff7ffd000"
stdout_has "  key=0x1234 size=8192 nattch=2 mode=0600 cpid=2 lpid=2"
stdout_has "0x7ffff7ffd000: aa aa aa aa"
stdout_has "[pid 2] shmdt(0x7ffff7ffd000) = 0"
stdout_has "[pid 2] shmctl(0, IPC_STAT, ...) = -1 EINVAL (Invalid argument)"
stdout_has "[pid 2] shmget(0x1234, 4096, IPC_EXCL|0600) = -1 ENOENT (No such file or directory)"
scn 1 "x.scn:3: shmctl: rmid, lock, unlock or stat, not 'frob'" "boot ram=64M
spawn a
shmctl 0 frob"
run "$MMSIM" help
stdout_has "  spawn COMM [as VAR]        start a process (mmsim_spawn) and run it on this CPU"
stdout_has "  sar -B [INTERVAL [COUNT]]  sysstat's paging rates over virtual time (INTERVAL: advance the clock)"

# ---------------------------------------------------------------------
# sar -B: sysstat's paging view over virtual time.

SAR_BANNER="Linux 6.8.0-mmsim (mmsim) 	01/01/70 	_x86_64_	(2 CPU)"
SAR_HEADER="00:00:00     pgpgin/s pgpgout/s   fault/s  majflt/s  pgfree/s pgscank/s pgscand/s pgsteal/s    %vmeff"
SAR_ZEROS="      0.00      0.00      0.00      0.00      0.00      0.00      0.00      0.00      0.00"
check 0 "" "$MMSIM" sar -B 1 2
stdout_is "$(printf "$SAR_BANNER")

$SAR_HEADER
00:00:01   $SAR_ZEROS
00:00:02   $SAR_ZEROS
Average:   $SAR_ZEROS"
check 0 "" "$MMSIM" sar -B 2 1 --spec "arch=arm64 ram=64M cpus=1"
stdout_has "$(printf "Linux 6.8.0-mmsim (mmsim) \t01/01/70 \t_aarch64_\t(1 CPU)")"
stdout_has "00:00:02   $SAR_ZEROS"
check 2 "mmsim: sar: -B is needed: only paging statistics are shown (usage: mmsim sar -B [INTERVAL [COUNT]] [SCENARIO | --spec SPEC])" "$MMSIM" sar 1 1
check 2 "mmsim: sar: '0': bad INTERVAL or COUNT (usage: mmsim sar -B [INTERVAL [COUNT]] [SCENARIO | --spec SPEC])" "$MMSIM" sar -B 0
check 2 "mmsim: sar: unknown option '-r' (usage: mmsim sar -B [INTERVAL [COUNT]] [SCENARIO | --spec SPEC])" "$MMSIM" sar -r
check 1 "mmsim: sar: nope.scn: No such file or directory" "$MMSIM" sar -B nope.scn
printf 'boot ram=64M\nalloc a count=100\ntick 2000\nfree a\ndrain\ntick 1000\n' >x.scn
check 0 "" "$MMSIM" sar -B 1 x.scn
stdout_has "00:00:02   $SAR_ZEROS"
stdout_has "00:00:03         0.00      0.00      0.00      0.00    100.00      0.00      0.00      0.00      0.00"
stdout_has "Average:         0.00      0.00      0.00      0.00     33.33      0.00      0.00      0.00      0.00"
printf 'boot ram=64M\nfrob\n' >x.scn
check 1 "x.scn:2: unknown command 'frob'" "$MMSIM" sar -B 1 x.scn
# The scenario command: INTERVAL advances the clock; without, since the last sar.
scn 0 "" "boot ram=64M
sar -B 1 1
alloc a count=50
free a
drain
tick 500
sar -B"
stdout_has "00:00:01   $SAR_ZEROS"
stdout_has "00:00:01         0.00      0.00      0.00      0.00    100.00      0.00      0.00      0.00      0.00"
scn 1 "x.scn:2: sar: only -B (paging statistics) is shown" "boot ram=64M
sar -r"

# ---------------------------------------------------------------------
# A panic halts the machine: the panic's lines on stdout, the scenario
# stops with one error line and status 1 (docs/oops.md).

scn 1 "x.scn:4: write: the machine halted: Kernel panic - not syncing: sysrq triggered crash" \
"boot ram=64M
spawn app
mmap 64k as buf
write /proc/sysrq-trigger c
echo not reached"
stdout_matches '\[ *[0-9.]+\] Kernel panic - not syncing: sysrq triggered crash'
stdout_matches '\[ *[0-9.]+\] ---\[ end Kernel panic - not syncing: sysrq triggered crash \]---'
if grep -q "not reached" out; then fail "a scenario went on after a panic"; else passed=$((passed + 1)); fi
scn 1 "x.scn:4: destroy: the machine halted: Kernel panic - not syncing: kernel: panic_on_warn set ..." \
"boot ram=64M panic_on_warn=1
cache foo size=64 ctor
cache_alloc o foo
destroy foo
echo not reached"
stdout_matches '\[ *[0-9.]+\] Kernel panic - not syncing: kernel: panic_on_warn set \.\.\.'
scn 0 "" "boot ram=64M
write /proc/sysrq-trigger m
write /proc/sysrq-trigger x
dmesg"
stdout_matches '\[ *[0-9.]+\] sysrq: Show Memory'
stdout_matches '\[ *[0-9.]+\] sysrq: HELP : crash\(c\) memory-full-oom-kill\(f\) show-memory-usage\(m\) '

# ---------------------------------------------------------------------
# Files (tools/cmd_file.c) and procps's views (tools/cmd_view.c): errors
# of the scenario name the line and the problem; what the kernel answers
# is printed in strace's notation and the run goes on.

scn 1 "x.scn:2: open: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
open /f"
scn 1 "x.scn:3: open: 'frob' is not an open flag (rdonly, wronly, rdwr, creat, excl, trunc, append, sync, direct, or O_* names)" "boot ram=64M
spawn a
open /f rdwr,frob"
scn 1 "x.scn:3: open: mode=0999 is not an octal mode (e.g. 0644)" "boot ram=64M
spawn a
open /f creat mode=0999"
scn 1 "x.scn:3: open: usage: open PATH [FLAGS] [mode=MODE] [as VAR]" "boot ram=64M
spawn a
open"
scn 1 "x.scn:3: close: descriptor 'fd': no such variable (set one with 'as NAME')" "boot ram=64M
spawn a
close fd"
scn 1 "x.scn:3: write: size=1Q is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
spawn a
write /data 1Q"
scn 1 "x.scn:3: write: pattern=300 is not a byte (0..255) or offset" "boot ram=64M
spawn a
write /data 4k pattern=300"
scn 1 "x.scn:3: write: unknown argument 'frob'" "boot ram=64M
spawn a
write /data 4k frob=1"
scn 1 "x.scn:2: write: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
write /data 4k"
scn 1 "x.scn:3: read: size=lots is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
spawn a
read /data lots"
scn 1 "x.scn:3: fsync: descriptor '3q' is not a number (e.g. 4096, 0x1000, 4k, buf+0x1000)" "boot ram=64M
spawn a
fsync 3q"
scn 1 "x.scn:3: mmap: a FILE or fd=, not both" "boot ram=64M
spawn a
mmap 4k r private /f fd=3"
scn 1 "x.scn:3: mkdir: mode=9 is not an octal mode (e.g. 0755)" "boot ram=64M
spawn a
mkdir /d mode=9"
scn 1 "x.scn:3: rmdir: usage: rmdir PATH" "boot ram=64M
spawn a
rmdir /d mode=0700"
scn 1 "x.scn:2: drop_caches: '7' is not 1 (page cache), 2 (inodes) or 3 (both)" "boot ram=64M
drop_caches 7"
scn 1 "x.scn:2: free: multiple unit options doesn't make sense." "boot ram=64M
free -m -g"
scn 1 "x.scn:2: vmstat: usage: vmstat [-a] [-n] [DELAY [COUNT]]" "boot ram=64M
vmstat 1 2 3"
scn 1 "x.scn:1: free: no machine (a scenario starts with boot)" "free"
# write to /proc and /sys stays a sysctl write; other paths are files.
scn 0 "" "boot ram=64M
write /proc/sys/vm/min_free_kbytes 2048
cat /proc/sys/vm/min_free_kbytes"
stdout_is "2048"
scn 0 "" "boot ram=64M cpus=1
free
free -w -b"
stdout_has "               total        used        free      shared  buff/cache   available"
stdout_has "               total        used        free      shared     buffers       cache   available"
stdout_matches 'Mem: +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+'
stdout_has "Swap:              0           0           0"
scn 0 "" "boot ram=64M cpus=1
vmstat
tick 1000
vmstat"
stdout_has "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----"
stdout_has " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st"
scn 0 "" "boot ram=64M
spawn a
mkdir /d
unlink /nonexistent"
stdout_matches '\[pid 2\] mkdir\("/d", 0755\) = (0|-1 E[A-Z]+ \(.*\))'
stdout_matches '\[pid 2\] unlink\("/nonexistent"\) = -1 E[A-Z]+ \(.*\)'
scn 0 "" "boot ram=64M
spawn a
open /f wronly,creat,trunc mode=0600 as fd"
stdout_matches '\[pid 2\] openat\(AT_FDCWD, "/f", O_WRONLY\|O_CREAT\|O_TRUNC, 0600\) = .*'

# The file commands end to end (a file on /, one on tmpfs).
scn 0 "" "boot ram=64M
spawn a
open /f rdwr,creat as fd
write \$fd 8k pattern=offset
fsync \$fd
mmap 8k r shared fd=\$fd as m
peek m+8 8
close \$fd
open /g creat as g
mmap 4k rw shared fd=\$g
read /f
read /f 100
ls /f
unlink /f
ls /f
grep /f /proc/self/maps
mkdir /tmp/d
write /tmp/d/x 1M
ls /tmp/d
sync
drop_caches 3
dmesg drop_caches"
stdout_has '[pid 2] openat(AT_FDCWD, "/f", O_RDWR|O_CREAT, 0644) = 0'
stdout_has "[pid 2] 1 x write(0, buf, 8192) = 8192 bytes in 0.000 ms"
stdout_matches '\[pid 2\] fsync\(0\) = 0 <[0-9]+\.[0-9]{3} ms>'
stdout_matches '\[pid 2\] mmap\(NULL, 8192, PROT_READ, MAP_SHARED, 0, 0\) = 0x[0-9a-f]+'
stdout_matches '0x[0-9a-f]+8: 08 00 00 00 00 00 00 00'
stdout_has '[pid 2] openat(AT_FDCWD, "/g", O_RDONLY|O_CREAT, 0644) = 0'
stdout_has "[pid 2] mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 0, 0) = -1 EACCES (Permission denied)"
stdout_has "[pid 2] 1 x read(1, buf, 131072) = 8192 bytes in 0.000 ms, EOF"
stdout_has "[pid 2] 1 x read(1, buf, 100) = 100 bytes in 0.000 ms"
stdout_has "-rw-r--r-- 1 root root 8192 Jan  1 00:00 /f"
stdout_has '[pid 2] unlink("/f") = 0'
stdout_has "ls: cannot access '/f': No such file or directory"
stdout_matches '[0-9a-f]+-[0-9a-f]+ r--s 00000000 fd:00 [0-9]+ +/f \(deleted\)'
stdout_has "[pid 2] 8 x write(1, buf, 131072) = 1048576 bytes in 0.000 ms"
stdout_has "total 1024"
stdout_has "-rw-r--r-- 1 root root 1048576 Jan  1 00:00 x"
stdout_matches '\[pid 2\] sync\(\) = 0 <[0-9]+\.[0-9]{3} ms>'
stdout_matches '\[ *[0-9.]+\] a \(2\): drop_caches: 3'

# ---------------------------------------------------------------------
# Swap and the OOM killer (tools/cmd_swap.c) and procps's views of them
# (tools/cmd_view.c): util-linux's mkswap, swapon, swapoff, choom.

scn 1 "x.scn:2: mkswap: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
mkswap /s 1M"
scn 1 "x.scn:3: mkswap: size=lots is not a size (e.g. 4096, 0x1000, 4k, 8M)" "boot ram=64M
spawn a
mkswap /s lots"
scn 1 "x.scn:3: swapon: 'x' is not a priority (0..32767)" "boot ram=64M
spawn a
swapon /s x"
scn 1 "x.scn:3: swapon: '32768' is not a priority (0..32767)" "boot ram=64M
spawn a
swapon /s 32768"
scn 1 "x.scn:2: swapon: '-a' is not an option (--show, --bytes, -s)" "boot ram=64M
swapon -a"
scn 1 "x.scn:2: swapon: usage: swapon --show [--bytes]" "boot ram=64M
swapon --show -x"
scn 1 "x.scn:2: swapon: no process runs on CPU 0 (spawn or switch first)" "boot ram=64M
swapon /s"
scn 1 "x.scn:2: swapoff: '-a' is not a path (swapoff PATH)" "boot ram=64M
swapoff -a"
scn 1 "x.scn:2: choom: usage: choom -p PID [-n ADJ]" "boot ram=64M
choom -n 5"
scn 1 "x.scn:2: choom: '-x' is not an option (-p PID, -n ADJ)" "boot ram=64M
choom -x 5"
scn 1 "x.scn:2: oom_score_adj: failed to read /proc/99/oom_score_adj: No such file or directory" "boot ram=64M
oom_score_adj 99 5"
scn 1 "x.scn:3: oom_score_adj: failed to parse adjust value: 'x'" "boot ram=64M
spawn a
oom_score_adj 2 x"
scn 1 "x.scn:2: vmstat: '-z' is not an option (-a, -n, -s)" "boot ram=64M
vmstat -z"
scn 1 "x.scn:2: vmstat: a delay needs a count (vmstat DELAY COUNT: the scenario goes on)" "boot ram=64M
vmstat 1"
scn 1 "x.scn:2: vmstat: '0' is not a delay in seconds (1..3600)" "boot ram=64M
vmstat 0 2"
scn 1 "x.scn:2: vmstat: -s takes no other option, delay or count" "boot ram=64M
vmstat -s 1 2"
scn 1 "x.scn:2: free: '-x' is not an option (-b, -k, -m, -g, -h, -t, -w)" "boot ram=64M
free -x"
scn 1 "x.scn:2: free: usage: free NAME [order=N]" "boot ram=64M
free a b c"

# What they print.
scn 0 "" "boot ram=64M
spawn a as a
mkswap /swapfile 4M
mkswap /swapfile
mkswap /small 16k
mkswap /none
swapon /swapfile 10
swapon /swapfile
choom -p \$a
oom_score_adj \$a 500
oom_score_adj \$a 1001
choom -p \$a -n -1000
expect /proc/\$a/oom_score_adj contains -1000
vmstat 2 3
vmstat -n
vmstat -n 1 2
vmstat -a
free -t
vmstat -s"
stdout_has "Setting up swapspace version 1, size = 4 MiB (4190208 bytes)"
stdout_matches "no label, UUID=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
stdout_has "mkswap: error: swap area needs to be at least 40 KiB"
stdout_has "mkswap: cannot open /none: No such file or directory"
stdout_has '[pid 2] swapon("/swapfile", SWAP_FLAG_PREFER|10) = 0'
stdout_has '[pid 2] swapon("/swapfile", 0) = -1 EBUSY (Device or resource busy)'
stdout_matches "pid 2's current OOM score: [0-9]+"
stdout_has "pid 2's current OOM score adjust value: 0"
stdout_has "pid 2's OOM score adjust value changed from 0 to 500"
stdout_has "choom: failed to set score adjust value: Invalid argument"
stdout_has "pid 2's OOM score adjust value changed from 500 to -1000"
stdout_has " r  b   swpd   free  inact active   si   so    bi    bo   in   cs us sy id wa st"
stdout_matches "Total: +[0-9]+ +[0-9]+ +[0-9]+"
stdout_matches " +[0-9]+ K paged in"
stdout_matches " +2 forks"
# One header per vmstat, none for a vmstat -n that continues; a line a DELAY.
if [ "$(grep -c '^procs ---' out)" != 2 ] || [ "$(grep -c '^ *[0-9]\+ \+[0-9]\+ \+[0-9]\+ ' out)" != 7 ]; then
	fail "vmstat 2 3, -n, -n 1 2, -a: want 2 headers and 7 lines" "$(cat out)"
else
	passed=$((passed + 1))
fi
# swapon --show and swapoff on a swap file; the kernel's refusals are output.
scn 0 "" "boot ram=64M
spawn a
mkswap /sw 2M
write /plain 1M
swapon /plain
swapon /sw 7
swapon --show
swapon --show --bytes
swapon -s
swapoff /sw
swapoff /sw
echo after
swapon --show"
stdout_has '[pid 2] swapon("/plain", 0) = -1 EINVAL (Invalid argument)'
stdout_has "NAME TYPE SIZE USED PRIO"
stdout_has "/sw  file   2M   0B    7"
stdout_has "/sw  file 2093056    0    7"
stdout_matches '/sw +file		2044		0		7'
stdout_matches '\[pid 2\] swapoff\("/sw"\) = 0 <[0-9]+\.[0-9]{3} ms>'
stdout_has '[pid 2] swapoff("/sw") = -1 EINVAL (Invalid argument)'
if [ "$(sed -n '/^after$/,$p' out | wc -l)" != 1 ]; then
	fail "swapon --show with no area prints nothing" "$(cat out)"
else
	passed=$((passed + 1))
fi
# sar -B under reclaim: pgsteal/s is pgsteal_anon + pgsteal_file (Linux counts a
# reclaimed page twice), so %vmeff never passes 100.
run "$MMSIM" sar -B 1 "$SRC/examples/swap.scn"
if [ "$status" -ne 0 ] || ! awk 'NR > 3 && $NF + 0 > 100 { bad = 1 } NR > 3 && $7 + 0 > 0 { seen = 1 }
				END { exit bad || !seen }' out; then
	fail "sar -B 1 examples/swap.scn: %vmeff above 100 or no pgscank" "$(cat out)"
else
	passed=$((passed + 1))
fi
# The same UUID for the same path and size, every run.
run "$MMSIM" run x.scn
uuid1=$(grep UUID out)
run "$MMSIM" run x.scn
[ "$uuid1" = "$(grep UUID out)" ] && passed=$((passed + 1)) || fail "mkswap's UUID differs between runs"

# ---------------------------------------------------------------------
# The examples run cleanly.
# The examples run cleanly, and the same every time.

for f in "$SRC"/examples/*.scn; do
	check 0 "" "$MMSIM" run "$f"
	if ! grep -q "^check: ok$" out; then
		fail "$f: no 'check: ok'"
	fi
	mv out out.first
	run "$MMSIM" run "$f"
	if ! cmp -s out.first out; then
		fail "$f: a second run prints other bytes" \
		     "$(diff out.first out | head -4 | tr '\n' ' ')"
	fi
done

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
