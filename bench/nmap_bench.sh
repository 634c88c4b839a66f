#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# netkit nmap against nmap and against the bare sendmmsg floor
# (bench/nmap_floor.c), all measured in the same run on the same lab.
# Prints medians and ratios; quote ratios, not absolute times (the
# machine is shared).
#
#   bash bench/nmap_bench.sh [syn|sweep|lossy|udp|all] [RUNS]
#
# Uses the lab named by NETKIT_LAB, or brings up its own (and removes it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
what=${1:-all}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT

cc -O2 -o "$work/floor" "$top/bench/nmap_floor.c"
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nkbench)
	lab=$own_lab
fi
ns="ip netns exec nk-$lab-client"
client=198.18.1.2 target=198.18.3.10 slow=198.18.5.2

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# medians of several commands run round-robin (one warm-up each, then
# RUNS rounds of A B C ...), so a change in the machine's load hits every
# command alike instead of whichever hyperfine happened to be running;
# prints the medians in order, then the 1-minute load before and after
rr_medians() {
	python3 - "$runs" "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, cmds = int(sys.argv[1]), sys.argv[2:]
load0 = os.getloadavg()[0]
def once(c):
    t = time.perf_counter()
    subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t
for c in cmds:
    once(c)
times = [[] for _ in cmds]
for _ in range(runs):
    for i, c in enumerate(cmds):
        times[i].append(once(c))
print(" ".join("%.4f" % statistics.median(t) for t in times),
      "%.2f %.2f" % (load0, os.getloadavg()[0]))
PY
}

# the ports netkit and nmap report in a state, from grepable output
ports_in() { # STATE CMD...
	local st=$1; shift
	{ "$@" -oG - 2>/dev/null | tr ',' '\n' | grep -o "[0-9]*/$st/" || true; } |
		cut -d/ -f1 | sort -n | tr '\n' ' '
}

bench_syn() {
	echo "== -sS -p- against target ($target: nftables drops 8081,8082, rejects 8083)"
	local nk nm fl l0 l1
	read -r nk nm fl l0 l1 < <(rr_medians "$ns $netkit nmap -sS -p- -n -Pn $target" \
		"$ns nmap -T4 -sS -p- -n -Pn $target" "$ns $work/floor syn $client $target 1 65535")
	echo "netkit $nk s   nmap -T4 $nm s   floor $fl s   (medians of $runs rounds, load $l0 -> $l1)"
	echo "netkit/nmap $(ratio "$nk" "$nm")   netkit/floor $(ratio "$nk" "$fl")"
	for st in open filtered; do
		a=$(ports_in $st $ns "$netkit" nmap -sS -p- -n -Pn $target)
		b=$(ports_in $st $ns nmap -T4 -sS -p- -n -Pn $target)
		[ "$a" = "$b" ] && echo "$st ports identical: $a" || echo "$st ports DIFFER: netkit [$a] nmap [$b]"
	done
}

bench_sweep() {
	echo "== -sn ping sweep of 198.19.0.0/16 (every address answers)"
	local nk nm fl up l0 l1
	read -r nk nm fl l0 l1 < <(rr_medians "$ns $netkit nmap -sn -n 198.19.0.0/16" \
		"$ns nmap -sn -n 198.19.0.0/16" "$ns $work/floor echo $client 198.19.0.0/16")
	echo "netkit $nk s   nmap $nm s   floor $fl s   (medians of $runs rounds, load $l0 -> $l1)"
	echo "netkit/nmap $(ratio "$nk" "$nm")   netkit/floor $(ratio "$nk" "$fl")"
	up=$($ns "$netkit" nmap -sn -n 198.19.0.0/16 | tail -1)
	echo "netkit: $up"
}

bench_lossy() {
	echo "== -sS -p- against slow ($slow: 10 ms +-1 ms and 2.5% loss each way)"
	local nk nm l0 l1
	read -r nk nm l0 l1 < <(rr_medians "$ns $netkit nmap -sS -p- -n -Pn $slow" \
		"$ns nmap -T4 -sS -p- -n -Pn $slow")
	echo "netkit $nk s   nmap -T4 $nm s   netkit/nmap $(ratio "$nk" "$nm")   (medians of $runs rounds, load $l0 -> $l1)"
	a=$(ports_in open $ns "$netkit" nmap -sS -p- -n -Pn $slow)
	b=$(ports_in open $ns nmap -T4 -sS -p- -n -Pn $slow)
	[ "$a" = "$b" ] && echo "open ports identical: [$a]" || echo "open ports DIFFER: netkit [$a] nmap [$b]"
}

bench_udp() {
	echo "== -sU --top-ports 100 against target: states"
	for st in open closed "open|filtered" filtered; do
		a=$(ports_in "$st" $ns "$netkit" nmap -sU --top-ports 100 -n -Pn $target)
		b=$(ports_in "$st" $ns nmap -sU --top-ports 100 -n -Pn $target)
		[ "$a" = "$b" ] && echo "$st identical: $a" || echo "$st DIFFER: netkit [$a] nmap [$b]"
	done
	# the ports not listed (nmap's "Ignored State: closed (99)")
	a=$($ns "$netkit" nmap -sU --top-ports 100 -n -Pn -oG - $target | grep -o 'Ignored State.*' || true)
	b=$($ns nmap -sU --top-ports 100 -n -Pn -oG - $target | grep -o 'Ignored State.*' || true)
	[ "$a" = "$b" ] && echo "ignored identical: $a" || echo "ignored DIFFER: netkit [$a] nmap [$b]"
}

case $what in
syn) bench_syn ;;
sweep) bench_sweep ;;
lossy) bench_lossy ;;
udp) bench_udp ;;
all) bench_syn; bench_sweep; bench_lossy; bench_udp ;;
*) echo "usage: $0 [syn|sweep|lossy|udp|all] [RUNS]" >&2; exit 2 ;;
esac
