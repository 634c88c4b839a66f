#!/usr/bin/env bash
# netkit mtr against mtr 0.95 on the same lab path: lab/default.lab for
# speed (client - r1 - r2 - target), lab/mtr-line.lab for accuracy.
#   bench/mtr.sh speed [RUNS]        wall and CPU time of `mtr -r -n -c 10 -i 0.1`,
#                                    medians of RUNS (default 10) hyperfine runs
#   bench/mtr.sh accuracy [CYCLES]   per-hop Avg and Loss% with links set to
#                                    5/10/20 ms one way and 0/5/10 % loss each
#                                    way, CYCLES (default 1000) cycles, both tools
#                                    run at the same time on the same path
# Needs root (namespaces; the lab's impaird does the impairments). Prints
# one table and the ratios.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
NK=${NETKIT_BIN:-$top/build/bin}/mtr
MTR=/usr/bin/mtr
NETKIT=${NETKIT_BIN:-$top/build/bin}/../netkit
[ -x "$NETKIT" ] || NETKIT=$top/build/netkit
p=nkb$$
trap '"$NETKIT" lab down $p >/dev/null 2>&1 || true' EXIT
ns() { ip netns exec "nk-$p-client" "$@"; }

speed() {
	local runs=${1:-10} out
	"$NETKIT" lab up -q --name $p lab/default.lab >/dev/null
	out=$(mktemp)
	hyperfine -N -w 1 -r "$runs" --export-json "$out" \
		-n netkit "ip netns exec nk-$p-client $NK -r -n -c 10 -i 0.1 198.18.3.10" \
		-n mtr "ip netns exec nk-$p-client $MTR -r -n -c 10 -i 0.1 198.18.3.10" >/dev/null
	python3 - "$out" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n, m = r["netkit"], r["mtr"]
print(f"{'':8} {'median wall s':>14} {'user+sys s':>11}")
for k, x in (("netkit", n), ("mtr", m)):
    print(f"{k:8} {x['median']:14.3f} {x['user'] + x['system']:11.4f}")
print(f"wall ratio netkit/mtr: {n['median'] / m['median']:.3f}  (issue: <= 1.2)")
print(f"cpu ratio netkit/mtr:  {(n['user'] + n['system']) / max(m['user'] + m['system'], 1e-9):.3f}")
PY
	rm -f "$out"
}

accuracy() {
	local cycles=${1:-1000} d
	d=$(mktemp -d)
	"$NETKIT" lab up -q --name $p lab/mtr-line.lab >/dev/null
	ns "$NK" --json -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/nk.json" &
	ns "$MTR" --json -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/mtr.json" &
	wait
	# what the emulated links really impose, for reference: ping's average
	# without loss on the same hops (the lab's NFQUEUE impaird adds ~0.1-0.3 ms a hop)
	for h in 198.18.1.1 198.18.12.2 198.18.3.10; do
		ns ping -q -n -c 200 -i 0.02 "$h" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'
	done >"$d/ping"
	python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
ping = [float(x) for x in open(f"{d}/ping").read().split()]
nk = json.load(open(f"{d}/nk.json"))["report"]["hubs"]
mt = json.load(open(f"{d}/mtr.json"))["report"]["hubs"]
# one way delay and loss per link; a hop's probe and answer cross links 1..k
links = [(5, 0.00), (10, 0.05), (20, 0.10)]
print(f"{'hop':>3} {'expect Avg':>10} {'ping':>8} {'netkit':>8} {'mtr':>8} | {'expect Loss%':>12} {'netkit':>7} {'mtr':>7}")
worst_nk_avg = worst_mt_avg = worst_nk_loss = worst_mt_loss = 0
for k in range(3):
    rtt = 2 * sum(l[0] for l in links[:k + 1])
    keep = 1.0
    for l in links[:k + 1]:
        keep *= (1 - l[1]) ** 2
    loss = 100 * (1 - keep)
    a, b = nk[k], mt[k]
    print(f"{k + 1:>3} {rtt:10.1f} {ping[k] if k < len(ping) else 0:8.2f} {a['Avg']:8.2f} {b['Avg']:8.2f} | {loss:12.2f} {a['Loss%']:7.2f} {b['Loss%']:7.2f}")
    worst_nk_avg = max(worst_nk_avg, abs(a["Avg"] - rtt))
    worst_mt_avg = max(worst_mt_avg, abs(b["Avg"] - rtt))
    worst_nk_loss = max(worst_nk_loss, abs(a["Loss%"] - loss))
    worst_mt_loss = max(worst_mt_loss, abs(b["Loss%"] - loss))
print(f"largest Avg error:   netkit {worst_nk_avg:.2f} ms, mtr {worst_mt_avg:.2f} ms (issue: <= 2 ms)")
print(f"largest Loss% error: netkit {worst_nk_loss:.2f}, mtr {worst_mt_loss:.2f} points (issue: <= 3)")
PY
	rm -rf "$d"
}

case ${1:-speed} in
speed) speed "${2:-10}" ;;
accuracy) accuracy "${2:-1000}" ;;
*) echo "usage: $0 speed [RUNS] | accuracy [CYCLES]" >&2; exit 2 ;;
esac
