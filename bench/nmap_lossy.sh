#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SYN scans of the lossy host (slow: 10 ms +-1 ms, 2.5 % loss each way):
# the tail, not the median. RUNS consecutive runs of each command for
# netkit and NMAP_RUNS for nmap (its own runs take ~40 s for 1-10000,
# ~85 s for 1-20000 and minutes for -p-, so a few suffice), all with
# standard input from /dev/null as from cron or CI. Prints min/median/max
# per tool and command, how many runs took longer than 3 x the median,
# the ratio of the medians, and whether every run's port states (from
# -oG: listed ports and the ignored state's count) are nmap's. The two
# tools' runs alternate (nmap, netkit, nmap, ...) so both see the same
# load; NMAP_RUNS 0 times netkit alone (e.g. to compare two builds).
#
#   bash bench/nmap_lossy.sh [RUNS] [NMAP_RUNS] [PORTS...]
#   (defaults: 50, 1, and the ranges 1-10000 1-20000 -)
#   bash bench/nmap_lossy.sh 50 50 1-10000     # the 50-run check, both tools
#
# A run still going after LIMIT seconds (default 120) is stopped and
# counted at LIMIT. Uses the lab named by NETKIT_LAB, or brings up its own.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-50}
nmap_runs=${2:-1}
shift $(($# > 2 ? 2 : $#))
ranges=("$@")
[ ${#ranges[@]} -gt 0 ] || ranges=(1-10000 1-20000 -)
trap '[ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT
lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nklossy)
	lab=$own_lab
fi

python3 - "$lab" "$netkit" "$runs" "$nmap_runs" "${LIMIT:-120}" "${ranges[@]}" <<'PY'
import os, re, statistics, subprocess, sys, time
lab, netkit, runs, nmap_runs, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4]), float(sys.argv[5])
ranges = sys.argv[6:]
ns = ["ip", "netns", "exec", f"nk-{lab}-client"]
slow = "198.18.5.2"

def once(tool, rng):
    """(seconds, port states) of one run: the -oG line's listed ports and
    its ignored state, e.g. 'Ignored State: closed (10000)'."""
    argv = ns + tool + ["-n", "-p", rng, slow, "-oG", "-"]
    t = time.perf_counter()
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=limit)
        out = r.stdout
    except subprocess.TimeoutExpired:
        return limit, "STALLED"
    took = time.perf_counter() - t
    m = re.search(r"Ports: (.*?)(\t|$)", out)
    ports = m.group(1) if m else ""
    ign = re.search(r"Ignored State: \S+ \(\d+\)", out)
    return took, ports + "|" + (ign.group(0) if ign else "")

def summary(name, times):
    med = statistics.median(times)
    past = sum(1 for t in times if t > 3 * med)
    print(f"  {name:<7} runs {len(times):3d}  min {min(times):8.2f} s  median {med:8.2f} s  "
          f"max {max(times):8.2f} s  runs past 3 x median: {past}")
    return med

for rng in ranges:
    load0 = os.getloadavg()[0]
    print(f"== nmap -n -p {rng} {slow} </dev/null")
    theirs, ours = [], []
    for i in range(max(runs, nmap_runs)):
        if i < nmap_runs:
            theirs.append(once(["nmap"], rng))
        if i < runs:
            ours.append(once([netkit, "nmap"], rng))
    nm = summary("nmap", [t for t, _ in theirs]) if theirs else None
    nk = summary("netkit", [t for t, _ in ours])
    ratio = f"netkit/nmap medians {nk / nm:.3f}   " if nm else ""
    print(f"  {ratio}load {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    if not theirs:
        ref = ours[0][1]
        same = sum(1 for _, s in ours if s == ref)
        print(f"  netkit runs with the first run's port states: {same} of {runs}; {ref}")
        continue
    ref = theirs[0][1]
    differ = [i for i, (_, s) in enumerate(ours) if s != ref]
    agree = all(s == ref for _, s in theirs)
    print(f"  nmap's runs agree among themselves: {'yes' if agree else 'NO'}; nmap: {ref}")
    if differ:
        print(f"  port states DIFFER from nmap's in {len(differ)} of {runs} netkit runs, "
              f"e.g. run {differ[0] + 1}: {ours[differ[0]][1]}")
    else:
        print(f"  port states as nmap's in all {runs} netkit runs")
PY
