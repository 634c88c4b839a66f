#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Static analysis of src/ with cppcheck (Debian's cppcheck 2.10), run by
# `make check` and `make analyze`. The checks: cppcheck's "warning"
# (undefined behaviour, uninitialised data, null dereferences, bounds,
# memory and descriptor leaks, wrong API use), "portability" and
# "performance" classes, with the POSIX library description (file
# descriptors, POSIX calls), not the "style" class. Zero findings are
# expected: each suppression is in scripts/cppcheck.supp with its reason,
# or inline as "cppcheck-suppress ID" under a comment saying why.
# Takes ~10 s on two cores. Exits 1 and prints the findings if any.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
out=$(cppcheck -q --std=c11 -Isrc -D_GNU_SOURCE -DNETKIT_VERSION='"0"' \
	-DNETKIT_DATADIR='"/usr/share/netkit"' -DNETKIT_SRCDATADIR='"data"' \
	--library=posix --enable=warning,portability,performance --inline-suppr \
	--suppressions-list=scripts/cppcheck.supp --error-exitcode=1 -j "$jobs" \
	--template='{file}:{line}: {severity} ({id}): {message}' src 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
	echo "cppcheck: FAIL"
	exit 1
fi
echo "cppcheck: ok (0 findings)"
