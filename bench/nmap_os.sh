#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# OS detection: netkit nmap -O against nmap -O (and -6 -O: one host and the
# stacks that speak IPv6, lab/osstacks.sh hosts6), on one host (lab/osstacks.sh's
# Linux host 198.18.7.11, ports 22 and 80) and on that lab's /24 (host
# discovery, then -O on every host that answers: Linux in four sysctl
# configurations, user-mode Linux 6.1 twice, lwIP three times, LWIPv6,
# gVisor's netstack four times, Slirp twice, ns-3 three times, EDK II
# firmware twice (closed ports only), the router,
# the two routers to pasta, and pasta's two gateways behind them).
# The tools run round-robin in the same run; prints min/median/max wall time
# of each, the ratio of the medians, the load (1-minute, before and after),
# and, for the last run, each host's verdict side by side with the truth
# (the stack lab/osstacks.sh started there) and how many each got right:
# a faster run that knows less shows.
#
#   unshare --net -- bash bench/nmap_os.sh [RUNS]     (default 5)
#
# Brings up its own lab (osstacks.sh, name nkbenchos) and removes it.
#
# On 2026-12-07 (3 runs, load 4.8-6.6 on 2 cores): one host nmap 12.21 s,
# netkit 0.798 s (ratio 0.065), both name Linux; the /24 (15 hosts: Linux x5,
# lwIP x3, gVisor x4, LWIPv6, Slirp x2) nmap 20.15 s, netkit 4.77 s (ratio
# 0.237); netkit names the right family for 15 of 15, nmap for 6 of 15 (it
# calls lwIP an OSRAM ZigBee gateway, LWIPv6 a PlayStation 2, gVisor a 3Com
# switch, FreeNAS or OpenVMS; Slirp QEMU's user mode gateway or VirtualBox,
# which is right).
# On 2026-12-07 15:12 UTC (3 runs, load 12.9-17.7): one host nmap 14.08 s,
# netkit 0.921 s (ratio 0.065); the /24 plus pasta (21 hosts) nmap 24.71 s,
# netkit 4.96 s (ratio 0.201); right family netkit 18 of 21, nmap 8 of 21
# (user-mode Linux 6.1: nmap Linux 2.6.32 / 3.12-4.10; pasta: no match); the
# 3 others, routers with closed ports only, neither names.
# On 2026-12-07 18:06 UTC (3 runs, load 12.6-13.2), ns-3 3.37 added (.81-.83):
# one host nmap 12.64 s, netkit 0.800 s (ratio 0.063); the /24 plus pasta
# (24 hosts) nmap 26.63 s, netkit 5.09 s (ratio 0.191); right family netkit
# 21 of 24, nmap 8 of 24 (ns-3: nmap a Mitsubishi Q06UDEH PLC module twice,
# a Yamaha RX-A2040 AV receiver for the TTL-128 one).
# On 2026-12-07 ~18:25 UTC, IPv6 (V6ONLY=1, 3 runs, load 13.2-16.0): one Linux
# host nmap -6 -O 4.14 s, netkit 1.21 s (ratio 0.293); the 11 IPv6 stacks
# (Linux x4, gVisor x4, LWIPv6, user-mode Linux x2) nmap 8.43 s, netkit
# 2.38 s (ratio 0.282); right family netkit 11 of 11 (its own IPv6
# observations), nmap 0 of 11 ("No OS matches for host" for every one).
# On 2026-12-07 18:26 UTC (3 runs, load 11.0-16.0), EDK II added (.91-.92):
# one host nmap 13.39 s, netkit 0.866 s (ratio 0.065); the /24 plus pasta
# (26 hosts) nmap 45.09 s, netkit 6.22 s (ratio 0.138); right family netkit
# 23 of 26, nmap 8 of 26 (EDK II: nmap an Adtran Total Access 5000 router,
# from closed ports only, as netkit has them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-5}
export NETKIT=$netkit
lab=nkbenchos
"$top/lab/osstacks.sh" up "$lab" >/dev/null
trap '"$top/lab/osstacks.sh" down "$lab" >/dev/null 2>&1 || true' EXIT
truth=$("$top/lab/osstacks.sh" hosts "$lab" | awk '{print $1 "=" $2}' | tr '\n' ' ')
hosts6=$("$top/lab/osstacks.sh" hosts6 "$lab" | awk '{print $1}' | tr '\n' ' ')
truth="$truth $("$top/lab/osstacks.sh" hosts6 "$lab" | awk '{print $1 "=" $2}' | tr '\n' ' ')"

bench() { # label, runs, then name=command pairs
	python3 - "$truth" "$@" <<'PY'
import ipaddress, os, re, statistics, subprocess, sys, time
truth = dict(kv.split("=") for kv in sys.argv[1].split())
truth["198.18.7.1"] = "linux"  # the router r
# the names that are right for each stack (nmap's QEMU user mode gateway and
# VirtualBox's NAT are Slirp; a device nmap says runs lwIP is right for lwIP)
family = {"linux": ("Linux",), "lwip": ("lwIP",), "lwipv6": ("LWIPv6",), "gvisor": ("gVisor",),
          "slirp": ("Slirp", "QEMU user mode", "Oracle Virtualbox"), "uml": ("Linux",),
          "pasta": ("passt",), "ns3": ("ns-3",),
          "edk2": ("EDK II",)}
label, runs, pairs = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
names, cmds = pairs[0::2], pairs[1::2]

def verdicts(out):
    res = {}
    for addr, body in re.findall(r"Nmap scan report for (\S+)\n(.*?)(?=Nmap scan report|\Z)",
                                 out, re.S):
        m = re.search(r"^OS details: (.*)$", body, re.M) or \
            re.search(r"^netkit: OS family (\S+),", body, re.M) or \
            re.search(r"^Aggressive OS guesses: ([^,\n]*)", body, re.M)
        res[addr] = m.group(1).strip() if m else "-"
    return res

def once(c):
    t = time.perf_counter()
    out = subprocess.run(c, shell=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, verdicts(out)

load0 = os.getloadavg()[0]
times, said = [[] for _ in cmds], [None] * len(cmds)
for _ in range(runs):
    for i, c in enumerate(cmds):
        t, said[i] = once(c)
        times[i].append(t)
load1 = os.getloadavg()[0]
med = [statistics.median(t) for t in times]
for name, t, m, v in zip(names, times, med, said):
    right = sum(1 for a, s in v.items() if any(n in s for n in family[truth.get(a, "linux")]))
    print(f"{label} {name:<6} min {min(t):7.3f} s  median {m:7.3f} s  max {max(t):7.3f} s  "
          f"(right family for {right} of {len(v)} hosts)")
print(f"{label} ratio netkit/nmap (medians) {med[1] / med[0]:.3f}  runs {runs}  "
      f"load {load0:.2f} -> {load1:.2f}")
for addr in sorted(said[0], key=lambda a: (":" in a, ipaddress.ip_address(a))):
    print(f"    {addr:<14} {truth.get(addr, '?'):<7} nmap: {said[0][addr][:44]:<44} "
          f"netkit: {said[1].get(addr, '(not reported)')}")
PY
}

c="ip netns exec nk-$lab-client"
if [ -z "${V6ONLY:-}" ]; then # V6ONLY=1: the IPv6 benches alone
bench "one host" "$runs" nmap "$c /usr/bin/nmap -O --osscan-guess -Pn -n -p 22,80 198.18.7.11" \
	netkit "$c $netkit nmap -O --osscan-guess -v -Pn -n -p 22,80 198.18.7.11"
# the /24 and the two pasta gateways routed behind it
mixed="198.18.7.0/24 198.18.9.254 198.18.10.254"
bench "lab /24" "$runs" nmap "$c /usr/bin/nmap -O --osscan-guess -n -p 22,80 $mixed" \
	netkit "$c $netkit nmap -O --osscan-guess -v -n -p 22,80 $mixed"
fi
# IPv6 (-6 -O): one Linux host, then every stack that speaks IPv6 there
bench "one host v6" "$runs" nmap "$c /usr/bin/nmap -6 -O --osscan-guess -Pn -n -p 22,80 2001:db8:7::11" \
	netkit "$c $netkit nmap -6 -O --osscan-guess -v -Pn -n -p 22,80 2001:db8:7::11"
bench "stacks v6" "$runs" nmap "$c /usr/bin/nmap -6 -O --osscan-guess -Pn -n -p 22,80 $hosts6" \
	netkit "$c $netkit nmap -6 -O --osscan-guess -v -Pn -n -p 22,80 $hosts6"
