"""nmap's behaviour around a long scan, netkit side by side with nmap 7.93
in the lab (issue 18): the order ports go in, progress said on its own,
the output files while a scan runs, and the run's small words (Ctrl-C's
summary, --resume on a finished scan, the stylesheet). Packets go only
into the lab's namespaces."""
import os
import re

from conftest import NETKIT_BIN, oracle

NMAP = os.path.join(NETKIT_BIN, "nmap")
SWEEP4 = "198.19.0.1-4"


def sent_tcp(lab, tool, argv):
    """(host, port) of every TCP probe a short SYN scan sends, in order."""
    r = lab.exec("client", [tool, "-n", "-Pn", "-sS", "--packet-trace", "--max-retries", "0",
                            "--max-rate", "3000", "--host-timeout", "1s"] + argv,
                 timeout=60)
    return [(h, int(p)) for h, p in
            re.findall(r"^SENT \([0-9.]+s\) TCP \S+ > ([0-9.]+):(\d+) S ", r.stdout, re.M)]


def test_common_ports_first_like_nmap(lab):
    """-p- on 4 hosts: nmap's first probes are its common ports, each to
    every host, before the rest: port 80 is found on every host at once,
    not somewhere among 262,140 probes."""
    sent = {name: sent_tcp(lab, tool, ["-p-", SWEEP4])
            for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap")))}
    hosts = {f"198.19.0.{i}" for i in range(1, 5)}
    for name, other in (("netkit", "nmap"), ("nmap", "netkit")):
        front = {p for _, p in sent[other][:150]}
        assert len(front) < 40, other  # a few ports to every host, not 150 at random
        assert {p for _, p in sent[name][:60]} <= front, name
        assert {(h, 80) for h in hosts} <= set(sent[name][:150]), name


def test_common_ports_within_range_like_nmap(lab):
    """-p 1-100: of the common ports only those in the range go first."""
    first = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        sent = [p for _, p in sent_tcp(lab, tool, ["-p", "1-100", "198.19.0.1"])]
        first[name] = sorted(sent[:6])
    assert first["netkit"] == first["nmap"] == [21, 22, 23, 25, 53, 80]


def test_sequential_ports_port_by_port_like_nmap(lab):
    """-r on two hosts: port 1 to both, then port 2 to both, ..."""
    seq = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        sent = sent_tcp(lab, tool, ["-r", "-p", "1-20", "198.19.0.1", "198.19.0.2"])
        seq[name] = [p for _, p in sent[:40]]
    assert seq["netkit"] == seq["nmap"] == [p for p in range(1, 21) for _ in (0, 1)]
