#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_procps_swap_views.sh - the real util-linux and procps tools read a
# machine with swap: swapon --show, free and vmstat -s.
#
#   sh tests/test_procps_swap_views.sh <mmsim-binary> <source-dir>
#
# A scenario boots a machine with two boot swap areas (swap=SIZE@PRIO,...:
# the disks vdb and vdc),
# makes a swap file with mkswap and turns it on with swapon, then drives
# the machine past its RAM so pages go to swap; with nothing running in
# between it prints /proc/swaps, /proc/meminfo, /proc/vmstat, /proc/stat
# and its own views (swapon --show, swapon --show --bytes, free, free -h,
# vmstat -s).  The files are bound over the host's in a private mount
# namespace (unshare -m; the host's /proc is untouched) where the real
# swapon, free and vmstat run: their output must equal the views' byte for
# byte.  Then the numbers themselves: /proc/swaps lists the three areas in
# swapon order with the kernel's priorities (the file's 10, the boot areas'
# 5 and -2), SwapTotal is the sum of their sizes, and SwapTotal - SwapFree
# the sum of their Used.
#
# Needs root (unshare -m, mount --bind), util-linux's swapon and procps, and
# a kernel with swap (boot word swap=); without them it prints "SKIP: ..."
# and passes.

MMSIM=${1:?usage: test_procps_swap_views.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$(pwd)/$MMSIM ;; esac

for tool in free vmstat swapon unshare; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not installed"
		exit 0
	fi
done
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: cannot unshare the mount namespace (not root?)"
	exit 0
fi

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

printf 'boot ram=64M swap=8M\ncat /proc/swaps\n' >probe.scn
if ! "$MMSIM" run probe.scn >/dev/null 2>&1; then
	echo "SKIP: no swap in this kernel yet (boot swap=, /proc/swaps)"
	exit 0
fi

cat >swap.scn <<EOF
boot ram=64M cpus=1 swap=24M@5,16M
write /proc/sys/vm/overcommit_memory 1
spawn app
mkswap /swapfile 8M
swapon /swapfile 10
mmap 96M rw anon,private as big
touch \$big 96M write
echo @@swaps
cat /proc/swaps
echo @@meminfo
cat /proc/meminfo
echo @@vmstat
cat /proc/vmstat
echo @@stat
cat /proc/stat
echo @@swapon-show
swapon --show
echo @@swapon-bytes
swapon --show --bytes
echo @@free
free
echo @@free-h
free -h
echo @@vmstat-s
vmstat -s
echo @@end
EOF

if ! "$MMSIM" run swap.scn >out.txt 2>err.txt; then
	echo "FAIL: the scenario failed:"
	cat err.txt
	exit 1
fi
awk '/^@@/ { f = substr($0, 3); next } f != "" && f != "end" { print > f }' out.txt

failed=0
passed=0
real() {
	unshare -m sh -c "mount --bind $TMP/swaps /proc/swaps &&
		mount --bind $TMP/meminfo /proc/meminfo &&
		mount --bind $TMP/vmstat /proc/vmstat && mount --bind $TMP/stat /proc/stat && $1"
}
same() {	# same NAME COMMAND: the real COMMAND prints file NAME
	real "$2" >"real-$1" 2>&1
	if cmp -s "$1" "real-$1"; then
		passed=$((passed + 1))
	else
		echo "FAIL: '$2' on our files differs from the scenario's view:"
		diff -u "real-$1" "$1"
		failed=$((failed + 1))
	fi
}
check() {	# check WHAT GOT WANT
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
	else
		echo "FAIL: $1: $2, want $3"
		failed=$((failed + 1))
	fi
}

same swapon-show "swapon --show"
same swapon-bytes "swapon --show --bytes"
same free "free"
same free-h "free -h"
same vmstat-s "vmstat -s"

check "/proc/swaps header" "$(head -1 swaps)" "$(printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority')"
check "areas" "$(awk 'NR > 1 { printf "%s %s %s;", $1, $2, $5 }' swaps)" \
	"/dev/vdb partition 5;/dev/vdc partition -2;/swapfile file 10;"
total=$(awk 'NR > 1 { s += $3 } END { print s }' swaps)
used=$(awk 'NR > 1 { s += $4 } END { print s }' swaps)
check "SwapTotal" "$(awk '/^SwapTotal:/ { print $2 }' meminfo)" "$total"
check "SwapTotal - SwapFree" \
	"$(awk '/^SwapTotal:/ { t = $2 } /^SwapFree:/ { f = $2 } END { print t - f }' meminfo)" "$used"
# A boot area of 24M loses its first page to the header; the file's 8M too.
check "sizes" "$(awk 'NR > 1 { printf "%s;", $3 }' swaps)" "24572;16380;8188;"

echo "procps swap: $passed passed, $failed failed"
[ $failed = 0 ]
