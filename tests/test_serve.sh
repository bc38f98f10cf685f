#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tests/test_serve.sh - `mmsim serve` with the real procps tools
# (docs/serve.md, /work/shared/REAL-CLIENTS.md).
#
#   sh tests/test_serve.sh <mmsim-binary> <source-dir>
#
# A scenario boots a 96 MiB machine with 32 MiB of swap and a process that
# dirtied 2 MiB of a 4 MiB mapping; `mmsim serve --foreground` serves it on
# $TMP/m.  In a private mount namespace (unshare -m) the served files are
# bound over the host's /proc/meminfo, /proc/vmstat, /proc/stat and
# /proc/slabinfo, the served /proc over the whole of /proc (for pmap), and
# the served /proc/PID over a host `sleep`'s /proc/PID (and over
# /proc/SIMPID, which pmap opens by the pid that the status file names, where
# the host has it), and free, vmstat 1 2, vmstat -s, slabtop -o, pmap -x
# and watch run unmodified: their numbers must be the machine's (MemTotal
# of 96M less the kernel's reservations, not the host's), and pmap must
# show the 4 MiB mapping with 2 MiB resident.  Then: the tree lists the
# process, a sysctl written through the mount reads back, a bad value and a
# write to a read-only file fail with the machine's errno, SIGTERM unmounts
# and exits 0; a second server (SPEC words, in the background) ends with
# `fusermount3 -u`, its clock going 20 times as fast (--speed 20); command
# line errors exit 2 with one line; a bad spec exits 1 without leaving a mount.
#
# Exits 77 (CTest's SKIP) when /dev/fuse, fusermount3, unshare or procps is
# unusable here (not root, no FUSE in the container).

MMSIM=${1:?usage: test_serve.sh MMSIM SRCDIR}
case $MMSIM in /*) ;; *) MMSIM=$(pwd)/$MMSIM ;; esac

# Command-line errors need no FUSE: one line, exit 2.
for args in "--frob" "" "--speed 0 ram=32M" "--step x ram=32M"; do
	# shellcheck disable=SC2086
	"$MMSIM" serve $args >/dev/null 2>"${TMPDIR:-/tmp}/serve-usage.$$"
	rc=$?
	lines=$(wc -l <"${TMPDIR:-/tmp}/serve-usage.$$")
	rm -f "${TMPDIR:-/tmp}/serve-usage.$$"
	[ $rc -eq 2 ] && [ "$lines" -eq 1 ] || { echo "FAIL: 'serve $args' exited $rc with $lines lines"; exit 1; }
done

skip() { echo "SKIP: $*"; exit 77; }
for t in free vmstat slabtop pmap watch unshare fusermount3 timeout; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
[ -c /dev/fuse ] || skip "no /dev/fuse"
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	skip "cannot unshare the mount namespace (not root?)"
fi

TMP=$(mktemp -d) || exit 1
SRV= HP=
cleanup() {
	[ -n "$HP" ] && kill "$HP" 2>/dev/null
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	for d in "$TMP"/m "$TMP"/m2; do
		grep -q " $d fuse" /proc/mounts && fusermount3 -u "$d"
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$TMP" || exit 1
fail() { echo "FAIL: $*"; for f in serve.err serve.out out; do [ -f $f ] && sed "s/^/  $f: /" $f; done; exit 1; }

# Wait (up to 60 s: a sanitizer build boots slowly) for DIR/proc/meminfo.
wait_mount() {
	i=0
	while ! [ -e "$1/proc/meminfo" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && fail "no mount on $1 after 60 s"
		[ -n "$2" ] && ! kill -0 "$2" 2>/dev/null && fail "the server exited before mounting $1"
		sleep 0.1
	done
}

cat >serve.scn <<'EOF'
boot ram=96M cpus=2 swap=32M
spawn app as app
mmap 4M rw anon,private as buf
touch buf 2M write
echo simpid=$app
EOF
mkdir m m2
"$MMSIM" serve --foreground --mount "$TMP/m" serve.scn >serve.out 2>serve.err &
SRV=$!
wait_mount "$TMP/m" "$SRV"
M=$TMP/m
i=0
until SIMPID=$(sed -n 's/^simpid=//p' serve.out) && [ -n "$SIMPID" ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && fail "the scenario did not print its pid"
	sleep 0.1
done

# The machine's MemTotal, and not the host's.
TOTAL=$(awk '/^MemTotal:/ { print $2 }' "$M/proc/meminfo")
HOST_TOTAL=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
[ -n "$TOTAL" ] && [ "$TOTAL" -gt 80000 ] && [ "$TOTAL" -le 98304 ] ||
	fail "served MemTotal '$TOTAL' is not a 96M machine's"
[ "$TOTAL" != "$HOST_TOTAL" ] || fail "served MemTotal equals the host's"

bind() {
	echo "mount --bind $M/proc/meminfo /proc/meminfo && mount --bind $M/proc/vmstat /proc/vmstat &&"
	echo "mount --bind $M/proc/stat /proc/stat && mount --bind $M/proc/slabinfo /proc/slabinfo &&"
}

# free: the Mem: total is the machine's; Swap: total its 32M less the header page.
unshare -m sh -c "$(bind) free -k" >out 2>&1 || fail "free failed"
awk -v t="$TOTAL" '/^Mem:/ { ok = ($2 == t) } END { exit !ok }' out || fail "free's total is not $TOTAL"
awk '/^Swap:/ { ok = ($2 == 32764) } END { exit !ok }' out || fail "free's swap total is not 32764"

# vmstat 1 2: two lines a second apart; free column within the machine's RAM.
unshare -m sh -c "$(bind) vmstat 1 2" >out 2>&1 || fail "vmstat 1 2 failed"
[ "$(wc -l <out)" -eq 4 ] || fail "vmstat 1 2 did not print 4 lines"
awk -v t="$TOTAL" 'NR > 2 { if ($4 <= 0 || $4 > t) bad = 1; n++ } END { exit bad || n != 2 }' out ||
	fail "vmstat's free column is not the machine's"

# vmstat -s: total memory.
unshare -m sh -c "$(bind) vmstat -s" >out 2>&1 || fail "vmstat -s failed"
grep -Eq "^ +$TOTAL K total memory$" out || fail "vmstat -s total is not $TOTAL K"

# slabtop -o: the machine's caches (kmalloc-8 is there from boot).
unshare -m sh -c "$(bind) slabtop -o" >out 2>&1 || fail "slabtop -o failed"
grep -q "Active / Total Objects" out && grep -q " kmalloc-8 *$" out || fail "slabtop shows no kmalloc-8"

# pmap -x, the served /proc bound over the whole of /proc: the process's rows.
PMAP_ROW="^[0-9a-f]{16} +4096 +2048 +2048 rw--- +\[ anon \]$"
unshare -m sh -c "mount --bind $M/proc /proc && pmap -x $SIMPID" >out 2>&1 || fail "pmap -x (whole /proc) failed"
grep -Eq "$PMAP_ROW" out || fail "pmap shows no 4096K mapping with 2048K resident"
grep -Eq "^total kB +4228 +2048 +2048$" out || fail "pmap's total is not the process's"

# pmap -x over a host sleep: the served /proc/SIMPID over /proc/HP, and over
# /proc/SIMPID where the host has one (pmap opens /proc/<status's pid>/smaps).
sleep 300 &
HP=$!
EXTRA=
[ -d "/proc/$SIMPID" ] && EXTRA="&& mount --bind $M/proc/$SIMPID /proc/$SIMPID"
unshare -m sh -c "mount --bind $M/proc/$SIMPID /proc/$HP $EXTRA && pmap -x $HP" >out 2>&1 ||
	fail "pmap -x over a sleep failed"
grep -q "^$SIMPID: " out || fail "pmap over a sleep did not read the served status"
if [ -n "$EXTRA" ]; then
	grep -Eq "$PMAP_ROW" out || fail "pmap over a sleep shows no 4096K mapping"
fi
kill "$HP"
HP=

# watch -n 0.1 -t free, for 2 s (timeout ends it: 124).
unshare -m sh -c "$(bind) TERM=xterm timeout 2 watch -n 0.1 -t free </dev/null" >out 2>&1
[ $? -eq 124 ] || fail "watch did not run until the timeout"
grep -q "$TOTAL" out || fail "watch's free did not show $TOTAL"

# The tree: /proc lists the process; its directory its files.
ls "$M/proc" >out && grep -qx "$SIMPID" out && grep -qx meminfo out || fail "ls proc"
ls "$M/proc/$SIMPID" >out && grep -qx smaps out && grep -qx status out || fail "ls proc/$SIMPID"
[ -e "$M/proc/99999" ] && fail "a pid that does not exist is served"
ls "$M/sys/kernel/mm/transparent_hugepage" >out && grep -qx enabled out || fail "ls THP knobs"

# Writes go to the machine: a sysctl reads back; errors are the machine's.
echo 77 >"$M/proc/sys/vm/swappiness" || fail "write of swappiness failed"
[ "$(cat "$M/proc/sys/vm/swappiness")" = 77 ] || fail "swappiness did not read back 77"
env echo abc >"$M/proc/sys/vm/swappiness" 2>out && fail "a bad swappiness was taken"
grep -q "Invalid argument" out || fail "a bad value did not fail with EINVAL"
[ "$(cat "$M/proc/sys/vm/swappiness")" = 77 ] || fail "a bad write changed swappiness"
(echo 1 >"$M/proc/meminfo") 2>/dev/null && fail "a read-only file took a write"
echo 3 >"$M/proc/sys/vm/drop_caches" || fail "drop_caches refused 3"

# The virtual clock goes on after the scenario: /proc/stat's ticks move.
T1=$(awk '/^cpu / { print $2 + $5 }' "$M/proc/stat")
sleep 1
T2=$(awk '/^cpu / { print $2 + $5 }' "$M/proc/stat")
[ "$T2" -gt "$T1" ] || fail "the machine's clock stands still ($T1, $T2)"

# SIGTERM: unmount, exit 0.
kill -TERM "$SRV"
wait "$SRV"
RC=$?
SRV=
[ $RC -eq 0 ] || fail "serve exited $RC after SIGTERM"
grep -q " $M fuse" /proc/mounts && fail "still mounted after SIGTERM"

# SPEC words, in the background; fusermount3 -u ends it.
"$MMSIM" serve --speed 20 --mount "$TMP/m2" ram=32M cpus=1 >serve.out 2>serve.err ||
	fail "serve in the background"
BG=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' serve.err)
[ -n "$BG" ] || fail "no pid in the ready line"
wait_mount "$TMP/m2"
T=$(awk '/^MemTotal:/ { print $2 }' "$TMP/m2/proc/meminfo")
[ "$T" -gt 20000 ] && [ "$T" -le 32768 ] || fail "the 32M machine's MemTotal is $T"
# --speed 20: a wall second is 20 virtual ones (100 ticks each on 1 CPU).
T1=$(awk '/^cpu / { print $2 + $5 }' "$TMP/m2/proc/stat")
sleep 1
T2=$(awk '/^cpu / { print $2 + $5 }' "$TMP/m2/proc/stat")
[ $((T2 - T1)) -gt 400 ] || fail "--speed 20 moved the clock $((T2 - T1)) ticks in a second"
fusermount3 -u "$TMP/m2" || fail "fusermount3 -u"
i=0
while kill -0 "$BG" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "the background server did not exit after fusermount3 -u"
	sleep 0.1
done

# A bad spec: exit 1, a message naming the word, no mount.
"$MMSIM" serve --foreground --mount "$TMP/m2" ram=32M frob=1 >out 2>&1
[ $? -eq 1 ] || fail "a bad spec did not exit 1"
grep -q "frob=1" out || fail "the error does not name the bad word"
grep -q " $TMP/m2 fuse" /proc/mounts && fail "a failed boot left a mount"
# A scenario line that fails after boot ends the server: exit 1, unmounted.
printf 'boot ram=32M\ntick 200\nfrob\n' >bad.scn
timeout 120 "$MMSIM" serve --foreground --mount "$TMP/m2" bad.scn >out 2>&1
[ $? -eq 1 ] || fail "a failing scenario did not exit 1"
grep -q "^bad.scn:3: " out || fail "the scenario's error line is not FILE:LINE"
grep -q " $TMP/m2 fuse" /proc/mounts && fail "a failed scenario left a mount"
echo "PASS: free, vmstat, slabtop, pmap and watch read the served machine"
exit 0
