#!/bin/sh
# scripts/bench-user.sh BUILD [bench_name ...] - build the benchmarks the way
# the README tells users to link mmsim, and run them.
#
# The library of BUILD (a Release build) is installed into BUILD/bench-prefix
# with `cmake --install`, and every bench/bench_*.c (or the ones named) is
# compiled as a user's program is: `cc -O2 prog.c $(pkg-config --cflags
# --libs mmsim)`, against the installed shared library, found through the
# installed mmsim.pc.  The programs go to BUILD/bench-user/ and run with
# MMSIM_BENCH_LINK=shared in the environment, so that they can say how they
# were linked.  `make bench` runs these; the static builds of the same
# sources (BUILD/bench/, linked against libmmsim.a as the tests are) are the
# second column of docs/performance.md.
#
# BENCH_USER_PC=mmsim-static builds against the installed mmsim-static.pc
# instead (libmmsim.a, the build docs/performance.md recommends for speed)
# into BUILD/bench-user-static/, run with MMSIM_BENCH_LINK=static.
# BENCH_USER_NORUN=1 builds without running.  CC and CFLAGS are honoured
# (CFLAGS defaults to -O2, what a user writes).
set -eu
build=${1:?usage: bench-user.sh BUILD [bench_name ...]}
shift
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(cd "$build" && pwd)/bench-prefix
pcname=${BENCH_USER_PC:-mmsim}
case $pcname in
mmsim) out=$(cd "$build" && pwd)/bench-user link=shared ;;
mmsim-static) out=$(cd "$build" && pwd)/bench-user-static link=static ;;
*) echo "bench-user.sh: BENCH_USER_PC is mmsim or mmsim-static" >&2; exit 1 ;;
esac
cc=${CC:-cc}
cflags=${CFLAGS:--O2}

cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name mmsim.pc | head -n 1)
[ -n "$pc" ] || { echo "bench-user.sh: no mmsim.pc under $prefix" >&2; exit 1; }
# The .pc files were configured with the build's own prefix; point them here.
sed -i "s|^prefix=.*|prefix=$prefix|" "$(dirname "$pc")"/mmsim*.pc
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir "$pcname")
mkdir -p "$out"

if [ $# -eq 0 ]; then
	set -- $(cd "$src/bench" && ls bench_*.c | sed 's/\.c$//')
fi
for b in "$@"; do
	# shellcheck disable=SC2046
	$cc $cflags -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
		-I"$src/bench" "$src/bench/$b.c" -o "$out/$b" \
		$(pkg-config --cflags --libs "$pcname") -ldl -Wl,-rpath,"$libdir"
done
[ "${BENCH_USER_NORUN:-0}" = 1 ] && exit 0
for b in "$@"; do
	echo "== $b (linked as users link it: $pcname through pkg-config)"
	MMSIM_BENCH_LINK=$link "$out/$b"
done
