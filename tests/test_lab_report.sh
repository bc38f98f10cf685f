#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_lab_report.sh - the lab's HTML report in a real browser.
#
#   sh tests/test_lab_report.sh <mmsim-binary> <source-dir>
#
# Builds a report with `mmsim merge` from the hand-written runs of
# tests/data/lab/*.json (two kernel-mode runs with series, nine cache-mode
# runs of three policies at three sizes, LRU's with an "mrc", and one run
# whose trace name holds "</script><!--"), then loads it in headless
# Chromium (Debian's chromium; scripts/install-deps.sh test) twice:
#   --dump-dom: the page's status element must say every chart was made and
#	drawn (report_page.js sets data-drawn on ECharts' 'finished') and no
#	error was recorded (window errors, console.error: the recorder in the
#	page's <head>, tools/lab/report.c) and nothing was fetched (the page's
#	performance entries; host names resolve nowhere); each chart says
#	data-drawn="1"; the odd trace name is shown as text.
#   --screenshot: a PNG of the page, kept with the page and the logs in
#	./lab-report/ (ctest runs in the build directory), bigger than a
#	blank page; Chromium's log (--enable-logging) has no console line.
# The expected chart count is derived from the fixtures, not read from the
# page: per kernel run with a full series 4 (fault rates, memory, free-order
# heat map, swap) = 8; one miss-ratio chart (the mrc and the cache-mode
# points); cache bars for the one trace with 2+ policies (the odd trace has
# one) = 1; kernel bars (classic vs mglru) = 1: 11.
# Then a copy of the page with a deliberate error must show data-errors=1,
# so the recorder itself is checked.  Chromium runs as root in CI:
# --no-sandbox.  About 15-25 s on a 2-core host.

MMSIM=${1:?usage: test_lab_report.sh MMSIM SRCDIR}
SRC=${2:?usage: test_lab_report.sh MMSIM SRCDIR}
EXPECT_CHARTS=11
OUT=$PWD/lab-report

fail() {
	echo "test_lab_report: $*"
	exit 1
}

command -v chromium >/dev/null 2>&1 ||
	fail "chromium not found (scripts/install-deps.sh test installs it)"
rm -rf "$OUT"
mkdir -p "$OUT/sweep/results" || exit 1
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

cp "$SRC"/tests/data/lab/*.json "$OUT/sweep/results/" || exit 1
"$MMSIM" merge "$OUT/sweep" -o "$OUT/runs.csv" --report "$OUT/report.html" \
	>"$OUT/merge.out" 2>&1 || fail "merge: $(cat "$OUT/merge.out")"
[ -s "$OUT/report.html" ] || fail "no report.html"
rows=$(($(wc -l <"$OUT/runs.csv") - 1))
[ "$rows" -eq 12 ] || fail "runs.csv: $rows rows, expected 12"

chrome() {	# chrome PAGE ARGS...
	page=$1
	shift
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$TMP/profile" --virtual-time-budget=5000 \
		--host-resolver-rules="MAP * ~NOTFOUND" "$@" \
		"file://$page"
}

chrome "$OUT/report.html" --dump-dom >"$OUT/dom.html" 2>"$OUT/chromium-dom.log" ||
	fail "chromium --dump-dom failed (see $OUT/chromium-dom.log)"
status=$(grep -o '<div id="mmsim-status"[^>]*>' "$OUT/dom.html")
[ -n "$status" ] || fail "no #mmsim-status in the dumped DOM"
attr() {
	echo "$status" | sed -n "s/.* $1=\"\\([^\"]*\\)\".*/\\1/p"
}
[ "$(attr data-done)" = 1 ] || fail "the page script did not finish: $status"
[ "$(attr data-resources)" = 0 ] ||
	fail "the page loaded $(attr data-resources) resources: not self-contained"
[ "$(attr data-errors)" = 0 ] ||
	fail "errors in the page: $(sed -n 's/.*<pre id="mmsim-errors"[^>]*>\([^<]*\)<.*/\1/p' "$OUT/dom.html")"
[ "$(attr data-charts)" = "$EXPECT_CHARTS" ] ||
	fail "$(attr data-charts) charts made, expected $EXPECT_CHARTS: $status"
[ "$(attr data-drawn)" = "$EXPECT_CHARTS" ] ||
	fail "$(attr data-drawn) of $EXPECT_CHARTS charts drawn: $status"
drawn=$(grep -o 'data-chart="[^"]*" data-drawn="1"' "$OUT/dom.html" | wc -l)
[ "$drawn" -eq "$EXPECT_CHARTS" ] ||
	fail "$drawn chart containers say data-drawn=1, expected $EXPECT_CHARTS"
grep -q 'script&gt;&lt;!-- name.txt' "$OUT/dom.html" ||
	fail "the trace name with </script><!-- is not shown as text"
# The MRC: LRU's curve once (all three LRU runs carry it, as replay --mrc
# writes it) and the three policies' points: 4 series.
grep -q 'data-chart="Miss ratio vs cache size" data-drawn="1" data-series="4"' "$OUT/dom.html" ||
	fail "the miss-ratio chart: $(grep -o 'data-chart="Miss ratio[^>]*' "$OUT/dom.html")"

chrome "$OUT/report.html" --enable-logging=stderr --v=0 \
	--screenshot="$OUT/screenshot.png" --window-size=1200,3000 \
	>"$OUT/chromium-shot.out" 2>"$OUT/chromium-shot.log" ||
	fail "chromium --screenshot failed (see $OUT/chromium-shot.log)"
size=$(wc -c <"$OUT/screenshot.png" 2>/dev/null || echo 0)
[ "$size" -gt 50000 ] || fail "screenshot.png: $size bytes (a blank page?)"
if grep -q ':CONSOLE' "$OUT/chromium-shot.log"; then
	fail "console output: $(grep ':CONSOLE' "$OUT/chromium-shot.log" | head -3)"
fi

# The recorder catches what it should: the same page with a failing script.
sed 's|^</body>$|<script>console.error("planted"); window.noSuchFunction();</script></body>|' \
	"$OUT/report.html" >"$TMP/broken.html"
chrome "$TMP/broken.html" --dump-dom >"$TMP/broken-dom.html" 2>/dev/null
grep -q 'data-errors="2"' "$TMP/broken-dom.html" ||
	fail "a page with two planted errors does not report them"

echo "test_lab_report: $EXPECT_CHARTS charts drawn, no console error; screenshot $OUT/screenshot.png ($size bytes)"
