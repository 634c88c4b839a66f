# SPDX-License-Identifier: Apache-2.0
"""netkit lab flows: the impairment daemons' count of what they did to
each probe and reply, checked against ping's own count on lab/mtr-line.lab
(client - r1 - r2 - target, 5 % and 10 % loss each way on links 2 and 3)."""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import NETKIT, TOP, run
from labfix import Lab


@pytest.fixture(scope="module")
def line():
    lab = Lab.up(NETKIT, os.path.join(TOP, "lab", "mtr-line.lab"))
    yield lab
    lab.down()


def flows(lab):
    r = run([NETKIT, "lab", "flows", "-j", lab.name], check=True)
    return json.loads(r.stdout)


def test_flows_match_ping(line):
    run([NETKIT, "lab", "flows", "--reset", line.name], check=True)
    assert flows(line)["flows"] == []
    # ping's echo id is its own; its probes have TTL 64 as sent
    r = run(["ip", "netns", "exec", line.ns("client"), "ping", "-n", "-q", "-c", "300",
             "-i", "0.005", "-W", "1", "198.18.3.10"])
    m = re.search(r"(\d+) packets transmitted, (\d+) received", r.stdout)
    assert m, r.stdout + r.stderr
    sent, got = int(m.group(1)), int(m.group(2))
    time.sleep(0.5)
    j = flows(line)
    pings = [f for f in j["flows"] if f["proto"] == "icmp" and f["family"] == 4]
    assert len(pings) == 1, j["flows"]
    hops = pings[0]["hops"]
    assert [h["ttl"] for h in hops] == [64]
    h = hops[0]
    assert h["probes"] == sent
    assert h["lost"] == sent - got == h["probe_dropped"] + h["reply_dropped"]
    assert h["loss_pct"] == pytest.approx(100 * (sent - got) / sent, abs=1e-4)
    # per link: probes leave client, r1, r2 (eth1) and replies leave target,
    # r2, r1 (eth0); only links 2 and 3 drop
    links = {(x["host"], x["dev"]): x for x in j["links"]}
    assert links[("client", "eth0")]["probes_passed"] == sent
    assert links[("client", "eth0")]["probes_dropped"] == 0
    assert links[("r1", "eth0")]["replies_dropped"] == 0
    out = sum(links[k]["probes_dropped"] for k in links)
    back = sum(links[k]["replies_dropped"] for k in links)
    assert (out, back) == (h["probe_dropped"], h["reply_dropped"])
    assert links[("target", "eth0")]["replies_passed"] + \
        links[("target", "eth0")]["replies_dropped"] == sent - h["probe_dropped"]
    # text form: the same numbers
    t = run([NETKIT, "lab", "flows", line.name], check=True).stdout
    assert re.search(rf"^ +64 +{sent} +{sent - got} ", t, re.M), t


def test_flows_traceroute_ttls(line):
    """UDP probes (TTL <= 32) and the routers' time exceeded that quote
    them: every TTL of a traceroute appears with its probes."""
    run([NETKIT, "lab", "flows", "--reset", line.name], check=True)
    r = run(["ip", "netns", "exec", line.ns("client"), "traceroute", "-n", "-q", "3", "-w",
             "1", "-N", "1", "198.18.3.10"])
    assert r.returncode == 0, r.stderr
    time.sleep(0.5)
    udp = [f for f in flows(line)["flows"] if f["proto"] == "udp"]
    # traceroute changes the destination port per probe: one flow each
    ttls = sorted(h["ttl"] for f in udp for h in f["hops"])
    assert ttls[:9] == [1, 1, 1, 2, 2, 2, 3, 3, 3], ttls
    # answered probes lost nothing; a '*' in traceroute is a lost one
    stars = sum(ln.count("*") for ln in r.stdout.splitlines()[1:]
                if ln.split() and ln.split()[0] in ("1", "2", "3"))
    lost = sum(h["lost"] for f in udp for h in f["hops"] if h["ttl"] <= 3)
    assert lost == stars, r.stdout


def test_flows_errors(line):
    r = subprocess.run([NETKIT, "lab", "flows", "nosuchlab"], capture_output=True, text=True)
    assert r.returncode == 1 and "no lab 'nosuchlab'" in r.stderr
    r = subprocess.run([NETKIT, "lab", "flows", "-x", line.name], capture_output=True, text=True)
    assert r.returncode == 2 and "Usage" in r.stderr
