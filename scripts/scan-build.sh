#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# clang's static analyzer (scan-build, Debian's clang-tools 14) over
# netkit: meson's own `scan-build` target of a clang configuration in
# build-scan (no tests, no -Werror: clang warns where gcc does not; the
# analyzer's findings are what counts here), which configures and builds a
# fresh copy under build-scan/meson-logs/scanbuild, so every file is
# analysed (src/ and the lab's programs; Go's cgo runtime in
# lab-gvisor-host too, reported apart). ~3 min on two cores.
# `make analyze` runs it after cppcheck. NOT in `make check` yet: it still
# reports findings in src/ (issue 13) that need triage first. Exits 1 on
# any finding in the tree.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=build-scan
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dtests=false -Dwerror=false >/dev/null || exit 1
fi
log=$(ninja -C "$dir" scan-build 2>&1)
mine=$(printf '%s\n' "$log" | grep -E '(src|lab)/[^ ]*:[0-9]+:[0-9]+: warning: .*\[[a-z]+\.' |
	sed -E 's#^.*/((src|lab/stacks)/)#\1#' | sort -u)
[ -n "$mine" ] && printf '%s\n' "$mine"
printf '%s\n' "$log" | grep -E '^scan-build: ([0-9]+ bugs? found|No bugs found)' | tail -1
if [ -n "$mine" ]; then
	echo "scan-build: FAIL ($(printf '%s\n' "$mine" | wc -l) findings in the tree;" \
		"scan-view $dir/meson-logs/scanbuild/* shows each)"
	exit 1
fi
echo "scan-build: ok (0 findings in the tree)"
