#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Service detection: netkit nmap -sV against nmap -sV over the lab's
# service ports (target 22,53,80,5432,6379,11211; web 80; db 6379), at
# --version-intensity 5 and 7, run round-robin in the same run. Prints
# min/median/max wall time of each, the ratio of the medians, the load
# (1-minute, before and after), and how many ports each named with a
# product (from its grepable output), so a faster run that knows less shows.
#
#   bash bench/nmap_sv.sh [RUNS]          (default 5; nmap takes ~6 s a run)
#
# Uses the lab named by NETKIT_LAB, or brings up its own (and removes it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-5}
trap '[ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nkbenchsv)
	lab=$own_lab
fi
ns="ip netns exec nk-$lab-client"
ports=22,53,80,5432,6379,11211
targets="198.18.3.10 198.18.3.11 198.18.3.12"

for level in 5 7; do
	args="-Pn -sS -sV --version-intensity $level -p $ports $targets"
	python3 - "$runs" "$level" "$ns /usr/bin/nmap $args" "$ns $netkit nmap $args" <<'PY'
import os, re, statistics, subprocess, sys, time
runs, level, cmds = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
load0 = os.getloadavg()[0]
def once(c):
    t = time.perf_counter()
    out = subprocess.run(c + " -oG -", shell=True, capture_output=True, text=True).stdout
    # ports with a product: the version field of "port/state/proto//svc//version/"
    named = len(re.findall(r"\d+/open/tcp//[^/]*//[^/]+/", out))
    return time.perf_counter() - t, named
for c in cmds:
    once(c)
times, named = [[] for _ in cmds], [0] * len(cmds)
for _ in range(runs):
    for i, c in enumerate(cmds):
        t, named[i] = once(c)
        times[i].append(t)
load1 = os.getloadavg()[0]
med = [statistics.median(t) for t in times]
for name, t, m, n in zip(("nmap", "netkit"), times, med, named):
    print(f"intensity {level} {name:<6} min {min(t):6.3f} s  median {m:6.3f} s  "
          f"max {max(t):6.3f} s  ({n} of 8 ports named with a product)")
print(f"intensity {level} ratio netkit/nmap (medians) {med[1] / med[0]:.3f}  "
      f"runs {runs}  load {load0:.2f} -> {load1:.2f}")
PY
done
