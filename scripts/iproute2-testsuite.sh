#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs iproute2's own testsuite .t files (its tests/ and lib/generic.sh,
# from iproute2's source; not part of netkit) as its testsuite Makefile
# runs them: each in a new network namespace (here also a new mount
# namespace with a private /run/netns), IP/SS pointing at one tool, FAILED
# when the test wrote its error file. Once with Debian's ip and ss, once
# with netkit's; prints both results per test.
# The .t files say "#!/bin/sh" but use bash's "source": they run with bash
# (with dash each would "pass" without running a command).
# Usage: scripts/iproute2-testsuite.sh IPROUTE2_TESTSUITE_DIR [NETKIT_BIN_DIR]   (root)
set -u
ts=$(cd "${1:?iproute2 testsuite directory (with tests/ and lib/)}" && pwd)
nkbin=$(cd "${2:-$(dirname "$0")/../build/bin}" && pwd)
cd "$ts" || exit 1
for t in $(cd tests && find . -name '*.t' | sed 's|^\./||' | sort); do
	for who in debian netkit; do
		if [ $who = debian ]; then ipb=$(command -v ip); ssb=$(command -v ss); else ipb=$nkbin/ip; ssb=$nkbin/ss; fi
		res=$(mktemp -d)
		errf=$res/err
		out=$(mktemp)
		err=$(mktemp)
		STD_ERR=$err STD_OUT=$out IP=$ipb SS=$ssb TC=tc DEV=lo ERRF=$errf \
			unshare -n -m sh -c 'mkdir -p /run/netns && mount -t tmpfs none /run/netns && exec bash "$0"' \
			"tests/$t" >"$res/out" 2>&1
		rc=$?
		if [ $rc = 127 ]; then r=SKIPPED; elif [ -e "$errf" ]; then r=FAILED; else r=PASS; fi
		printf '%-40s %-7s %s\n' "$t" "$who" "$r"
		[ "$r" = FAILED ] && sed 's/^/    /' "$errf" | head -20
		rm -rf "$res" "$out" "$err"
	done
done
