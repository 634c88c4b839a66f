#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ip -s link show / ip -j -s link show with N veth interfaces (default
# 2000, made as N/2 pairs) in a private namespace: netkit against
# iproute2, medians of hyperfine runs, ratio (goal <= 0.7), peak RSS.
# Usage: bench/ip_link.sh [N]     (root; RUNS=10 by default)
set -eu
. "$(dirname "$0")/lib.sh"
bench_in_netns --no-veth "${1:-2000}" <<'EOS'
secs=$(for ((i = 0; i < N / 2; i++)); do
	echo "link add va$i type veth peer name vb$i"
done | bench_batch)
echo "$(ip -o link show | wc -l) links (made in $secs s)"
bench_pair "ip -s link show" -s link show
bench_pair "ip -j -s link show" -j -s link show
# one named link among them: asked for alone, not found in a dump
bench_pair "ip -s link show va7" -s link show va7
bench_pair "ip addr show dev va7" addr show dev va7
# route -n names a route's device: one name asked for, not every link
bench_cmp "route -n" net-tools "/usr/sbin/route -n" "$NK_ROUTE -n"
EOS
