#!/bin/sh
# scripts/bench-debug-tools.sh [ROUNDS] - what the debugging tools cost the
# slab fast path when they are built in but off (docs/debugging.md).
#
# Builds bench_slab twice, Release: build-bench/ with the tools compiled in
# (the default, -DMMSIM_DEBUG_TOOLS=ON) and build-bench-notools/ with
# -DMMSIM_DEBUG_TOOLS=OFF, whose allocator hooks are empty inlines.  Runs
# their pair64 row (kmalloc(64)+kfree on one CPU) in turn, ROUNDS times each
# (default 5, alternating so that both see the same host), and prints each
# build's median ns/op and the ratio in / out.  A ratio of 1.00 within the
# rounds' spread is what the issue asks: with every tool off, the fast
# paths test only s->hooks, as they did before the tools existed.
set -eu
rounds=${1:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
for cfg in "build-bench ON" "build-bench-notools OFF"; do
	set -- $cfg
	cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DMMSIM_BENCH=ON -DMMSIM_DEBUG_TOOLS="$2" >/dev/null
	cmake --build "$1" -j "$(nproc)" --target bench_slab >/dev/null
done
pair64() {
	MMSIM_BENCH_ONLY=pair64 MMSIM_BENCH_SCALE=${MMSIM_BENCH_SCALE:-0.5} MMSIM_BENCH_PEER=glibc \
		"$1"/bench/bench_slab 2>/dev/null |
		awk '$1 == "pair64" { for (i = 2; i < NF; i++) if ($(i + 1) == "ns") { print $i; exit } }'
}
on="" off=""
i=0
while [ "$i" -lt "$rounds" ]; do
	on="$on $(pair64 build-bench)"
	off="$off $(pair64 build-bench-notools)"
	i=$((i + 1))
done
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { printf '%s\n' $1 | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
mon=$(median "$on") moff=$(median "$off")
printf 'bench_slab pair64 (kmalloc(64)+kfree, ns/op, median of %d; range)\n' "$rounds"
printf '  tools compiled in, off : %6s  (%s)\n' "$mon" "$(range "$on")"
printf '  tools compiled out     : %6s  (%s)\n' "$moff" "$(range "$off")"
awk -v a="$mon" -v b="$moff" 'BEGIN { printf "  in / out               : x%.2f\n", a / b }'
