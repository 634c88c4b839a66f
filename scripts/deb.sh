#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make deb`: the Debian package of netkit, built with Debian's own tools
# (dpkg-buildpackage, debhelper's dh with its meson build system; debian/)
# from a copy of the tree's files (tracked and new, not ignored ones) in a
# temporary directory, so the tree gets no build products of debhelper;
# then lintian over the result. The .deb, .changes, .buildinfo and
# lintian's output end up in build-deb/. Needs the Build-Depends of
# debian/control (scripts/deps.sh installs them) and lintian.
# DEB_BUILD_OPTIONS=nocheck skips the unit tests, as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
out=$top/build-deb
ver=$(dpkg-parsechangelog -S Version)
work=$(mktemp -d /tmp/netkit-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/netkit-$ver
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c \
	'[ -e "$1" ] && exec cp -a --parents "$1" "$2"' _ {} "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1 || {
	tail -40 "$work/build.log"
	echo "make deb: dpkg-buildpackage failed (log above)"
	exit 1
}
rm -rf "$out"
mkdir -p "$out"
cp "$work/build.log" "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
changes=$(ls "$out"/*.changes)
# lintian: errors fail the build; each warning or info left is justified in
# debian/netkit.lintian-overrides or listed here
lintian --display-info --pedantic "$changes" >"$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
ls -l "$out"/*.deb
if grep -q '^E: ' "$out/lintian.txt"; then
	echo "make deb: lintian reports errors"
	exit 1
fi
echo "make deb: ok ($(grep -c '^[WIP]: ' "$out/lintian.txt" || true) lintian tags besides errors)"
