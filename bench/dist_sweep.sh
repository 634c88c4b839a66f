#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# netkit dist on Slurm, measured: the lab's /16 ping sweep (198.19.0.0/16,
# every address answers) with --max-rate 2000 per shard, as a cluster
# operator sets a per-node rate, from `netkit dist submit` to the merged
# -oA/-oJ output, run as 1 shard and as 4 shards on a local 4-node Slurm
# (scripts/slurm-local.sh); prints min/median/max of each and the ratio of
# the medians (the issue's goal: 4 shards in at most 0.35 of 1), and the
# peak memory of the 4-shard merge (GNU time).
#
#   bash bench/dist_sweep.sh [RUNS]     # RUNS (default 3) of each; root
#
# Brings up its own lab and cluster inside `unshare --net` and takes them
# down at the end. NK=path/to/netkit for another build.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${NK_DIST_INNER:-}" ]; then
	exec env NK_DIST_INNER=1 unshare --net -- bash "$0" "$@"
fi
NK=${NK:-$PWD/build/netkit}
NMAP=$(dirname "$NK")/bin/nmap
RUNS=${1:-3}
tmp=$(mktemp -d /tmp/nk-distbench.XXXXXX)
LAB=nkdist$$
cleanup() {
	bash scripts/slurm-local.sh down "$tmp/slurm" >/dev/null 2>&1 || true
	"$NK" lab down "$LAB" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
"$NK" lab up -q --name "$LAB" >/dev/null
eval "$(bash scripts/slurm-local.sh up "$tmp/slurm" 4)"

one() { # shards -> seconds from submit to merged output
	local n=$1 job t0 id
	job=$tmp/job-$n-$RANDOM
	t0=$(date +%s.%N)
	id=$("$NK" dist submit --engine slurm --shards "$n" --dir "$job" -- \
		"$NK" lab exec --lab "$LAB" client "$NMAP" -n -sn --max-rate 2000 198.19.0.0/16)
	while [ -n "$(squeue -h -j "$id" 2>/dev/null)" ]; do sleep 0.1; done
	/usr/bin/time -f "%M" -o "$tmp/mem-$n" "$NK" dist merge "$job" -oA "$job/merged" -oJ "$job/merged.json" >/dev/null
	echo "$(date +%s.%N) - $t0" | bc
	grep -q 'hosts up="65536"' "$job/merged.xml" || echo "warning: $n shards: not 65536 hosts up" >&2
	rm -rf "$job"
}

stats() { sort -n | awk '{v[NR] = $1} END { printf "%.2f %.2f %.2f\n", v[1], v[int((NR + 1) / 2)], v[NR] }'; }

: > "$tmp/t1"
: > "$tmp/t4"
for _ in $(seq "$RUNS"); do
	one 1 >> "$tmp/t1"
	one 4 >> "$tmp/t4"
done
read -r a1 m1 x1 < <(stats < "$tmp/t1")
read -r a4 m4 x4 < <(stats < "$tmp/t4")
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1 shard : min $a1 median $m1 max $x1 s"
echo "4 shards: min $a4 median $m4 max $x4 s"
echo "ratio of medians (4/1): $(echo "scale=3; $m4 / $m1" | bc)"
echo "merge of 4 shards, peak RSS: $(cat "$tmp/mem-4") KB"
