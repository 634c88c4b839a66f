# SPDX-License-Identifier: Apache-2.0
"""netkit's own port table (data/nmap/services: netbase's names, nmap's
printed names and --top-ports ranking observed from nmap's output; no
nmap data file read) against nmap 7.93 itself:

- the ports chosen by --top-ports N, -F and the default, per protocol:
  with no target neither tool sends a packet, and both print the set in
  <scaninfo services=...>;
- the service names both print for a sample of nmap's top 1000 TCP and
  UDP ports, and the IP protocol names of -sO, scanning 127.0.0.1 in a
  network namespace of the test's own (every port listed at -d3).
"""
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
TOOLS = (("netkit", NMAP), ("nmap", None))


def tool(name):
    return NMAP if name == "netkit" else oracle("nmap")


def scaninfo(argv, name):
    r = run([tool(name)] + argv + ["-oX", "-"], timeout=60)
    assert r.returncode == 0, (name, r.stderr)
    return re.findall(r'<scaninfo type="(\w+)" protocol="(\w+)" numservices="(\d+)" '
                      r'services="([^"]*)"', r.stdout)


@pytest.mark.parametrize("scan", [["-sS"], ["-sU"], ["-sS", "-sU", "-sY"]],
                         ids=lambda a: " ".join(a))
@pytest.mark.parametrize("ports", [["--top-ports", "1"], ["--top-ports", "10"],
                                   ["--top-ports", "50"], ["--top-ports", "100"],
                                   ["--top-ports", "1000"], [], ["-F"]],
                         ids=lambda a: " ".join(a) or "default")
def test_chosen_ports_match_nmap(scan, ports):
    """The same ports, protocol by protocol (no target: no packet sent)."""
    ours, theirs = (scaninfo(scan + ports, n) for n, _ in TOOLS)
    assert ours and ours == theirs


def expand(spec):
    out = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def names_in_netns(name, argv):
    """{(proto, port): service name or None} from a -d3 scan of 127.0.0.1
    in a namespace of its own (lo only; closed UDP ports answer at once)."""
    sh = ('ip link set lo up && sysctl -qw net.ipv4.icmp_ratelimit=0 && '
          'exec "$@" -n -Pn -d3 --max-retries 1 -oX "$OUT" 127.0.0.1 >/dev/null')
    out = f"/tmp/nk-portnames-{os.getpid()}-{name}.xml"
    try:
        r = subprocess.run(["unshare", "--net", "--", "sh", "-c", sh, "sh", tool(name)] + argv,
                           env=dict(os.environ, OUT=out), capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, (name, r.stderr[-2000:])
        got = {}
        for p in ET.parse(out).getroot().iter("port"):
            s = p.find("service")
            got[(p.get("protocol"), int(p.get("portid")))] = (
                s.get("name") if s is not None else None)
        return got
    finally:
        if os.path.exists(out):
            os.unlink(out)


@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_port_names_match_nmap(proto):
    """Every 8th of nmap's top 1000 ports (by number) and the names users'
    scripts look for (8080 http-proxy, 111 rpcbind, 135 msrpc): the same
    names, and a <service> where nmap writes one."""
    flag = {"tcp": "-sS", "udp": "-sU"}[proto]
    info = scaninfo([flag, "--top-ports", "1000"], "nmap")
    top = expand(info[0][3])
    assert len(top) == 1000
    sample = sorted(set(top[::8]) | ({8080, 111, 135} if proto == "tcp" else {111, 137}))
    argv = [flag, "-p", ",".join(map(str, sample))]
    ours, theirs = (names_in_netns(n, argv) for n, _ in TOOLS)
    assert len(theirs) == len(sample)
    assert ours == theirs


def test_protocol_names_match_nmap():
    """-sO: the names of all 256 IP protocols (IANA's keywords as nmap
    prints them)."""
    ours, theirs = (names_in_netns(n, ["-sO", "-p", "0-255"]) for n, _ in TOOLS)
    assert len(theirs) == 256
    assert ours == theirs
