# SPDX-License-Identifier: Apache-2.0
"""ip tcp_metrics against iproute2, on the host (read-only) and in a
namespace whose entries come from real TCP connections."""
import json
import os
import subprocess

import pytest

from conftest import run
from ip_compare import IP, Netns, compare

MAKE_CONNECTIONS = r"""
import socket
for fam, addr in ((socket.AF_INET, "198.18.0.1"), (socket.AF_INET, "198.18.1.1"),
                  (socket.AF_INET6, "2001:db8::1")):
    srv = socket.socket(fam)
    srv.bind((addr, 0))
    srv.listen()
    cli = socket.create_connection(srv.getsockname()[:2])
    con, _ = srv.accept()
    for _ in range(20):
        cli.sendall(b"x" * 1000)
        con.recv(1000)
    cli.close()
    con.close()
    srv.close()
"""

SHOW = ["tcp_metrics", "tcpm", "tcp_metrics show", "-4 tcp_metrics",
        "-6 tcp_metrics show", "-family inet -h -br tcp_metrics show",
        "-family inet -h -br -r tcp_metrics show", "tcp_metrics show 127.0.0.1",
        "tcp_metrics show 1.2.3.4", "tcp_metrics show foo", "tcp_metrics frob",
        "tcp_metrics delete", "tcp_metrics show src 192.0.0.0/16"]


@pytest.mark.hostns
@pytest.mark.parametrize("args", SHOW + ["-j tcp_metrics", "-j -p tcp_metrics show"])
def test_host_tcp_metrics(nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"), counters=True)


@pytest.fixture()
def tm_ns():
    with Netns() as n:
        subprocess.run([IP, "netns", "exec", n.ns, "python3", "-c", MAKE_CONNECTIONS],
                       check=True)
        yield n


NS_SHOW = [a for a in SHOW if "-r" not in a] + [
    "-j tcp_metrics", "tcp_metrics show 198.18.0.0/16", "tcp_metrics show 198.18.0.1",
    "tcp_metrics show 2001:db8::1", "tcp_metrics show src 198.18.1.1"]


def test_netns_tcp_metrics_show(tm_ns, nkbin):
    ip = os.path.join(nkbin, "ip")
    out = run([IP, "-n", tm_ns.ns, "tcp_metrics"]).stdout
    assert "198.18.0.1" in out and "2001:db8::1" in out
    for args in NS_SHOW:
        compare(args.split(), ip, netns=tm_ns.ns, counters=True)
    # iproute2 answers a single-host query in text even with -j; netkit
    # keeps to JSON
    r = run([ip, "-n", tm_ns.ns, "-j", "tcp_metrics", "show", "2001:db8::1"])
    doc = json.loads(r.stdout)
    assert [e["dst"] for e in doc] == ["2001:db8::1"] and "rtt" in doc[0]


def _entries(ns):
    return sorted(line.split()[0] for line in
                  run([IP, "-n", ns, "tcp_metrics"]).stdout.splitlines())


def test_netns_tcp_metrics_change(tm_ns, nkbin):
    ip = os.path.join(nkbin, "ip")
    before = _entries(tm_ns.ns)
    r = run([ip, "-n", tm_ns.ns, "tcp_metrics", "delete", "198.18.0.1"])
    assert r.returncode == 0, r.stderr
    assert _entries(tm_ns.ns) == [e for e in before if e != "198.18.0.1"]
    r = run([ip, "-n", tm_ns.ns, "tcp_metrics", "flush", "198.18.0.0/16"])
    assert r.returncode == 0, r.stderr
    assert _entries(tm_ns.ns) == ["2001:db8::1"]
    a = run([IP, "-n", tm_ns.ns, "tcp_metrics", "flush", "10.0.0.0/8"])
    b = run([ip, "-n", tm_ns.ns, "tcp_metrics", "flush", "10.0.0.0/8"])
    assert (a.returncode, a.stderr) == (b.returncode, b.stderr)
    r = run([ip, "-n", tm_ns.ns, "tcp_metrics", "flush", "all"])
    assert r.returncode == 0 and _entries(tm_ns.ns) == []
