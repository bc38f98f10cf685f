#!/bin/sh
# tests/test_debug_example.sh MMSIM SRCDIR - examples/debugging/buggy_driver
# built as docs/debugging.md tells a user to build it: the library installed
# (cmake --install of this build into a scratch prefix), the driver compiled
# by examples/debugging/Makefile with the flags pkg-config gives (KASAN's
# instrumentation from mmsim.pc's kasan_cflags, the static library), then
# each of its four bugs run on a machine of its own.  Each must print its
# tool's report, in Linux's words, and the machine must go on after it.
set -eu
tool=$1
src=$2
build=$(cd "$(dirname "$tool")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

fail() { echo "test_debug_example: $*" >&2; exit 1; }

if ! grep -q '^CONFIG_KASAN\|^#define CONFIG_KASAN$' "$build/include/mmsim/config.h"; then
	echo "test_debug_example: built without the debugging tools; skipped"
	exit 0
fi
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pcdir=$(dirname "$(find "$work/prefix" -name mmsim.pc | head -n 1)")
sed -i "s|^prefix=.*|prefix=$work/prefix|" "$pcdir"/mmsim*.pc
# A sanitized build's library needs its runtime at link time.
ldflags=""
case $(sed -n 's/^MMSIM_SANITIZE:STRING=//p' "$build/CMakeCache.txt") in
address) ldflags="-fsanitize=address,undefined" ;;
thread) ldflags="-fsanitize=thread" ;;
esac
cp "$src/examples/debugging/buggy_driver.c" "$src/examples/debugging/Makefile" "$work/"
PKG_CONFIG_PATH=$pcdir make -s -C "$work" CFLAGS="-g -O1 -Wall -Wextra -Werror" LDFLAGS="$ldflags" >"$work/make.log" 2>&1 ||
	{ cat "$work/make.log" >&2; fail "the example does not build"; }

# The library's own trap handler must see KFENCE's faults first.
export ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:detect_leaks=0

expect() {	# MODE PATTERN...
	mode=$1
	shift
	"$work/buggy_driver" "$mode" >"$work/$mode.out" 2>&1 ||
		{ cat "$work/$mode.out" >&2; fail "buggy_driver $mode failed"; }
	for pat in "$@" "the machine went on after the report"; do
		grep -q -- "$pat" "$work/$mode.out" ||
			{ cat "$work/$mode.out" >&2; fail "buggy_driver $mode: no '$pat'"; }
	done
}

expect leak "kmemleak: 1 new suspected memory leaks" \
	"unreferenced object 0x[0-9a-f]* (size 192):" "buggy_probe"
expect overflow "BUG: KASAN: slab-out-of-bounds in buggy_set_label" \
	"Write of size 1 at addr" "allocated 20-byte region"
expect uaf "BUG: KFENCE: use-after-free read in buggy_read_status" \
	"Use-after-free read at 0x"
expect infoleak "BUG: KMSAN: kernel-infoleak in" "Bytes 1-3 of 16 are uninitialized" \
	"buggy_ioctl_info"
echo "test_debug_example: the four reports, and the machine went on after each"
