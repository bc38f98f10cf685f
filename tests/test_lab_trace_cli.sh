#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_lab_trace_cli.sh - `mmsim trace info|head|convert`
# (tools/lab/cmd_trace.c, docs/trace-formats.md).
#
#   sh tests/test_lab_trace_cli.sh <mmsim-binary> <source-dir>
#
# The expected figures of the shipped trace (tests/data/lab/ls.lackey.zst)
# are computed here from its text with zstd, grep, sed and sort, not taken
# from mmsim: records, reads, writes, fetches, distinct pages, the first
# records, and the page id of each of the first 2000 accesses.  Conversions
# chain through every writer and come back to the same ids.  Bad input:
# exit 1, one exact line on stderr, no output file (nor a temporary one)
# and an existing output left as it was; bad command lines: exit 2.
#
# Prints one line per failure and "lab_trace_cli: N passed, N failed".

MMSIM=${1:?usage: test_lab_trace_cli.sh MMSIM SRCDIR}
SRC=${2:?usage: test_lab_trace_cli.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$PWD/$MMSIM ;; esac
case $SRC in /*) ;; *) SRC=$PWD/$SRC ;; esac
DATA=$SRC/tests/data/lab

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

ok() { passed=$((passed + 1)); }

# check STATUS MESSAGE CMD...: exit status and the exact stderr (one line, or none).
check() {
	want_status=$1
	want_err=$2
	shift 2
	"$@" >out 2>err </dev/null
	status=$?
	got_err=$(cat err)
	lines=$(wc -l <err)
	want_lines=1
	[ -z "$want_err" ] && want_lines=0
	if [ "$status" -ne "$want_status" ] || [ "$got_err" != "$want_err" ] ||
	   [ "$lines" -ne "$want_lines" ]; then
		fail "$*" "status $status, want $want_status" "stderr: $got_err" "want:   $want_err"
	else
		ok
	fi
}

# stdout_has LINE: the last command's stdout has this exact line.
stdout_has() {
	if grep -qxF -- "$1" out; then ok; else fail "stdout lacks: $1" "$(head -20 out)"; fi
}

# same A B WHAT: files A and B are equal.
same() {
	if cmp -s "$1" "$2"; then ok; else fail "$3: $1 and $2 differ"; fi
}

# no_output NAME: neither NAME nor a temporary NAME.tmp* exists.
no_output() {
	if [ -e "$1" ] || ls "$1".tmp* >/dev/null 2>&1; then
		fail "$1 (or a temporary) was left behind"
	else
		ok
	fi
}

# The shipped trace, by hand.
zstd -dcq "$DATA/ls.lackey.zst" | grep -v '^==' >raw.txt
nI=$(grep -c '^I ' raw.txt)
nL=$(grep -c '^ L ' raw.txt)
nS=$(grep -c '^ S ' raw.txt)
nM=$(grep -c '^ M ' raw.txt)
records=$((nI + nL + nS + 2 * nM))
reads=$((nI + nL + nM))
writes=$((nS + nM))
# The page of "  L 1ffefff6f8,8" is its address less the last three hex digits.
sed 's/^.. *\([0-9a-f]*\),.*/\1/; s/...$//; s/^0*//; s/^$/0/' raw.txt >pages.hex
pages=$(sort -u pages.hex | wc -l)
[ "$records" -gt 100000 ] && [ "$pages" -gt 10 ] && ok || fail "raw trace figures: $records records, $pages pages"

check 0 "" "$MMSIM" trace info "$DATA/ls.lackey.zst"
stdout_has "format:      lackey"
stdout_has "records:     $records"
stdout_has "accesses:    $records (reads $reads, of them ifetch $nI; writes $writes)"
stdout_has "pids:        1"
stdout_has "pages:       $pages"
check 0 "" "$MMSIM" trace info "$DATA/small.oracleGeneral.zst"
stdout_has "format:      oracleGeneral"
stdout_has "records:     $records"
stdout_has "ids:         $pages"

# head: the first access lines, as the text says them.
check 0 "" "$MMSIM" trace head "$DATA/ls.lackey.zst" -n 3
[ "$(wc -l <out)" -eq 3 ] && ok || fail "head -n 3 printed $(wc -l <out) lines"
i=0
head -3 raw.txt | while read -r op rest; do
	addr=${rest%,*}
	len=${rest#*,}
	case $op in I) kind=read ;; L) kind=read ;; S) kind=write ;; M) kind=read ;; esac
	addr=$(printf '%x' "0x$addr")
	page=$(printf '%x' $((0x$addr >> 12)))
	want=$(printf '%d\tt=0\tpid=1\t%s\t0x%s+%d\tpage=0x%s' $i $kind "$addr" "$len" "$page")
	[ "$op" = I ] && want=$(printf '%s\tifetch' "$want")
	sed -n "$((i + 1))p" out >line
	printf '%s\n' "$want" >want
	cmp -s line want || echo "head line $i: '$(cat line)' want '$want'" >>head.fail
	i=$((i + 1))
done
[ -s head.fail ] && fail "$(cat head.fail)" || ok
check 0 "" "$MMSIM" trace head "$DATA/ls.lackey.zst"
[ "$(wc -l <out)" -eq 10 ] && ok || fail "head printed $(wc -l <out) lines, not 10"
check 0 "" "$MMSIM" trace head "$DATA/small.oracleGeneral.zst" -n 0
[ -s out ] && fail "head -n 0 printed something" || ok

# convert: lackey -> mmsim -> csv -> oracleGeneral.zst -> txt; the ids are the pages.
check 0 "" "$MMSIM" trace convert "$DATA/ls.lackey.zst" -o a.mmsim --to mmsim
check 0 "" "$MMSIM" trace info a.mmsim
stdout_has "format:      mmsim"
stdout_has "accesses:    $records (reads $reads, of them ifetch $nI; writes $writes)"
check 0 "" "$MMSIM" trace convert a.mmsim -o b.csv --to csv
[ "$(head -1 b.csv)" = "time,id,size" ] && ok || fail "b.csv header: $(head -1 b.csv)"
check 0 "" "$MMSIM" trace convert b.csv -o c.oracleGeneral.zst --to oracleGeneral
[ "$(od -An -tx1 -N4 c.oracleGeneral.zst | tr -d ' ')" = "28b52ffd" ] && ok ||
	fail "c.oracleGeneral.zst is not zstd"
check 0 "" "$MMSIM" trace convert c.oracleGeneral.zst -o d.txt --to txt
[ "$(wc -l <d.txt)" -eq "$records" ] && ok || fail "d.txt has $(wc -l <d.txt) lines, want $records"
# The first 2000 accesses' pages, by hand (an M line is two accesses).
head -2000 raw.txt | sed 's/^ *\([ILSM]\) *\([0-9a-f]*\),.*/\1 \2/' |
	while read -r op addr; do
		p=$((0x$addr >> 12))
		echo "$p"
		[ "$op" = M ] && echo "$p"
	done | head -2000 >want.ids
head -2000 d.txt >got.ids
same got.ids want.ids "first 2000 page ids"
check 0 "" "$MMSIM" trace convert "$DATA/small.oracleGeneral.zst" -o e.txt --to txt
same d.txt e.txt "the shipped oracleGeneral against the conversion"
check 0 "" "$MMSIM" trace convert d.txt -o f.oracleGeneral --to oracleGeneral --format txt
[ "$(wc -c <f.oracleGeneral)" -eq $((24 * records)) ] && ok || fail "f.oracleGeneral size"

# Bad input: one line, exit 1, nothing written.
printf 'I  0401ab70,3\n L 1ffefff6f8,8\n S 1zz,8\n' >bad.lackey
check 1 "mmsim: bad.lackey:3: bad hex address '1zz'" "$MMSIM" trace convert bad.lackey -o out.mmsim --to mmsim
no_output out.mmsim
check 1 "mmsim: bad.lackey:3: bad hex address '1zz'" "$MMSIM" trace info bad.lackey
printf 'keep' >kept.csv
check 1 "mmsim: bad.lackey:3: bad hex address '1zz'" "$MMSIM" trace convert bad.lackey -o kept.csv --to csv
[ "$(cat kept.csv)" = keep ] && ok || fail "kept.csv was changed"
ls kept.csv.tmp* >/dev/null 2>&1 && fail "a temporary kept.csv.tmp* was left" || ok
head -c 100 f.oracleGeneral >cut.oracleGeneral
check 1 "mmsim: cut.oracleGeneral:4: truncated record" "$MMSIM" trace convert cut.oracleGeneral -o o.txt --to txt
no_output o.txt
head -c 3000 c.oracleGeneral.zst >cut.oracleGeneral.zst
"$MMSIM" trace convert cut.oracleGeneral.zst -o p.txt --to txt >out 2>err
status=$?
if [ $status -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] &&
   grep -qE '^mmsim: cut.oracleGeneral.zst:[0-9]+: truncated zstd frame$' err; then ok
else fail "truncated .zst: status $status, stderr $(cat err)"; fi
no_output p.txt
check 1 "mmsim: nonexistent: No such file or directory" "$MMSIM" trace info nonexistent
printf 'time,id,size\n1,2,3\n1,2,x\n' >bad.csv
check 1 "mmsim: bad.csv:3: bad size 'x'" "$MMSIM" trace head bad.csv -n 5
[ "$(wc -l <out)" -eq 1 ] && ok || fail "head printed $(wc -l <out) good lines before the bad one, not 1"

# Bad command lines: exit 2.
check 2 "mmsim: trace: missing subcommand (info, head or convert)" "$MMSIM" trace
check 2 "mmsim: trace: unknown subcommand 'tail' (info, head or convert)" "$MMSIM" trace tail x
check 2 "mmsim: trace: info: missing TRACE" "$MMSIM" trace info
check 2 "mmsim: trace: -n 'ten': not a count" "$MMSIM" trace head x -n ten
check 2 "mmsim: trace: convert: needs -o OUT and --to FORMAT" "$MMSIM" trace convert x -o y
check 2 "mmsim: trace: --to 'lackey': not a format mmsim writes (mmsim, csv, txt, oracleGeneral)" \
	"$MMSIM" trace convert x -o y --to lackey
check 2 "mmsim: trace: --format 'nope': unknown format (auto, mmsim, lackey, csv, txt, oracleGeneral)" \
	"$MMSIM" trace info x --format nope
check 2 "mmsim: trace: unknown option '--bogus'" "$MMSIM" trace info x --bogus
check 2 "mmsim: --format: format option 'bogus': unknown (time-col, obj-id-col, obj-size-col, delimiter, has-header, obj-id-is-num, ifetch)" \
	"$MMSIM" trace info bad.csv --format csv:bogus=1
no_output y

echo "lab_trace_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
