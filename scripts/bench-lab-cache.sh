#!/bin/sh
# scripts/bench-lab-cache.sh [--build-only] - cache mode against libCacheSim
# (bench/bench_lab_cache.c states the trace and the rows).
#
# 1. libCacheSim: uses the build in $LIBCACHESIM_DIR/_build (default
#    /work/peers/libCacheSim); if there is none, unpacks the source there
#    (from $LIBCACHESIM_GIT, a git directory, or a shallow clone of
#    https://github.com/1a1a11a/libCacheSim) and builds its cachesim and
#    library, Release (needs cmake, libglib2.0-dev, libzstd-dev).
# 2. bench/peers/libcachesim_run.c compiled against it: cachesim's own loop
#    with exact miss counts, installed as _build/bin/libcachesim_run.
# 3. build-bench/bench/bench_lab_cache (Release, -DMMSIM_BENCH=ON), run with
#    MMSIM_LIBCACHESIM_RUN and MMSIM_CACHESIM pointing at the two.
# --build-only stops after 2 (scripts/lab-policy-figures.sh uses it).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
lcs=${LIBCACHESIM_DIR:-/work/peers/libCacheSim}
jobs=${JOBS:-2}
if [ ! -x "$lcs/_build/bin/cachesim" ]; then
	if [ ! -f "$lcs/CMakeLists.txt" ]; then
		mkdir -p "$lcs"
		if [ -n "${LIBCACHESIM_GIT:-}" ]; then
			# data/ holds large sample traces that a mirror may lack.
			git -C "$LIBCACHESIM_GIT" archive HEAD -- . ':(exclude)data' | tar -x -C "$lcs"
		else
			git clone --depth 1 https://github.com/1a1a11a/libCacheSim "$lcs"
		fi
	fi
	cmake -S "$lcs" -B "$lcs/_build" -DCMAKE_BUILD_TYPE=Release -DENABLE_TESTS=OFF >/dev/null
	cmake --build "$lcs/_build" -j "$jobs" --target cachesim libCacheSim >/dev/null
fi
run="$lcs/_build/bin/libcachesim_run"
if [ ! -x "$run" ] || [ "$src/bench/peers/libcachesim_run.c" -nt "$run" ]; then
	# shellcheck disable=SC2046
	cc -O2 -I"$lcs/libCacheSim/include" -I"$lcs/_build/libCacheSim/include" -I"$lcs/libCacheSim" \
		$(pkg-config --cflags glib-2.0) "$src/bench/peers/libcachesim_run.c" \
		-Wl,--start-group $(find "$lcs/_build" -name '*.a') -Wl,--end-group \
		$(pkg-config --libs glib-2.0) -lzstd -lm -lpthread -ldl -lstdc++ -o "$run"
fi
[ "${1:-}" = "--build-only" ] && exit 0
cd "$src"
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMMSIM_BENCH=ON >/dev/null
cmake --build build-bench -j "$jobs" --target bench_lab_cache >/dev/null
MMSIM_LIBCACHESIM_RUN="$run" MMSIM_CACHESIM="$lcs/_build/bin/cachesim" build-bench/bench/bench_lab_cache
