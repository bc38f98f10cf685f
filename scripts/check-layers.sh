#!/bin/sh
# scripts/check-layers.sh - the layering rules of docs/design.md, checked.
#
#   1. arch/ (the hardware) includes nothing from mm/, kernel/, fs/ or init/:
#      it sees only the public <mmsim/...> headers, lib/ and its own.
#   2. mm/ includes nothing from fs/proc/ (the renderers read mm, never the
#      other way round).
#   3. lib/ includes nothing from fs/.
#   3b. block/ includes nothing from fs/proc/ or mm/ (it reaches /proc
#      through <mmsim/proc_fs.h>, pages through <mmsim/highmem.h>).
#   4. No source file is over 1,500 lines (split by concept instead), except
#      the files named in LONG_OK below, each with its reason.
#
# Usage: scripts/check-layers.sh [SRCDIR]    (exit 1 and one line per problem)
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

MAX_LINES=1500
# Files allowed past MAX_LINES (path, then why).  Keep this list short.
LONG_OK=""

fail=0
complain() {
	echo "check-layers: $*"
	fail=1
}

forbid() {	# forbid DIR PATTERN WHAT
	dir=$1 pat=$2 what=$3
	[ -d "$dir" ] || return 0
	for f in $(find "$dir" -name '*.[ch]' | sort); do
		grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"($pat)/" "$f" |
		while IFS= read -r hit; do
			echo "check-layers: $f:${hit%%:*}: $what: ${hit#*:}"
		done
	done
}

out=$(
	forbid arch 'mm|kernel|fs|init' "arch/ must not include the kernel"
	forbid mm 'fs/proc' "mm/ must not include fs/proc/"
	forbid lib 'fs' "lib/ must not include fs/"
	forbid block 'fs/proc|mm' "block/ must not include fs/proc/ or mm/"
)
if [ -n "$out" ]; then
	echo "$out"
	fail=1
fi

for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*'); do
	[ -f "$f" ] || continue
	n=$(wc -l <"$f")
	[ "$n" -le "$MAX_LINES" ] && continue
	case " $LONG_OK " in
	*" $f "*) continue ;;
	esac
	complain "$f: $n lines (more than $MAX_LINES: split it by concept)"
done

[ "$fail" -eq 0 ] && echo "check-layers: ok"
exit "$fail"
