#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How soon a long scan finds the likely open ports (issue 18, item 3): the
# seconds from start until `-v` has said "Discovered open port 80/tcp" for
# every one of 4 sweep hosts in `nmap -n -Pn -v --max-rate 3000 -p-
# 198.19.0.1-4` (each answers on 80 only), for netkit and nmap 7.93, RUNS
# runs each, the scan stopped then. Prints min/median/max per tool and the
# ratio of the medians. A run that has not found all four in LIMIT seconds
# (default 60) counts as LIMIT.
#
#   bash bench/nmap_first_open.sh [RUNS]     (default 5)
#
# Uses the lab named by NETKIT_LAB, or brings up its own.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-5}
trap '[ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nkfirst)
	lab=$own_lab
fi

python3 - "$lab" "$netkit" "$runs" "${LIMIT:-60}" <<'PY'
import re, statistics, subprocess, sys, time
lab, netkit, runs, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
ns = ["ip", "netns", "exec", f"nk-{lab}-client"]
argv = ["-n", "-Pn", "-v", "--max-rate", "3000", "-p-", "198.19.0.1-4"]

def once(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(ns + cmd + argv, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    seen, took = set(), limit
    for line in p.stdout:
        m = re.match(r"Discovered open port 80/tcp on (\S+)", line)
        if m:
            seen.add(m.group(1))
        if len(seen) == 4 or time.monotonic() - t0 > limit:
            took = min(time.monotonic() - t0, limit)
            break
    p.terminate()
    p.wait()
    return took

res = {"netkit": [], "nmap": []}
for _ in range(runs):
    res["netkit"].append(once([netkit, "nmap"]))
    res["nmap"].append(once(["nmap"]))
for name, v in res.items():
    print(f"{name:7s} port 80 on all 4 hosts after: min {min(v):.3f} s  "
          f"median {statistics.median(v):.3f} s  max {max(v):.3f} s  ({len(v)} runs)")
print(f"ratio of medians netkit/nmap: "
      f"{statistics.median(res['netkit']) / statistics.median(res['nmap']):.2f}")
PY
