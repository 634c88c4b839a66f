#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Leave one configuration out with nothing of it in the knowledge: for
each configuration in data/os/observations, data/os/os-db is built anew
without its observations (entries and the per-test weights, which
scripts/os-dbgen.py derives from how stable repeated runs were), and
build/test_nmap_oseval matches that configuration's observations, whole
and degraded as a firewall would degrade them, against it. Prints how
many were answered, right, wrong, unknown, and how often answers at each
accuracy band were right. (build/test_nmap_oseval alone leaves a
configuration out of the entries but keeps the weights it helped set.)

    make && scripts/os-loco.py
"""
import os
import re
import subprocess
import sys
import tempfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
obs_path = os.path.join(top, "data", "os", "observations")
ev = os.path.join(top, "build", "test_nmap_oseval")
blocks = open(obs_path).read().split("\n\n")
names = []
for b in blocks:
    m = re.search(r"^observation (.*)$", b, re.M)
    if m and m.group(1) not in names:
        names.append(m.group(1))
bands = [(0, .85), (.85, .90), (.90, .95), (.95, 1.0), (1.0, 1.01)]
tally = {k: {"right": 0, "wrong": 0, "unknown": 0, "bands": [[0, 0] for _ in bands]}
         for k in ("LOCO", "LOCO-")}
with tempfile.TemporaryDirectory() as d:
    for name in names:
        kept = [b for b in blocks if not re.search(rf"^observation {re.escape(name)}$", b, re.M)]
        open(os.path.join(d, "obs"), "w").write("\n\n".join(kept))
        subprocess.run([sys.executable, os.path.join(top, "scripts", "os-dbgen.py"),
                        os.path.join(d, "obs"), os.path.join(d, "db")],
                       check=True, capture_output=True)
        out = subprocess.run([ev], env=dict(os.environ, NETKIT_OSEVAL_DB=os.path.join(d, "db"),
                                            NETKIT_OSEVAL_ONLY=name),
                             capture_output=True, text=True).stdout
        for l in out.splitlines():
            m = re.match(r"(LOCO-?) +.{58} (right|WRONG|unknown) .* ([\d.]+)% margin", l)
            if not m:
                continue
            t = tally[m.group(1)]
            word = m.group(2).lower()
            t[word] += 1
            if word != "unknown":
                acc = float(m.group(3)) / 100
                for i, (lo, hi) in enumerate(bands):
                    if lo <= acc + 1e-9 < hi:
                        t["bands"][i][0] += 1
                        t["bands"][i][1] += word == "right"
for k, what in (("LOCO", "whole"), ("LOCO-", "degraded")):
    t = tally[k]
    ans = t["right"] + t["wrong"]
    print(f"leave one configuration out, weights too ({what}): {ans + t['unknown']} cases, "
          f"answered {ans} (right {t['right']}, wrong {t['wrong']}), unknown {t['unknown']}")
    for (lo, hi), (n, r) in zip(bands, t["bands"]):
        if n:
            band = "100%" if lo >= 1 else f"{lo * 100:.0f}-{hi * 100:.0f}%"
            print(f"  accuracy {band:<8} {n:4d} answers, right {100 * r / n:5.1f}%")
