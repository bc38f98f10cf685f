#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_procps_views.sh - the scenario's `free` and `vmstat` print what
# procps's free and vmstat print for the same /proc files.
#
#   sh tests/test_procps_views.sh <mmsim-binary> <source-dir>
#
# A scenario fills the page cache (a file written, synced and read back,
# then a second file left dirty), then, with nothing running in between,
# prints the machine's /proc/meminfo, /proc/vmstat and /proc/stat and its
# own views: free, free -w, free -m, free -b, vmstat.  The files are bound
# over the host's in a private mount namespace (unshare -m; the host's /proc
# is untouched) where the real free and vmstat run; their output must equal
# the views' byte for byte.  A second vmstat after `tick` is checked
# against the arithmetic of vmstat's later lines (bi/bo per second).
#
# Needs root (unshare -m, mount --bind) and procps; without them it prints
# "SKIP: ..." and passes.

MMSIM=${1:?usage: test_procps_views.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$(pwd)/$MMSIM ;; esac

if ! command -v free >/dev/null 2>&1 || ! command -v vmstat >/dev/null 2>&1 ||
   ! command -v unshare >/dev/null 2>&1; then
	echo "SKIP: procps (free, vmstat) or unshare not installed"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: cannot unshare the mount namespace (not root?)"
	exit 0
fi

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP" || exit 1

# drop_caches where the kernel has it (writeback's sysctl).
printf 'boot ram=64M\ncat /proc/sys/vm/drop_caches\n' >probe.scn
if "$MMSIM" run probe.scn >/dev/null 2>&1; then
	DROP="drop_caches 1"
else
	DROP="echo (no /proc/sys/vm/drop_caches yet)"
fi

cat >views.scn <<EOF
boot ram=128M cpus=2
spawn app
write /views-a 4M
sync
$DROP
read /views-a
write /views-b 1M
tick 1500
echo @@meminfo
cat /proc/meminfo
echo @@vmstat
cat /proc/vmstat
echo @@stat
cat /proc/stat
echo @@free
free
echo @@free-w
free -w
echo @@free-m
free -m
echo @@free-b
free -b
echo @@free-h
free -h
echo @@free-t
free -t
echo @@free-htw
free -h -t -w
echo @@vmstat-s
vmstat -s
echo @@vmstat-view
vmstat
echo @@end
EOF
# vmstat -a's first line, from the same (deterministic) run.
sed 's/^vmstat$/vmstat -a/' views.scn >views-a.scn

if ! "$MMSIM" run views.scn >out.txt 2>err.txt; then
	echo "FAIL: the scenario failed:"
	cat err.txt
	exit 1
fi

if ! "$MMSIM" run views-a.scn >out-a.txt 2>err.txt; then
	echo "FAIL: the vmstat -a scenario failed:"
	cat err.txt
	exit 1
fi

# Split out.txt at the @@ markers into files named after them.
awk '/^@@/ { f = substr($0, 3); next } f != "" && f != "end" { print > f }' out.txt
awk '/^@@vmstat-view/ { f = "vmstat-a"; next } /^@@/ { f = ""; next } f != "" { print > f }' out-a.txt

failed=0
passed=0
real() {
	unshare -m sh -c "mount --bind $TMP/meminfo /proc/meminfo &&
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

same free "free"
same free-w "free -w"
same free-m "free -m"
same free-b "free -b"
same free-h "free -h"
same free-t "free -t"
same free-htw "free -h -t -w"
same vmstat-s "vmstat -s"
same vmstat-view "vmstat"
same vmstat-a "vmstat -a"

# buff/cache is Buffers + Cached + SReclaimable of our meminfo.
bc=$(awk '/^(Buffers|Cached|SReclaimable):/ { s += $2 } END { print s }' meminfo)
got=$(awk '/^Mem:/ { print $6 }' free)
if [ "$bc" = "$got" ]; then
	passed=$((passed + 1))
else
	echo "FAIL: free's buff/cache $got, meminfo says $bc"
	failed=$((failed + 1))
fi

# A later vmstat: bi/bo are the pgpgin/pgpgout deltas over the virtual seconds.
cat >delta.scn <<EOF
boot ram=128M cpus=1
spawn app
vmstat
echo @@before
grep "^pgpg(in|out) " /proc/vmstat
write /delta 2M
sync
$DROP
read /delta
tick 2000
echo @@after
grep "^pgpg(in|out) " /proc/vmstat
echo @@line
vmstat
echo @@end
EOF
if ! "$MMSIM" run delta.scn >delta.txt 2>err.txt; then
	echo "FAIL: the delta scenario failed:"
	cat err.txt
	exit 1
fi
awk '/^@@/ { f = substr($0, 3); next } f != "" && f != "end" { print > ("d-" f) }' delta.txt
in0=$(awk '$1 == "pgpgin" { print $2 }' d-before)
out0=$(awk '$1 == "pgpgout" { print $2 }' d-before)
in1=$(awk '$1 == "pgpgin" { print $2 }' d-after)
out1=$(awk '$1 == "pgpgout" { print $2 }' d-after)
bi=$(awk 'NR == 3 { print $9 }' d-line)
bo=$(awk 'NR == 3 { print $10 }' d-line)
# The clock moved 2 s by tick plus what the I/O waited: vmstat rounds to whole
# seconds, so the rate is the delta over 2 (or 3) seconds, rounded half up.
ok=0
for secs in 2 3; do
	wbi=$(( (in1 - in0 + secs / 2) / secs ))
	wbo=$(( (out1 - out0 + secs / 2) / secs ))
	[ "$bi" = "$wbi" ] && [ "$bo" = "$wbo" ] && ok=1
done
if [ $ok = 1 ]; then
	passed=$((passed + 1))
else
	echo "FAIL: vmstat's later line says bi $bi bo $bo; pgpgin $in0 -> $in1, pgpgout $out0 -> $out1"
	cat d-line
	failed=$((failed + 1))
fi

echo "procps views: $passed passed, $failed failed"
[ $failed = 0 ]
