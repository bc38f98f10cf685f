#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_lab_sweep.sh - `mmsim sweep` and `mmsim merge` end to end.
#
#   sh tests/test_lab_sweep.sh <mmsim-binary> <source-dir>
#
#   1. A cache-mode sweep of 2 traces (one with a space and a quote in its
#      name) x 2 policies x 3 sizes ("4,8" and "16": both list forms) writes
#      12 job lines, distinct result files, a Slurm array script of 12 tasks
#      that bash accepts, and a README.
#   2. The 12 jobs run under GNU parallel (Debian's parallel;
#      scripts/install-deps.sh test); `mmsim merge` makes a CSV of 12 rows
#      whose (trace, policy, size) are exactly the grid, and a report.
#      The jobs run the real `mmsim replay`; the LRU rows' misses must
#      equal an LRU simulated here in awk.
#   3. Slurm's script runs its task's line (SLURM_ARRAY_TASK_ID=5).
#   4. Kernel mode: sizes substituted into the spec template.
#   5. Bad input: a malformed or foreign JSON line -> one line
#      "FILE:LINE: ..." on stderr, exit 1, no CSV, no report, no temporary
#      file; bad command lines -> exit 2; a missing trace -> exit 1.

MMSIM=${1:?usage: test_lab_sweep.sh MMSIM SRCDIR}
SRC=${2:?usage: test_lab_sweep.sh MMSIM SRCDIR}

fail() {
	echo "test_lab_sweep: $*"
	exit 1
}

command -v parallel >/dev/null 2>&1 ||
	fail "GNU parallel not found (scripts/install-deps.sh test installs it)"
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

# Two small traces in libCacheSim's txt format (one page id per line).
awk 'BEGIN { for (i = 0; i < 300; i++) print (i * 7) % 23 }' >a.txt
awk 'BEGIN { for (i = 0; i < 200; i++) print (i % 3 ? i % 11 : i % 29) }' >"b it's.txt"

# --- 1. the sweep ---
"$MMSIM" sweep --traces a.txt "b it's.txt" --policies lru fifo --sizes 4,8 16 \
	--cache-mode -o out >sweep.out 2>sweep.err ||
	fail "sweep: exit $?: $(cat sweep.err)"
[ "$(wc -l <out/jobs.txt)" -eq 12 ] || fail "jobs.txt: $(wc -l <out/jobs.txt) lines, expected 12"
[ "$(grep -o -- '--json [^ ]*' out/jobs.txt | sort -u | wc -l)" -eq 12 ] ||
	fail "jobs.txt: the 12 jobs do not write 12 distinct files"
grep -q -- '--array=1-12$' out/slurm.sh || fail "slurm.sh: no --array=1-12"
bash -n out/slurm.sh || fail "slurm.sh: not valid bash"
grep -q 'parallel' sweep.out && grep -q 'sbatch' sweep.out && grep -q 'merge' sweep.out ||
	fail "sweep did not print how to run: $(cat sweep.out)"
cmp -s sweep.out out/README || fail "README differs from what sweep printed"
[ -d out/results ] && [ -d out/logs ] || fail "no results/ or logs/"

# --- 2. parallel, then merge ---
parallel --will-cite --jobs 2 <out/jobs.txt >parallel.out 2>&1 ||
	fail "parallel: $(head -5 parallel.out)"
[ "$(ls out/results | wc -l)" -eq 12 ] || fail "$(ls out/results | wc -l) result files, expected 12"
"$MMSIM" merge out -o runs.csv --report report.html >merge.out 2>merge.err ||
	fail "merge: $(cat merge.err)"
[ "$(head -1 runs.csv | cut -d, -f1-6)" = "mode,trace,format,policy,size_pages,spec" ] ||
	fail "runs.csv header: $(head -1 runs.csv)"
[ "$(($(wc -l <runs.csv) - 1))" -eq 12 ] || fail "runs.csv: $(($(wc -l <runs.csv) - 1)) rows, expected 12"
[ -s report.html ] || fail "no report.html"
# (trace, policy, size) of the rows are exactly the grid (trace paths are
# absolute; none holds a comma or a double quote, so no cell is quoted).
tail -n +2 runs.csv | awk -F, '{ n = split($2, p, "/"); print p[n] "|" $4 "|" $5 }' |
	sort >got.txt
for t in a.txt "b it's.txt"; do for p in lru fifo; do for s in 4 8 16; do
	echo "$t|$p|$s"
done; done; done | sort >want.txt
cmp -s got.txt want.txt || fail "the CSV's runs are not the grid: $(diff want.txt got.txt | head -5)"
# LRU misses, simulated independently: a list ordered by recency.
for t in a.txt "b it's.txt"; do for s in 4 8 16; do
	want=$(awk -v C="$s" '{
		id = $1; hit = 0
		for (i = 1; i <= n; i++) if (q[i] == id) { hit = i; break }
		if (!hit) { miss++; if (n == C) n--; hit = n + 1; n++ }
		for (i = hit; i > 1; i--) q[i] = q[i - 1]
		q[1] = id
	} END { print miss + 0 }' "$t")
	got=$(awk -F, -v T="$t" -v S="$s" '{ k = split($2, p, "/") }
		p[k] == T && $4 == "lru" && $5 == S { print $9 }' runs.csv)
	[ "$got" = "$want" ] || fail "$t lru size $s: $got misses, awk's LRU says $want"
done; done

# --- 3. Slurm's script runs its task's line ---
rm -f out/results/*
SLURM_ARRAY_TASK_ID=5 bash out/slurm.sh >slurm.out 2>&1 || fail "slurm.sh task 5: $(cat slurm.out)"
line5=$(sed -n 5p out/jobs.txt | grep -o -- '--json [^ ]*' | sed "s/--json //; s/^'//; s/'\$//")
[ "$(ls out/results | wc -l)" -eq 1 ] && [ -s "$line5" ] ||
	fail "slurm.sh task 5 did not write $line5"

# --- 4. kernel mode: the spec template ---
"$MMSIM" sweep --traces a.txt --policies classic mglru --sizes 64M,128M -o kern \
	--spec-template "ram={size} swap={size}" >/dev/null 2>kern.err ||
	fail "kernel sweep: $(cat kern.err)"
[ "$(wc -l <kern/jobs.txt)" -eq 4 ] || fail "kernel jobs.txt: $(wc -l <kern/jobs.txt) lines"
grep -q -- "--spec 'ram=128M swap=128M' --policy mglru" kern/jobs.txt ||
	fail "kernel jobs.txt lacks the substituted spec: $(sed -n 4p kern/jobs.txt)"
"$MMSIM" sweep --traces a.txt --policies lru --sizes 1G -o kern2 >/dev/null 2>&1 &&
	grep -q -- "--spec 'ram=1G swap=1G'" kern2/jobs.txt || fail "the default template"

# --- 5. bad input ---
expect() {	# expect STATUS PATTERN WHAT COMMAND...: exit STATUS, one line on stderr
	want=$1 pat=$2 what=$3
	shift 3
	"$@" >/dev/null 2>bad.err
	got=$?
	[ "$got" -eq "$want" ] || fail "$what: exit status $got, expected $want"
	[ "$(wc -l <bad.err)" -eq 1 ] && grep -qE -- "$pat" bad.err ||
		fail "$what: stderr is not one line matching '$pat': $(cat bad.err)"
}
mkdir -p bad/results
awk 'BEGIN { print "{\"mmsim_lab\":1,\"mode\":\"cache\",\"trace\":\"x\",\"policy\":\"lru\",\"size_pages\":4}" }' \
	>bad/results/a.json
{ cat bad/results/a.json; echo; echo '{"mmsim_lab":1,"mode":"cache",'; } >bad/results/b.json
expect 1 '^bad/results/b\.json:3: invalid JSON' "malformed JSON" \
	"$MMSIM" merge bad -o bad.csv --report bad.html
[ ! -e bad.csv ] && [ ! -e bad.html ] || fail "malformed JSON: an output file was written"
[ -z "$(ls | grep -E '^bad\.(csv|html)\.')" ] || fail "a temporary file was left behind"
echo '[1, 2]' >bad/results/b.json
expect 1 '^bad/results/b\.json:1: not a JSON object' "a JSON array" "$MMSIM" merge bad -o bad.csv
echo '{"mode":"cache"}' >bad/results/b.json
expect 1 '^bad/results/b\.json:1: not an mmsim lab result' "a foreign object" \
	"$MMSIM" merge bad -o bad.csv
[ ! -e bad.csv ] || fail "bad input: bad.csv was written"
mkdir -p empty/results
expect 1 'empty/results: no results' "an empty results/" "$MMSIM" merge empty -o e.csv
expect 2 'usage: mmsim merge' "merge without arguments" "$MMSIM" merge
expect 2 "--sizes: '0' is not a page count" "size 0" \
	"$MMSIM" sweep --traces a.txt --policies lru --sizes 0 --cache-mode -o x
expect 2 'has no [{]size[}]' "a template without {size}" \
	"$MMSIM" sweep --traces a.txt --policies lru --sizes 4 -o x --spec-template "ram=1G"
expect 2 '--policies needs' "an empty list" \
	"$MMSIM" sweep --traces a.txt --policies --sizes 4 -o x
expect 1 '^mmsim: sweep: nosuch\.txt: ' "a missing trace" \
	"$MMSIM" sweep --traces nosuch.txt --policies lru --sizes 4 --cache-mode -o x
[ ! -e x ] || fail "a failed sweep made its output directory"

echo "test_lab_sweep: 12 jobs through parallel and merge (real replay, LRU misses checked)"
