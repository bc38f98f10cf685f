#!/bin/sh
# Installs what the project needs beyond gcc, make and cmake, from Debian's
# packages, only when it is missing.  Usage: install-deps.sh test|bench
set -e
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
case "$1" in
test)  pkgs="procps clang libclang-rt-14-dev" ;;	# clang + libFuzzer: make fuzz-smoke
bench) pkgs="libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev" ;;
*) echo "install-deps.sh: unknown set '$1'" >&2; exit 2 ;;
esac
for p in $pkgs; do have "$p" || need="$need $p"; done
[ -z "$need" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing:$need"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
