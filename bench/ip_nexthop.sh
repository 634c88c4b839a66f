#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ip nexthop show / ip -j nexthop show with N nexthop objects (default
# 100000: gateways on a veth, blackholes and two-member groups) in a
# private namespace: netkit against iproute2, wall medians (hyperfine),
# ratio (goal <= 0.6), peak RSS, then CPU-time medians.
# Usage: bench/ip_nexthop.sh [N]     (root; RUNS=10 by default)
set -eu
. "$(dirname "$0")/lib.sh"
bench_in_netns "${1:-100000}" <<'EOS'
secs=$(python3 - "$N" <<'PY' | bench_batch
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(1, n + 1):
    k = i % 10
    if k == 0 and i > 2:
        w(f"nexthop add id {i} group {i - 1}/{i - 2},3\n")
    elif k == 5:
        w(f"nexthop add id {i} blackhole\n")
    else:
        w(f"nexthop add id {i} via 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255} dev v0 onlink\n")
PY
)
echo "$(ip nexthop show | wc -l) nexthops (built in $secs s)"
cmp <(ip nexthop show) <("$NK_IP" nexthop show) && echo "outputs identical"
cmp <(ip -j nexthop show) <("$NK_IP" -j nexthop show) && echo "JSON outputs identical"
bench_pair "ip nexthop show" nexthop show
bench_pair "ip -j nexthop show" -j nexthop show
bench_pair "ip nexthop show groups" nexthop show groups
RUNS=$(( ${RUNS:-10} * 3 )) cpu_pair "ip nexthop show" nexthop show
RUNS=$(( ${RUNS:-10} * 3 )) cpu_pair "ip -j nexthop show" -j nexthop show
EOS
