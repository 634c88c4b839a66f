#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test and ends with one line "N passed, N failed":
#  - cmocka unit tests in the plain build and in the ASan+UBSan build;
#  - pytest integration tests, run against the ASan+UBSan binary. Tests
#    that send packets run inside `unshare --net`, a network namespace with
#    no link to this machine's network (their labs are namespaces made from
#    inside it); tests marked `hostns` only read the host's own tables
#    (ip/ss/route show) and run outside it;
#  - each libFuzzer target for a few seconds (tests/fuzz, scripts/fuzz.sh);
#  - cppcheck over src/ (scripts/cppcheck.sh), clang's static analyzer
#    (scripts/scan-build.sh), the clang-format check and
#    the SPDX line of every source file.
# Usage: scripts/check.sh [pytest args...]
set -u
cd "$(dirname "$0")/.."
top=$PWD
pass=0
fail=0
PY=/usr/bin/python3

count_unit() { # build dir
	local t out p f
	for t in "$1"/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		out=$(ASAN_OPTIONS=detect_leaks=1 timeout 300 "$t" 2>&1)
		local rc=$?
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		p=${p:-0}
		f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed or timed out before cmocka could count
		fi
		if [ "$f" -ne 0 ]; then
			printf '%s\n' "$out" | tail -40
			echo "unit FAIL: $t ($1)"
		fi
		pass=$((pass + p))
		fail=$((fail + f))
	done
}

count_pytest() { # label, then the command
	local label=$1
	shift
	local log
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local line p f e
	line=$(grep -E '[0-9]+ (passed|failed|error)' "$log" | tail -1)
	p=$(printf '%s' "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(printf '%s' "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	e=$(printf '%s' "$line" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
	p=${p:-0}
	f=$(( ${f:-0} + ${e:-0} ))
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "pytest ($label) exited $rc"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	rm -f "$log"
}

echo "== unit tests (plain build)"
count_unit build
echo "== unit tests (ASan+UBSan build)"
count_unit build-asan

export NETKIT="$top/build-asan/netkit"
export NETKIT_BIN="$top/build-asan/bin"
export NETKIT_TOP="$top"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== integration tests, read-only on the host's tables"
count_pytest hostns $PY -m pytest -q -p no:cacheprovider -m hostns --timeout=600 --durations=40 "$@" tests/integration
echo "== integration tests, inside unshare --net"
count_pytest netns unshare --net -- $PY -m pytest -q -p no:cacheprovider -m "not hostns" --timeout=600 --durations=40 "$@" tests/integration

echo "== fuzzing (libFuzzer, ${NETKIT_FUZZ_SECONDS:-15} s a target)"
while read -r line; do
	echo "$line"
	case "$line" in
	"fuzz "*": ok") pass=$((pass + 1)) ;;
	"fuzz "*": FAIL") fail=$((fail + 1)) ;;
	esac
done < <(bash scripts/fuzz.sh "${NETKIT_FUZZ_SECONDS:-15}" 2>&1)

echo "== clang-format"
if git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run --Werror >/dev/null 2>&1; then
	pass=$((pass + 1))
else
	git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run --Werror 2>&1 | head -20
	echo "clang-format: FAIL (run 'make format')"
	fail=$((fail + 1))
fi

echo "== static analysis (scripts/cppcheck.sh)"
if bash scripts/cppcheck.sh; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi

echo "== clang's static analyzer (scripts/scan-build.sh, ~2.5 min)"
if bash scripts/scan-build.sh; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi

echo "== SPDX lines (scripts/spdx.sh)"
if bash scripts/spdx.sh; then
	pass=$((pass + 1))
else
	echo "SPDX: FAIL (run 'bash scripts/spdx.sh --fix')"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
