#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Connect scans and connect pings of a LAN where most addresses are absent
# (issue 18, item 2): each connect to an absent address waits for the
# router's ARP to fail (~3 s), so the window must not shrink on them.
# The four cases of the issue, for netkit and nmap 7.93 in the same run:
#
#   -sn 198.18.3.0/24                   as uid 65534 (connect pings)
#   -Pn -p 22,80 198.18.3.0/26          as uid 65534 (connect scan)
#   -sT -Pn -p 22,80 198.18.3.0/26      as root
#   -sT -Pn -p 22,80 198.18.3.0/28      as root
#
# RUNS runs of each (default 5), the tools alternating and taking turns to
# go first, all with -n and standard input from /dev/null, from the lab's
# client. Prints min/median/max per tool, the ratio of the medians, how
# many runs took longer than 3 x the median, and whether every run found
# the hosts up and port states nmap's first run found (from -oG).
#
#   bash bench/nmap_connect.sh [RUNS]
#
# A run still going after LIMIT seconds (default 120) is stopped and
# counted at LIMIT. Uses the lab named by NETKIT_LAB, or brings up its own.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-5}
trap '[ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nkconnect)
	lab=$own_lab
fi

python3 - "$lab" "$netkit" "$runs" "${LIMIT:-120}" <<'PY'
import os, re, statistics, subprocess, sys, time
lab, netkit, runs, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
ns = ["ip", "netns", "exec", f"nk-{lab}-client"]
nobody = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
cases = [
    ("uid 65534", nobody, ["-sn", "198.18.3.0/24"]),
    ("uid 65534", nobody, ["-Pn", "-p", "22,80", "198.18.3.0/26"]),
    ("root", [], ["-sT", "-Pn", "-p", "22,80", "198.18.3.0/26"]),
    ("root", [], ["-sT", "-Pn", "-p", "22,80", "198.18.3.0/28"]),
]

def once(pre, tool, argv):
    """(seconds, result): the -oG lines' hosts up and their port states."""
    t = time.monotonic()
    try:
        r = subprocess.run(ns + pre + tool + argv + ["-n", "-oG", "-"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=limit)
    except subprocess.TimeoutExpired:
        return limit, "STALLED"
    took = time.monotonic() - t
    up = sorted(set(re.findall(r"^Host: (\S+) .*Status: Up", r.stdout, re.M)))
    ports = sorted(re.findall(r"^Host: (\S+) .*Ports: ([^\t]*)", r.stdout, re.M))
    # the state of each port, not the service guess
    ports = [(h, re.sub(r"/(\w*)/(\w+)/[^,]*", r"/\1/\2", p)) for h, p in ports]
    return took, repr((up, ports)) if r.returncode == 0 else f"exit {r.returncode}"

def summary(name, times):
    med = statistics.median(times)
    past = sum(1 for t in times if t > 3 * med)
    print(f"  {name:<7} runs {len(times):3d}  min {min(times):7.2f} s  median {med:7.2f} s  "
          f"max {max(times):7.2f} s  runs past 3 x median: {past}")
    return med

for who, pre, argv in cases:
    load0 = os.getloadavg()[0]
    print(f"== nmap {' '.join(argv)}   as {who}")
    res = {"nmap": [], "netkit": []}
    for i in range(runs):
        order = [("nmap", ["nmap"]), ("netkit", [netkit, "nmap"])]
        for name, tool in (order if i % 2 == 0 else order[::-1]):
            res[name].append(once(pre, tool, argv))
    nm = summary("nmap", [t for t, _ in res["nmap"]])
    nk = summary("netkit", [t for t, _ in res["netkit"]])
    print(f"  netkit/nmap medians {nk / nm:.3f}   load {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    ref = res["nmap"][0][1]
    odd = {name: sum(1 for _, r in v if r != ref) for name, v in res.items()}
    print(f"  results as nmap's first run: nmap {runs - odd['nmap']} of {runs}, "
          f"netkit {runs - odd['netkit']} of {runs}")
    if odd["netkit"]:
        bad = next(r for _, r in res["netkit"] if r != ref)
        print(f"    nmap:   {ref}\n    netkit: {bad}")
PY
