#!/bin/sh
# scripts/vendor-js.sh - vendors the report's plotting library (Apache
# ECharts, Apache-2.0) from the npm registry into third_party/echarts/
# (gitignored), where CMake embeds it into the tool (tools/lab/report.c).
#
#   scripts/vendor-js.sh [SRCDIR]
#
# `npm pack echarts@VERSION` fetches the package tarball (npm's cache makes a
# second run offline); its sha512 must equal the pinned one; the minified
# browser bundle dist/echarts.min.js, LICENSE and NOTICE are extracted.  The
# bundle must not contain "</script" (the page inlines it in a <script>).
# Everything is written to a temporary directory and renamed into place, so
# third_party/echarts/ is either complete or absent.  A stamp file records the
# version and hash: a second run with the same pin does nothing.
#
# To move to a new version: change VERSION and SHA512 (`npm view
# echarts@VERSION dist.integrity`, base64 -> hex), check the license.
set -eu
NAME=echarts
VERSION=6.1.0
SHA512=ab4c9a14f8200bd15476c587e1b95abd15859b176b22875b92828d02326e74023a080f6034fc47b55d917193447a9655964e32bc16243a46e4e87215a48c8764

cd "${1:-$(dirname "$0")/..}"
dest=third_party/$NAME
stamp="$NAME $VERSION $SHA512"
if [ -f "$dest/STAMP" ] && [ "$(cat "$dest/STAMP")" = "$stamp" ] &&
   [ -s "$dest/$NAME.min.js" ]; then
	touch "$dest/$NAME.min.js"	# newer than this script: make is content
	exit 0
fi
command -v npm >/dev/null 2>&1 || {
	echo "vendor-js.sh: npm not found (scripts/install-deps.sh build installs it)" >&2
	exit 1
}
mkdir -p third_party
tmp=$(mktemp -d third_party/.vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
tgz=$(cd "$tmp" && npm pack --silent "$NAME@$VERSION" 2>/dev/null | tail -n 1)
[ -n "$tgz" ] && [ -f "$tmp/$tgz" ] || {
	echo "vendor-js.sh: npm pack $NAME@$VERSION failed" >&2
	exit 1
}
got=$(sha512sum "$tmp/$tgz" | cut -d' ' -f1)
[ "$got" = "$SHA512" ] || {
	echo "vendor-js.sh: $tgz: sha512 $got, expected $SHA512" >&2
	exit 1
}
tar -m -xzf "$tmp/$tgz" -C "$tmp" package/dist/$NAME.min.js package/LICENSE package/NOTICE
if grep -qi '</script' "$tmp/package/dist/$NAME.min.js"; then
	echo "vendor-js.sh: $NAME.min.js contains '</script': cannot be inlined" >&2
	exit 1
fi
mkdir "$tmp/out"
mv "$tmp/package/dist/$NAME.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$tmp/out/"
echo "$stamp" >"$tmp/out/STAMP"
rm -rf "$dest"
mv "$tmp/out" "$dest"
echo "vendor-js.sh: $NAME $VERSION -> $dest/$NAME.min.js"
