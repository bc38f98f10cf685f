#!/bin/sh
# scripts/lab-policy-figures.sh BUILD_DIR - libCacheSim's miss counts on the
# synthetic traces of tests/test_lab_policy_core.c, as a Markdown table.
#
# The test binary writes its own traces (MMSIM_LAB_DUMP_TRACES=DIR: the very
# generator the test uses) as oracleGeneral files; libCacheSim's simulator
# loop (bench/peers/libcachesim_run, built by scripts/bench-lab-cache.sh
# --build-only) runs every policy that libCacheSim and mmsim both have on
# each, at the sizes the test uses, sizes ignored (one object = one page).
set -eu
build=${1:?usage: lab-policy-figures.sh BUILD_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
lcs=${LIBCACHESIM_DIR:-/work/peers/libCacheSim}
"$src/scripts/bench-lab-cache.sh" --build-only
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MMSIM_LAB_DUMP_TRACES="$tmp" "$build/test_lab_policy_core" >/dev/null
algos="lru fifo clock sieve arc lirs s3fifo belady"
printf '| trace | pages |'
for a in $algos; do printf ' %s |' "$a"; done
printf '\n|---|---|'
for a in $algos; do printf -- '---|'; done
printf '\n'
for spec in "zipf 10 100 1000" "scan 100 1000 6000" "loop 100 1000 1100" "belady 3 4" "second 3"; do
	set -- $spec
	t=$1
	shift
	for size in "$@"; do
		printf '| %s | %s |' "$t" "$size"
		for a in $algos; do
			m=$("$lcs/_build/bin/libcachesim_run" "$tmp/$t.oracleGeneral" oracleGeneral "$a" "$size" 2>/dev/null |
				awk '$1 == "requests" { print $4 }')
			printf ' %s |' "${m:-?}"
		done
		printf '\n'
	done
done
