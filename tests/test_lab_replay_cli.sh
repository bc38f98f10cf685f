#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_lab_replay_cli.sh - `mmsim replay`'s command line and outputs
# (docs/lab.md): the JSON lines parse (python3's json) and hold lab.h's
# fields, the CSV has merge's columns, --mrc agrees with simulation, and
# every error is one line on stderr with its exit status and no output
# file left behind.
#
#   sh tests/test_lab_replay_cli.sh <mmsim-binary> <source-dir>

MMSIM=${1:?usage: test_lab_replay_cli.sh MMSIM SRCDIR}
SRC=${2:?usage: test_lab_replay_cli.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$PWD/$MMSIM ;; esac
case $SRC in /*) ;; *) SRC=$PWD/$SRC ;; esac
LACKEY=$SRC/tests/data/lab/ls.lackey.zst
ORACLE=$SRC/tests/data/lab/small.oracleGeneral.zst

command -v python3 >/dev/null || { echo "python3 missing (scripts/install-deps.sh test)"; exit 1; }
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

passed=0
failed=0
check() {	# check NAME COND-STATUS
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

# python3 CODE FILE: run a check on a file of JSON lines (exit status = result)
pycheck() {
	python3 - "$2" <<PY
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
$1
PY
}

# --- kernel mode: two policies, JSON + CSV + kmsg ---
"$MMSIM" replay "$LACKEY" --spec "ram=64M swap=32M" --policy classic,mglru --interval 0.1 \
	--json k.json --csv k.csv --kmsg k.log --quiet >out 2>err
check "kernel mode exits 0" $?
check "kernel mode: nothing on stderr" "$([ -s err ] && echo 1 || echo 0)"
pycheck '
need = ["mmsim_lab", "mode", "trace", "format", "policy", "spec", "faults", "minor_faults",
        "major_faults", "pswpin", "pswpout", "refaults", "oom_kills", "tlb_hits", "tlb_misses",
        "tlb_hit_ratio", "virtual_seconds", "requests", "miss_ratio", "wall_seconds",
        "requests_per_second", "series"]
assert len(runs) == 2, len(runs)
assert [r["policy"] for r in runs] == ["classic", "mglru"]
for r in runs:
    miss = [k for k in need if k not in r]
    assert not miss, miss
    assert r["mode"] == "kernel" and r["format"] == "lackey"
    assert r["requests"] == 201479 and r["faults"] == r["minor_faults"] + r["major_faults"]
    assert r["faults"] >= r["misses"] > 0
    s = r["series"]
    for k in ["t", "faults", "major_faults", "pswpin", "pswpout", "rss_pages", "active_pages",
              "inactive_pages", "free_pages", "swap_used_pages", "free_by_order"]:
        assert len(s[k]) == len(s["t"]) > 1, k
    assert s["interval_ns"] == 100000
    assert sum(s["faults"]) == r["faults"]
' k.json
check "kernel JSON fields" $?
head -1 k.csv | grep -qx 'mode,trace,format,policy,size_pages,spec,requests,hits,misses,miss_ratio,faults,minor_faults,major_faults,pswpin,pswpout,refaults,oom_kills,tlb_hits,tlb_misses,tlb_hit_ratio,virtual_seconds,wall_seconds,requests_per_second'
check "CSV header = merge's columns" $?
[ "$(wc -l < k.csv)" -eq 3 ]
check "CSV: a row per run" $?
[ -e k.log ] && ! ls ./*.tmp >/dev/null 2>&1
check "kmsg file written, no temporary left" $?
grep -q '^classic ' out && grep -q '^mglru ' out
check "kernel table on stdout" $?

# --- --report: the page is written (the report's own tests check what it draws) ---
"$MMSIM" replay "$LACKEY" --spec "ram=64M" --quiet --report r.html >/dev/null 2>err &&
	grep -q '<html' r.html && [ ! -s err ]
check "--report writes the page" $?

# --- --sysctl: an OOM with vm.panic_on_oom=1 halts the machine; the run stops there ---
seq 0 12287 > oom.txt
"$MMSIM" replay oom.txt --spec "ram=32M" --sysctl vm.panic_on_oom=1 --quiet --json h.json --kmsg h.log >/dev/null 2>err
st=$?
[ $st -eq 0 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q 'halted' err && grep -q 'panic_on_oom is enabled' h.log &&
	pycheck 'assert runs[0]["halted"] is True and 0 < runs[0]["requests"] < 12288' h.json
check "--sysctl vm.panic_on_oom=1: halted, one line ($st: $(cat err))" $?
"$MMSIM" replay oom.txt --sysctl vm.nosuch=1 --json bad.json >/dev/null 2>err
st=$?
[ $st -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q '^mmsim: replay: --sysctl vm.nosuch=1: ' err && [ ! -e bad.json ]
check "unknown sysctl -> one line, exit 1 ($st: $(cat err))" $?

# --- cache mode: policies x sizes, --mrc ---
"$MMSIM" replay "$ORACLE" --cache-mode --policy lru,fifo,opt --size 8,64,512 --mrc --json c.json >out 2>err
check "cache mode exits 0" $?
pycheck '
assert len(runs) == 9, len(runs)
for r in runs:
    for k in ["mode", "trace", "format", "policy", "size_pages", "requests", "misses", "hits",
              "miss_ratio", "wall_seconds", "requests_per_second"]:
        assert k in r, k
    assert r["mode"] == "cache" and r["hits"] + r["misses"] == r["requests"]
by = {(r["policy"], r["size_pages"]): r["misses"] for r in runs}
for s in [8, 64, 512]:
    assert by[("opt", s)] <= by[("lru", s)] and by[("opt", s)] <= by[("fifo", s)], s
m = runs[0]["mrc"]
assert m["method"] == "mattson" and m["sizes"] == [8, 64, 512]
assert m["misses"] == [by[("lru", s)] for s in [8, 64, 512]]
assert runs[3]["mrc"]["method"] == "simulation"
' c.json
check "cache JSON fields, OPT lowest, MRC = per-size misses" $?
"$MMSIM" replay "$ORACLE" --cache-mode --policy lru --size 8,64,512 --json s.json >/dev/null 2>&1 &&
python3 -c '
import json, sys
a = [json.loads(l)["misses"] for l in open("s.json")]
b = [json.loads(l)["misses"] for l in open("c.json")][:3]
sys.exit(a != b)'
check "--mrc (Mattson) equals simulated LRU" $?
"$MMSIM" replay --policy help | grep -q '^lru '
check "--policy help lists lru" $?

# --- errors: one line, status, no output left ---
python3 -c '
import struct
with open("bad.oracleGeneral", "wb") as f:
    for i in range(5): f.write(struct.pack("<IQIq", i, i % 3, 4096, -1))
    f.write(b"12345")'
for mode in kernel cache; do
	extra=""
	[ $mode = cache ] && extra="--cache-mode --policy lru --size 4"
	"$MMSIM" replay bad.oracleGeneral $extra --json bad.json --csv bad.csv >/dev/null 2>err
	st=$?
	[ $st -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q '^bad.oracleGeneral:5: ' err &&
		[ ! -e bad.json ] && [ ! -e bad.csv ] && ! ls ./*.tmp >/dev/null 2>&1
	check "$mode: bad trace -> one line, exit 1, no output ($st: $(cat err))" $?
done
"$MMSIM" replay bad.oracleGeneral --spec "ram=12Q" --json bad.json >/dev/null 2>err
st=$?
[ $st -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "^mmsim: replay: boot \"cpus=1 ram=12Q lru=classic\": 'ram=12Q'" err && [ ! -e bad.json ]
check "bad spec -> one line, exit 1 ($st: $(cat err))" $?
"$MMSIM" replay "$ORACLE" --policy nosuch --json bad.json >/dev/null 2>err
st=$?
[ $st -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q "lru=nosuch" err && [ ! -e bad.json ]
check "unknown kernel policy -> one line, exit 1 ($st: $(cat err))" $?
for args in "--bogus" "$ORACLE --cache-mode --policy nosuch --size 4" "$ORACLE --cache-mode --policy lru --size 0" \
	"$ORACLE --size 4" "$ORACLE --interval x" "$ORACLE --format nosuch" "$ORACLE --sysctl novalue" \
	"$ORACLE --cache-mode --policy lru --size 4 --sysctl vm.swappiness=1"; do
	# shellcheck disable=SC2086
	"$MMSIM" replay $args >/dev/null 2>err
	st=$?
	[ $st -eq 2 ] && [ "$(wc -l < err)" -eq 1 ] && grep -q '^mmsim: replay: ' err
	check "'$args' -> one line, exit 2 ($st: $(cat err))" $?
done

echo "lab replay cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
