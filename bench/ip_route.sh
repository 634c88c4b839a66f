#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ip route show / ip -j route show with N IPv4 routes (default 500000) in
# a private namespace: netkit against iproute2, medians of hyperfine runs,
# ratio (goal <= 0.6) and peak RSS (goal < 16 MiB), and the floor: a
# bare kernel dump of the same table that throws the bytes away
# (bench/nl_dump_floor.c), as a ratio to iproute2 too.
# Usage: bench/ip_route.sh [N]     (root; RUNS=10 by default)
set -eu
. "$(dirname "$0")/lib.sh"
bench_in_netns "${1:-500000}" <<'EOS'
secs=$(python3 - "$N" <<'PY' | bench_batch
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(n):
    w(f"route add 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/32 via 192.168.0.2 dev v0\n")
PY
)
echo "$(ip route show | wc -l) routes in the main table (built in $secs s)"
# sanity: the same bytes
cmp <(ip route show) <("$NK_IP" route show) && echo "outputs identical"
bench_pair "ip route show" route show
bench_pair "ip -j route show" -j route show
floor=$(mktemp)
cc -O2 -o "$floor" "$BENCH_DIR/nl_dump_floor.c"
json=$(mktemp)
hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-json "$json" \
	-n iproute2 "/usr/sbin/ip route show" -n floor "$floor" >/dev/null
python3 - "$json" <<'PY'
import json, sys
o, f = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
print(f"{'bare kernel dump (floor)':<28} iproute2 {o*1000:8.1f} ms  floor  {f*1000:8.1f} ms  ratio  {f/o:4.2f}")
PY
rm -f "$floor" "$json"
EOS
