#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ss benchmark: netkit ss against iproute2's ss on the same namespace,
# in one run, medians of several runs (hyperfine), and the ratios.
#   [ROUNDS=3] bench/ss.sh [CONNECTIONS]   (default 50000 connections = 100,000 sockets)
# The sockets live in a private network namespace (unshare --net), held by
# several processes because of the per-process fd limit. Measures:
#   ss -tan, ss -tanp, ss -s, a filtered dump (dport = :P matching 1 %),
#   and netkit's peak RSS as the socket count grows (it must stay flat).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
NK=${NK:-$top/build/bin/ss}
SS=${SS:-/usr/bin/ss}
CONNS=${1:-50000}
[ -x "$NK" ] || { echo "build first: make"; exit 1; }
if [ "${NKSS_INNER:-}" != 1 ]; then
	exec unshare --net env NKSS_INNER=1 bash "$0" "$@"
fi
ip link set lo up
# listeners sit below the ephemeral range, so that clients never take their ports
sysctl -qw net.ipv4.ip_local_port_range="10000 65535"
sysctl -qw net.core.somaxconn=4096

tmp=$(mktemp -d)
pids=()
declare -A ports
hold() { # port conns
	mkfifo "$tmp/in$1"
	python3 bench/ss_hold.py "$1" "$2" <"$tmp/in$1" >"$tmp/out$1" 2>"$tmp/err$1" &
	pids+=($!)
	ports[$!]=$1
	exec {fd}>"$tmp/in$1"
	eval "fd_$1=$fd"
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
wait_ready() {
	for p in "${pids[@]}"; do
		local port=${ports[$p]}
		while ! grep -q ready "$tmp/out$port" 2>/dev/null; do
			if ! kill -0 "$p" 2>/dev/null; then
				echo "holder for port $port failed:"
				cat "$tmp/err$port"
				exit 1
			fi
			sleep 0.2
		done
	done
}

# 1 % of the sockets: the client ends of the connections to port 5999
filtered=$((CONNS * 2 / 100))
hold 5999 "$filtered"
left=$((CONNS - filtered))
port=6000
half=$((left / 2))
rss() { (command time -f %M "$@" >/dev/null) 2>&1; }
phase() { # connections to add
	local todo=$1 n
	while [ "$todo" -gt 0 ]; do
		n=$((todo > 9000 ? 9000 : todo))
		hold "$port" "$n"
		todo=$((todo - n))
		port=$((port + 1))
	done
	wait_ready
}
# memory must not grow with the socket count: measured at half and full
phase "$half"
half_socks=$($SS -tanH | wc -l)
rss_half=$(rss "$NK" -tan)
phase $((left - half))
total=$($SS -tanH | wc -l)
echo "sockets in the namespace: $total (TCP), $(nproc) cores"

# Each tool's runs are split into ROUNDS alternating blocks (iproute2,
# netkit, iproute2, ...), so that the load of a shared machine, which drifts
# over a benchmark, weighs on both alike; the medians are over all runs.
ROUNDS=${ROUNDS:-3}
med() { # json-files... -> median seconds over all their runs
	python3 -c 'import json,sys,statistics as s; print("%.4f" % s.median([t for f in sys.argv[1:] for t in json.load(open(f))["results"][0]["times"]]))' "$@"
}
bench() { # label runs-iproute2 runs-netkit args...
	local label=$1 runs=$2 nkruns=$3 r
	shift 3
	local per=$(((runs + ROUNDS - 1) / ROUNDS)) nkper=$(((nkruns + ROUNDS - 1) / ROUNDS))
	for r in $(seq "$ROUNDS"); do
		local w=$((r == 1 ? 1 : 0)) # caches are warm after the first round
		hyperfine -N -w "$w" -r "$per" --export-json "$tmp/a$r.json" "$SS $*" >/dev/null 2>&1
		hyperfine -N -w "$w" -r "$nkper" --export-json "$tmp/b$r.json" "$NK $*" >/dev/null 2>&1
	done
	local a b
	a=$(med "$tmp"/a[0-9]*.json)
	b=$(med "$tmp"/b[0-9]*.json)
	rm -f "$tmp"/a[0-9]*.json "$tmp"/b[0-9]*.json
	printf '%-28s iproute2 %8.4fs  netkit %8.4fs  ratio %.3f\n' "$label" "$a" "$b" \
		"$(python3 -c "print($b/$a)")"
}
# identical output first: a benchmark of different work means nothing
for args in "-tan" "-tanp" "-tan dport = :5999"; do
	if ! cmp -s <($SS $args) <($NK $args); then
		echo "WARNING: outputs differ for ss $args"
	fi
done
# iproute2 -tanp takes seconds a run: fewer of its runs, more of ours
bench "ss -tan" 10 10 -tan
bench "ss -tanp" 3 15 -tanp
bench "ss -s" 200 200 -s
bench "ss -tan dport = :5999 (1%)" 10 10 -tan dport = :5999
echo "peak RSS (KiB): iproute2 -tan $(rss "$SS" -tan), netkit -tan $(rss "$NK" -tan)" \
	"(at $half_socks sockets: $rss_half), netkit -tanp $(rss "$NK" -tanp)," \
	"iproute2 -tanp $(rss "$SS" -tanp)"
