#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# netkit mtr against mtr 0.95 on the same lab path: lab/default.lab for
# speed (client - r1 - r2 - target), lab/mtr-line.lab for accuracy.
#   bench/mtr.sh speed [RUNS]        wall and CPU time of `mtr -r -n -c 10 -i 0.1`,
#                                    medians of RUNS (default 10) hyperfine runs
#   bench/mtr.sh accuracy [CYCLES]   per-hop Avg and Loss% with links set to
#                                    5/10/20 ms one way and 0/5/10 % loss each
#                                    way, CYCLES (default 1000) cycles, both tools
#                                    run at the same time on the same path; Loss%
#                                    against the configured rates and against the
#                                    true loss of each tool's own probes (counted
#                                    by the lab's impairment daemons, `netkit lab flows`);
#                                    then a second pass against mtr --raw:
#                                    mtr's printed Avg and its real mean
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
	local cycles=${1:-1000} d nkpid
	d=$(mktemp -d)
	"$NETKIT" lab up -q --name $p lab/mtr-line.lab >/dev/null
	# the ground truth: the lab's impairment daemons record every probe and
	# reply they pass or drop (`netkit lab flows`); start from nothing
	"$NETKIT" lab flows --reset $p
	ip netns exec "nk-$p-client" "$NK" --json -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/nk.json" &
	nkpid=$!
	ns "$MTR" --json -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/mtr.json" &
	wait
	sleep 0.5 # the daemons write their records within 0.2 s
	"$NETKIT" lab flows -j $p >"$d/flows.json"
	# ping's average on the same hops, for reference: what the emulated
	# links add on top of the nominal delay (impaird's NFQUEUE round trips)
	for h in 198.18.1.1 198.18.12.2 198.18.3.10; do
		ns ping -q -n -c 200 -i 0.02 "$h" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'
	done >"$d/ping"
	python3 - "$d" "$nkpid" <<'PY'
import json, sys
d, nkpid = sys.argv[1], int(sys.argv[2]) & 0xffff
ping = [float(x) for x in open(f"{d}/ping").read().split()]
nk = json.load(open(f"{d}/nk.json"))["report"]["hubs"]
mt = json.load(open(f"{d}/mtr.json"))["report"]["hubs"]
# true loss of each tool's own probes, per TTL: netkit's ICMP id is its pid,
# mtr's flow is the other echo flow
flows = [f for f in json.load(open(f"{d}/flows.json"))["flows"] if f["proto"] == "icmp"]
truth = {}
for f in flows:
    who = "netkit" if f["id"] == nkpid else "mtr"
    if who in truth and sum(h["probes"] for h in f["hops"]) < truth[who][0]:
        continue
    truth[who] = (sum(h["probes"] for h in f["hops"]), {h["ttl"]: h for h in f["hops"]})
# one way delay and loss per link; a hop's probe and answer cross links 1..k
links = [(5, 0.00), (10, 0.05), (20, 0.10)]
print(f"{'':>3} {'configured':>15} | {'true loss of own probes':>23} | {'Loss%':>13} | {'Avg ms':>22}")
print(f"{'hop':>3} {'RTT':>6} {'Loss%':>8} | {'netkit':>11} {'mtr':>11} | {'netkit':>6} {'mtr':>6} | {'ping':>6} {'netkit':>7} {'mtr':>7}")
err = {k: 0.0 for k in ("nk_true", "mt_true", "nk_cfg", "mt_cfg", "nk_avg", "mt_avg")}
for k in range(3):
    rtt = 2 * sum(l[0] for l in links[:k + 1])
    keep = 1.0
    for l in links[:k + 1]:
        keep *= (1 - l[1]) ** 2
    loss = 100 * (1 - keep)
    a, b = nk[k], mt[k]
    ta, tb = truth["netkit"][1][k + 1], truth["mtr"][1][k + 1]
    la = 100 * (ta["lost"]) / ta["probes"]
    lb = 100 * (tb["lost"]) / tb["probes"]
    print(f"{k + 1:>3} {rtt:6.1f} {loss:8.2f} | {la:5.2f} ({ta['lost']:>3}) {lb:5.2f} ({tb['lost']:>3}) | "
          f"{a['Loss%']:6.2f} {b['Loss%']:6.2f} | {ping[k] if k < len(ping) else 0:6.2f} {a['Avg']:7.2f} {b['Avg']:7.2f}")
    for key, v in (("nk_true", a["Loss%"] - la), ("mt_true", b["Loss%"] - lb),
                   ("nk_cfg", a["Loss%"] - loss), ("mt_cfg", b["Loss%"] - loss),
                   ("nk_avg", a["Avg"] - rtt), ("mt_avg", b["Avg"] - rtt)):
        err[key] = max(err[key], abs(v))
print(f"largest Loss% error against the true loss of its own probes: netkit {err['nk_true']:.2f}, mtr {err['mt_true']:.2f} points (a correct tool: ~0)")
print(f"largest Loss% error against the configured rates: netkit {err['nk_cfg']:.2f}, mtr {err['mt_cfg']:.2f} points (issue: <= 3)")
print(f"largest Avg error against the configured delays: netkit {err['nk_avg']:.2f} ms, mtr {err['mt_avg']:.2f} ms (issue: <= 2 ms)")
PY
	# mtr 0.95 keeps each hop's average in an int and adds (rtt - avg) / n
	# to it, truncating: every update loses up to 1 us, and a long run
	# reports a lower Avg than its own round trips had (~0.2 ms at 1000
	# cycles). So a second pass: netkit as above, and mtr --raw at the same
	# time, whose round trips give both what mtr's report prints and their
	# real mean.
	"$NETKIT" lab flows --reset $p
	ip netns exec "nk-$p-client" "$NK" --json -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/nk2.json" &
	ns "$MTR" --raw -n -c "$cycles" -i 0.05 198.18.3.10 >"$d/mtr.raw" &
	wait
	python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
nk = json.load(open(f"{d}/nk2.json"))["report"]["hubs"]
rtt = {}
for line in open(f"{d}/mtr.raw"):
    f = line.split()
    if len(f) >= 3 and f[0] == "p":  # "p HOP USEC SEQ"
        rtt.setdefault(int(f[1]), []).append(int(f[2]))
print()
print("second pass, Avg ms: netkit --json and mtr --raw at the same time")
print(f"{'hop':>3} {'RTT':>6} | {'netkit':>7} {'mtr as printed':>15} {'mtr real mean':>14} | {'netkit err':>10} {'mtr err':>8}")
worst = [0.0, 0.0]
for k in range(3):
    cfg = 2 * sum((5, 10, 20)[:k + 1])
    v = rtt.get(k, [])
    avg = 0  # mtr's net.c: int avg; avg += (rtt - avg + .0) / returned
    for n, t in enumerate(v, 1):
        avg = int(avg + (t - avg) / n)
    real = sum(v) / len(v) / 1000 if v else float("nan")
    e_nk, e_mt = abs(nk[k]["Avg"] - cfg), abs(real - cfg)
    worst = [max(worst[0], e_nk), max(worst[1], e_mt)]
    print(f"{k + 1:>3} {cfg:6.1f} | {nk[k]['Avg']:7.2f} {avg / 1000:15.2f} {real:14.2f} | {e_nk:10.2f} {e_mt:8.2f}")
print(f"largest Avg error against the configured delays, mtr's real mean: netkit {worst[0]:.2f} ms, mtr {worst[1]:.2f} ms")
PY
	rm -rf "$d"
}

case ${1:-speed} in
speed) speed "${2:-10}" ;;
accuracy) accuracy "${2:-1000}" ;;
*) echo "usage: $0 speed [RUNS] | accuracy [CYCLES]" >&2; exit 2 ;;
esac
