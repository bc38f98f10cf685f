#!/bin/sh
# Installs what the project needs beyond gcc, make and cmake, from Debian's
# packages, only when it is missing.  Usage: install-deps.sh build|test|bench
# (test and bench include build).
set -e
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
case "$1" in
build) pkgs="" ;;
test)  pkgs="procps clang libclang-rt-14-dev zstd valgrind" ;;	# clang + libFuzzer: make fuzz-smoke; zstd: tests/test_lab_trace_cli.sh; valgrind: mmsim record --backend lackey
bench) pkgs="libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev" ;;
*) echo "install-deps.sh: unknown set '$1'" >&2; exit 2 ;;
esac
# The lab's report and sweep tests: headless Chromium, GNU parallel.
[ "$1" = test ] && pkgs="$pkgs chromium parallel"
# The lab replay's CLI test parses its JSON with python3.
[ "$1" = test ] && pkgs="$pkgs python3"
# The library and the tool: pkg-config, libzstd (traces), jansson (JSON),
# libfuse3 and fusermount3 (mmsim serve, docs/serve.md).
pkgs="pkg-config libzstd-dev libjansson-dev libfuse3-dev fuse3 $pkgs"
# npm vendors the report's plotting library (scripts/vendor-js.sh), unless
# a node/npm is already there.
command -v npm >/dev/null 2>&1 || pkgs="npm $pkgs"
for p in $pkgs; do have "$p" || need="$need $p"; done
[ -z "$need" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing:$need"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
