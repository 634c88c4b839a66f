#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs
# each for SECONDS (default 10) from its corpus in tests/fuzz/corpus/NAME.
# Warnings are not errors here: gcc builds keep -Werror; clang only fuzzes.
# Inputs that crash are kept in build-fuzz/artifacts/ (add fixed ones to the
# corpus as regression seeds).
# Per target, tests/fuzz/NAME.options adds libFuzzer flags (one a line: the
# input size -max_len, which must let deep and long inputs through) and
# tests/fuzz/NAME.dict is passed as -dict.
# Prints one line per target: "fuzz NAME: ok" or "fuzz NAME: FAIL".
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false -Dwerror=false -Db_sanitize=address,undefined \
		-Db_lundef=false --buildtype=debug >/dev/null || exit 1
else
	meson configure build-fuzz -Dwerror=false >/dev/null || exit 1
fi
ninja -C build-fuzz >/dev/null || { echo "fuzz build: FAIL"; exit 1; }
rc=0
for f in build-fuzz/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	name=${f#build-fuzz/fuzz_}
	corpus=tests/fuzz/corpus/$name
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	mkdir -p build-fuzz/artifacts
	# tests/fuzz/NAME.options: libFuzzer flags, one a line (-max_len=...);
	# tests/fuzz/NAME.dict: the grammar's words
	opts=()
	if [ -f tests/fuzz/"$name".options ]; then
		while read -r o; do
			case "$o" in "" | "#"*) ;; *) opts+=("$o") ;; esac
		done <tests/fuzz/"$name".options
	fi
	[ -f tests/fuzz/"$name".dict ] && opts+=(-dict=tests/fuzz/"$name".dict)
	if "$f" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=0 "${opts[@]}" \
		-artifact_prefix=build-fuzz/artifacts/"$name"- "$work" \
		>"$work.log" 2>&1; then
		echo "fuzz $name: ok"
	else
		tail -30 "$work.log"
		echo "fuzz $name: FAIL"
		rc=1
	fi
	rm -rf "$work" "$work.log"
done
exit $rc
