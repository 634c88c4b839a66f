#!/usr/bin/env bash
# Builds the packet-parser fuzzer with clang's libFuzzer + ASan/UBSan and
# runs it for N seconds (default 30). Usage: bash tests/fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
out=build-fuzz
mkdir -p "$out/corpus"
clang -g -O1 -std=gnu11 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -o "$out/fuzz_pkt" tests/fuzz/fuzz_pkt.c src/lib/pkt/*.c
"$out/fuzz_pkt" -max_total_time="${1:-30}" -max_len=1500 "$out/corpus"
