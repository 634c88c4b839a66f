#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The script engine: netkit nmap -sC against nmap -sC over the labs'
# services: the default lab's target (22,53,80,5432,6379,11211: ssh-hostkey,
# dns-nsid, http-title) and lab/services.lab's mail host (21,22,25,110,143,
# 443,993,995,3306: ftp-anon, ftp-syst, ssh-hostkey, smtp-commands, pop3-
# and imap-capabilities, ssl-cert and ssl-date over TLS and STARTTLS,
# http-title over TLS, mysql-info). One run of a tool is its two scans one
# after the other; its time is their sum. The tools run round-robin in the
# same run. Prints min/median/max wall time of each, the ratio of the
# medians, the load (1-minute, before and after) and how many script
# results each printed (so a faster run that finds less shows).
# Then the endless loop: a script that never yields, with netkit's
# instruction limit raised out of the way, against --script-timeout 2s:
# netkit's whole run, min/median/max (nmap cannot stop such a script: it
# is not run).
#
#   bash bench/nmap_nse.sh [RUNS]     (default 5; nmap takes ~33-47 s a run)
#
# On 2026-12-07 (3 runs, load 6.6-7.3 on 2 cores): nmap min 45.9 / median
# 46.9 / max 47.6 s, netkit 0.29 / 0.43 / 0.46 s, ratio 0.009; nmap 22 script
# results, netkit 23 (ssl-date on nginx's 443, which nmap's ssl-date leaves
# empty); endless loop stopped at 2.04 / 2.05 / 2.06 s. Again at 12:25 (load
# 2.0 -> 0.7): nmap 45.04 / 45.06 / 45.72 s, netkit 0.251 / 0.258 / 0.293 s,
# ratio 0.006; loop 2.039 / 2.040 / 2.045 s. At 15:23 with 58 scripts (load
# 17.7 -> 12.8): nmap 47.5 / 48.5 / 49.6 s, netkit 0.63 / 0.85 / 0.90 s,
# ratio 0.018; nmap 22 results, netkit 24 (ssl-date and tls-alpn on nginx's
# 443: nmap's tls-alpn gets a handshake failure there); loop 2.07 / 2.09 /
# 2.10 s.
#
# Brings up its own two labs (and removes them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
runs=${1:-5}
own=()
trap 'for l in "${own[@]}"; do "$netkit" lab down "$l" >/dev/null 2>&1 || true; done' EXIT
lab=$("$netkit" lab up --name nkbenchnse)
own+=("$lab")
mlab=$("$netkit" lab up --name nkbenchnsem "$top/lab/services.lab")
own+=("$mlab")

scans() { # tool: the two scans, one command line
	echo "ip netns exec nk-$lab-client $1 -Pn -sS -sC -p 22,53,80,5432,6379,11211 198.18.3.10;" \
		"ip netns exec nk-$mlab-client $1 -Pn -sS -sC -p" \
		"21,22,25,110,143,443,993,995,3306 198.18.1.25"
}
loop="ip netns exec nk-$lab-client $netkit nmap -Pn -sS -p 80 198.18.3.10 --script-timeout 2s \
--script $top/tests/integration/nse/nk-runaway.nse \
--script-args netkit.max-instructions=1000000000000000"

python3 - "$runs" "$(scans /usr/bin/nmap)" "$(scans "$netkit nmap")" "$loop" <<'PY'
import os, re, statistics, subprocess, sys, time
runs, cmds, loop = int(sys.argv[1]), sys.argv[2:4], sys.argv[4]
names = ["nmap", "netkit"]
def once(c):
    t = time.perf_counter()
    out = subprocess.run(c, shell=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, len(re.findall(r"^\|[ _][\w.-]+: ?", out, re.M))
load0 = os.getloadavg()[0]
times, found = [[], []], [0, 0]
for _ in range(runs):
    for i, c in enumerate(cmds):
        t, found[i] = once(c)
        times[i].append(t)
load1 = os.getloadavg()[0]
med = [statistics.median(t) for t in times]
for name, t, m, n in zip(names, times, med, found):
    print(f"-sC {name:<6} min {min(t):7.3f} s  median {m:7.3f} s  max {max(t):7.3f} s  "
          f"({n} script results)")
print(f"-sC ratio netkit/nmap (medians) {med[1] / med[0]:.3f}  runs {runs}  "
      f"load {load0:.2f} -> {load1:.2f}")
lt = [once(loop)[0] for _ in range(max(runs, 3))]
print(f"endless loop, --script-timeout 2s: netkit min {min(lt):.3f} s  median "
      f"{statistics.median(lt):.3f} s  max {max(lt):.3f} s  (nmap: never ends)")
PY
