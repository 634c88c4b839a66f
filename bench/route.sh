#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# route -n (and route -n -ee, route -j -n) with N IPv4 routes (default
# 500000) in a private namespace: netkit against net-tools 2.10 in the same
# run, medians of hyperfine runs, the ratio (goal <= 0.5) and peak RSS
# (goal < 16 MiB); then again with a big second table beside main.
# Usage: bench/route.sh [N]     (root; RUNS=10 by default)
set -eu
. "$(dirname "$0")/lib.sh"
bench_in_netns "${1:-500000}" <<'EOS'
# host routes via a gateway, and every 16th a /24 on the link
secs=$(python3 - "$N" <<'PY' | bench_batch
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(n):
    a, b, c = i >> 16 & 255, i >> 8 & 255, i & 255
    if i % 16 == 15:
        j = i >> 4
        w(f"route add 11.{j >> 8 & 255}.{j & 255}.0/24 dev v0 metric {i % 7}\n")
    else:
        w(f"route add 10.{a}.{b}.{c}/32 via 192.168.0.2 dev v0\n")
PY
)
echo "$(($(wc -l < /proc/net/route) - 1)) routes in the main table (built in $secs s)"
for args in "-n" "-n -ee"; do
	cmp <(/usr/sbin/route $args) <("$NK_ROUTE" $args) && echo "route $args: outputs identical"
done
pair() {
	bench_cmp "route $*" net-tools "/usr/sbin/route $*" "$NK_ROUTE $*"
}
pair -n
pair -n -ee
# JSON has no net-tools counterpart: its time against net-tools' text
json=$(mktemp)
hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-json "$json" \
	-n "net-tools route -n" "/usr/sbin/route -n" -n "netkit route -j -n" "$NK_ROUTE -j -n" >/dev/null
python3 - "$json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
o, n = (r["median"] for r in res)
print(f"route -j -n        (vs net-tools -n) {n*1000:8.1f} ms  ratio {n/o:5.2f}")
PY
rm -f "$json"
# A big table beside main (N/2 routes in table 100, as policy routing
# makes): the kernel walks only main for both tools, net-tools through
# /proc/net/route, netkit through a dump filtered by table (strict check).
python3 - "$N" <<'PY' | bench_batch >/dev/null
import sys
for i in range(int(sys.argv[1]) // 2):
    print(f"route add 12.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/32 via 192.168.0.2 table 100")
PY
cmp <(/usr/sbin/route -n) <("$NK_ROUTE" -n) && echo "route -n: outputs identical"
bench_cmp "route -n (+ $((N / 2)) in table 100)" net-tools "/usr/sbin/route -n" "$NK_ROUTE -n"
EOS
