#!/bin/sh
# scripts/lab-policies-figures.sh - libCacheSim's miss counts on the golden
# traces of tests/lab_traces.h (the table of docs/policies.md).
#
# Usage: scripts/lab-policies-figures.sh LIBCACHESIM_RUN [SRCDIR]
#   LIBCACHESIM_RUN: a program run as `PROG TRACE txt ALGO SIZE` that prints
#   "requests N misses N ..." -- cachesim's own create_cache + cache->get loop
#   with exact counts (bench/peers/libcachesim_run.c of the cache branch,
#   built next to libCacheSim by scripts/bench-lab-cache.sh).  cachesim itself
#   (`cachesim TRACE txt ALGO SIZE --ignore-obj-size 1`) gives the same
#   counts as a ratio to 4 decimals only.
# Writes the traces as libCacheSim "txt" files (one id a line) in a temporary
# directory, prints one markdown row per trace and size.
set -eu
run=${1:?usage: $0 LIBCACHESIM_RUN [SRCDIR]}
src=${2:-$(dirname "$0")/..}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/gen.c" <<'C'
#include <stdio.h>
#include "lab_traces.h"
int main(int argc, char **argv)
{
	int k;

	for (k = 0; k < LAB_TRACE_NR; k++) {
		uint64_t i, *t = malloc(lab_trace_len[k] * sizeof(*t));
		char fn[512];
		FILE *f;

		if (!t || lab_trace_build(k, t))
			return 1;
		snprintf(fn, sizeof(fn), "%s/%s.txt", argv[1], lab_trace_names[k]);
		f = fopen(fn, "w");
		if (!f)
			return 1;
		for (i = 0; i < lab_trace_len[k]; i++)
			fprintf(f, "%llu\n", (unsigned long long)t[i]);
		fclose(f);
		free(t);
	}
	return argc < 2;
}
C
${CC:-cc} -O2 -I"$src/tests" "$tmp/gen.c" -o "$tmp/gen" -lm
"$tmp/gen" "$tmp"
echo "| trace | pages | lru | fifo | clock | sieve | arc | lirs | s3fifo |"
echo "|---|---|---|---|---|---|---|---|---|"
for t in zipf loop scan-zipf; do
	for size in 20 100; do
		row="| $t | $size |"
		for algo in lru fifo clock sieve arc lirs s3fifo; do
			m=$("$run" "$tmp/$t.txt" txt "$algo" "$size" 2>/dev/null |
			    sed -n 's/.*misses \([0-9]*\).*/\1/p' | tail -1)
			row="$row ${m:-?} |"
		done
		echo "$row"
	done
done
