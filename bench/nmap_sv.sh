#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Service detection: netkit nmap -sV against nmap -sV over every service
# port of the labs: the default lab's target (22,53,80,5432,6379,11211),
# web (80) and db (6379), and lab/services.lab's mail host (21,22,25,53,80,
# 110,143,443,993,995,2222,3306,8080), ns (53,80,8888), ns2 and ns3 (53,80),
# and apps (7,13,19,23,37,70,79,113,161,389,873,1080,1883,3478,3690,4222,
# 4730,5060,6667,9418,10050,11300): 50 ports.
# One run of a tool is its two scans one after the other (each lab has its
# own client); its time is their sum. At --version-intensity 5 and 7 the
# tools run round-robin in the same run; then netkit alone with
# --version-all (nmap's --version-all takes ~4 min a run here, so it is
# timed once, and only with ALL_NMAP=1). Prints min/median/max wall time of
# each, the ratio of the medians, the load (1-minute, before and after),
# and how many ports each named with a product (from its grepable output),
# so a faster run that knows less shows.
#
#   bash bench/nmap_sv.sh [RUNS]     (default 3; nmap takes ~110 s a run)
#
# On 2026-12-07 (ALL_NMAP=1, 3 runs, load 11.7 -> 0.9 on 2 cores, 28 ports):
# intensity 5 nmap 104.5 s, netkit 0.66 s (ratio 0.006); intensity 7 nmap
# 109.1 s, netkit 0.71 s (0.007); --version-all netkit 0.66 s, nmap 219.9 s
# (one run). netkit named a product on 28 of 28 ports, nmap on 25-26 (its
# count includes H2O's unrecognised "h2o/2.2.5" and MariaDB as "MySQL").
# On 2026-12-07 again with apps (50 ports; `unshare --net -- bash
# bench/nmap_sv.sh 1`, one run, load 16.0 -> 9.3 -> 16.4 on 2 cores):
# intensity 5 nmap 197.1 s, netkit 6.39 s (0.032); intensity 7 nmap
# 295.1 s, netkit 6.73 s (0.023); --version-all netkit 6.45 s. netkit named
# a product on 45 of 50 ports, nmap on 35-36. Of netkit's ~6.4 s, ~5.8 s
# is the version script mqtt-subscribe listening 5 s on Mosquitto (nmap's
# default listen-msecs), after -sV named it at 0.07 s.
#
# Brings up its own two labs (and removes them): the default one, or the
# one named by NETKIT_LAB, and services.lab.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-3}
own=()
trap 'for l in "${own[@]}"; do "$netkit" lab down "$l" >/dev/null 2>&1 || true; done' EXIT
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	lab=$("$netkit" lab up --name nkbenchsv)
	own+=("$lab")
fi
mlab=$("$netkit" lab up --name nkbenchsvm "$top/lab/services.lab")
own+=("$mlab")

mports=21,22,25,53,80,110,143,443,993,995,2222,3306,8080,8888,7,13,19,23,37,70,79,113,161,389,873
mports=$mports,1080,1883,3478,3690,4222,4730,5060,6667,9418,10050,11300
nports=50

scans() { # tool, then the options: the two scans, one command line
	local tool=$1
	shift
	echo "ip netns exec nk-$lab-client $tool -Pn -sS -sV $* -p 22,53,80,5432,6379,11211" \
		"198.18.3.10 198.18.3.11 198.18.3.12 -oG - ;" \
		"ip netns exec nk-$mlab-client $tool -Pn -sS -sV $* -p" \
		"$mports 198.18.1.25 198.18.2.53 198.18.6.53 198.18.7.53 198.18.8.10 -oG -"
}

bench() { # label, runs, then name=command pairs
	NPORTS=$nports python3 - "$@" <<'PY'
import os, re, statistics, subprocess, sys, time
label, runs, pairs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names, cmds = pairs[0::2], pairs[1::2]
load0 = os.getloadavg()[0]
def once(c):
    t = time.perf_counter()
    out = subprocess.run(c, shell=True, capture_output=True, text=True).stdout
    # ports with a product: the version field of "port/state/proto//svc//version/"
    named = len(re.findall(r"\d+/open/tcp//[^/]*//[^/]+/", out))
    return time.perf_counter() - t, named
if runs > 1:
    for c in cmds:
        once(c)  # warm up (page cache, ARP)
times, named = [[] for _ in cmds], [0] * len(cmds)
for _ in range(runs):
    for i, c in enumerate(cmds):
        t, named[i] = once(c)
        times[i].append(t)
load1 = os.getloadavg()[0]
med = [statistics.median(t) for t in times]
for name, t, m, n in zip(names, times, med, named):
    print(f"{label} {name:<6} min {min(t):7.3f} s  median {m:7.3f} s  "
          f"max {max(t):7.3f} s  ({n} of {os.environ['NPORTS']} ports named with a product)")
if len(cmds) == 2:
    print(f"{label} ratio netkit/nmap (medians) {med[1] / med[0]:.3f}  "
          f"runs {runs}  load {load0:.2f} -> {load1:.2f}")
else:
    print(f"{label} runs {runs}  load {load0:.2f} -> {load1:.2f}")
PY
}

for level in 5 7; do
	bench "intensity $level" "$runs" nmap "$(scans /usr/bin/nmap --version-intensity $level)" \
		netkit "$(scans "$netkit nmap" --version-intensity $level)"
done
bench "version-all" "$runs" netkit "$(scans "$netkit nmap" --version-all)"
if [ "${ALL_NMAP:-0}" = 1 ]; then
	bench "version-all" 1 nmap "$(scans /usr/bin/nmap --version-all)"
fi
