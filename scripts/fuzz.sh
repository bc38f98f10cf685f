#!/bin/sh
# scripts/fuzz.sh - run the libFuzzer targets of fuzz/ (docs/fuzzing.md).
#
# Usage: scripts/fuzz.sh BUILDDIR SECONDS [TARGET...]
#   (default targets: fuzz_spec fuzz_scenario fuzz_sysctl fuzz_trace)
#
# Each target runs for SECONDS on a copy of its seed corpus fuzz/corpus/NAME
# in a work directory (FUZZ_WORK, default fuzz-work/, which git ignores):
# what a run finds stays there, the checked-in corpus is never written.
# Runs FUZZ_JOBS targets at once (default 2).  A crash, a leak, a timeout
# (an input running over 10 s) or a run over 2 GiB of RSS is a finding:
# its input is saved as FUZZ_WORK/NAME/crash-* (or leak-*, timeout-*,
# oom-*), the end of its log is printed, and the script exits 1.
set -u
[ $# -ge 2 ] || { echo "usage: $0 BUILDDIR SECONDS [TARGET...]" >&2; exit 2; }
build=$1 secs=$2
shift 2
targets=${*:-fuzz_spec fuzz_scenario fuzz_sysctl fuzz_trace}
src=$(cd "$(dirname "$0")/.." && pwd)
work=${FUZZ_WORK:-$src/fuzz-work}
jobs=${FUZZ_JOBS:-2}

run_one() {	# run_one TARGET: fuzz it; its status in $work/TARGET/status
	t=$1 name=${1#fuzz_} dir=$work/$1
	rm -rf "$dir"
	mkdir -p "$dir/corpus"
	cp "$src/fuzz/corpus/$name/"* "$dir/corpus/"
	dict=""
	[ -f "$src/fuzz/$name.dict" ] && dict="-dict=$src/fuzz/$name.dict"
	"$build/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$dir/" \
		$dict "$dir/corpus" >"$dir/log" 2>&1
	echo $? >"$dir/status"
}

mkdir -p "$work"
set -- $targets
while [ $# -gt 0 ]; do
	pids=""
	n=0
	while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
		echo "fuzz: $1 for ${secs}s (log: $work/$1/log)"
		run_one "$1" &
		pids="$pids $!"
		n=$((n + 1))
		shift
	done
	for p in $pids; do wait "$p"; done
done

fail=0
passed=0
failed=0
for t in $targets; do
	dir=$work/$t
	status=$(cat "$dir/status" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
	if [ "$status" -eq 0 ]; then
		echo "fuzz: $t: ok, ${runs:-?} runs, ${speed:-?} exec/s"
		passed=$((passed + 1))
	else
		echo "fuzz: $t: FINDING (status $status), ${runs:-?} runs; end of $dir/log:"
		tail -40 "$dir/log"
		ls "$dir" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sed "s|^|fuzz:   input: $dir/|"
		fail=1
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
exit "$fail"
