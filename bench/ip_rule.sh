#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ip rule show / ip -j rule show with N IPv4 rules (default 10000) in a
# private namespace: netkit against iproute2, medians of hyperfine runs,
# ratio (goal <= 0.6) and peak RSS; then the CPU time of each (user +
# system, medians), which moves less than wall time when the machine is
# loaded.
# Usage: bench/ip_rule.sh [N]     (root; RUNS=10 by default)
set -eu
. "$(dirname "$0")/lib.sh"
bench_in_netns "${1:-10000}" <<'EOS'
# rules of several shapes: from/to prefixes, fwmarks, iif, tables
secs=$(python3 - "$N" <<'PY' | bench_batch
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(n):
    a = f"{i >> 8 & 255}.{i & 255}"
    k = i % 4
    if k == 0:
        w(f"rule add from 10.{a}.0/24 table {100 + i % 50} pref {1000 + i}\n")
    elif k == 1:
        w(f"rule add to 10.{a}.1 fwmark {i} table {100 + i % 50} pref {1000 + i}\n")
    elif k == 2:
        w(f"rule add iif v0 from 10.{a}.0/24 lookup main pref {1000 + i}\n")
    else:
        w(f"rule add from 10.{a}.0/24 to 172.16.0.0/12 blackhole pref {1000 + i}\n")
PY
)
echo "$(ip rule show | wc -l) rules (built in $secs s)"
cmp <(ip rule show) <("$NK_IP" rule show) && echo "outputs identical"
cmp <(ip -j rule show) <("$NK_IP" -j rule show) && echo "JSON outputs identical"
bench_pair "ip rule show" rule show
bench_pair "ip -j rule show" -j rule show
bench_pair "ip rule show table 120" rule show table 120
RUNS=$(( ${RUNS:-10} * 3 )) cpu_pair "ip rule show" rule show
RUNS=$(( ${RUNS:-10} * 3 )) cpu_pair "ip -j rule show" -j rule show
EOS
