# SPDX-License-Identifier: Apache-2.0
"""nmap -O in the lab, netkit side by side with nmap 7.93 (-O -d).

Every test value of the subject fingerprint that is deterministic for a
stack is compared (options, windows, flags, TTLs, IP ID classes, DF, the
quoted-packet checks of U1, ...); the ISN and timestamp rates by class.
The target's stack is varied per namespace with sysctls (timestamps,
window scaling, SACK, ECN, default TTL): Linux namespaces share the
kernel, these give different observable stacks. The XML is checked
against nmap's DTD. netkit's matches come from its own observations (data/os): a
stack recorded there on this kernel is matched, one that is not (a TTL no
observation has) gets nmap's no-match words, and with -v netkit's reasons:
the family if the rest is near enough, else "unknown", and the values
that differ.
Packets go only into the lab's namespaces.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_os tests/integration
"""
import os
import re

import pytest

from conftest import NETKIT_BIN, oracle, run
from osfix import fingerprint, observed_here, set_stack

NMAP = os.path.join(NETKIT_BIN, "nmap")
DTD = "/usr/share/nmap/nmap.dtd"

STACKS = {
    "default": {},
    "nots-nosack-nows": {"net.ipv4.tcp_timestamps": "0", "net.ipv4.tcp_sack": "0",
                         "net.ipv4.tcp_window_scaling": "0"},
    "ecn-ttl128": {"net.ipv4.tcp_ecn": "1", "net.ipv4.ip_default_ttl": "128"},
}
# values that vary from try to try on one stack: compared by class below
RATES = {("SEQ", "SP"), ("SEQ", "GCD"), ("SEQ", "ISR"), ("SEQ", "TS"), ("SCAN", "CU"),
         ("SCAN", "TM"), ("SCAN", "D"), ("SCAN", "NK"), ("SCAN", "V"), ("SCAN", "P"), ("SCAN", "E")}


def scan(lab, tool, target, base, extra=()):
    argv = [tool, "-O", "-d", "-Pn", "-sS", "-p", "22,80,81", "--max-os-tries", "1",
            "-oX", base + ".xml", "-oN", base + ".nmap"] + list(extra) + [target]
    r = lab.exec("client", argv, timeout=120)
    assert r.returncode == 0, (tool, r.stderr)
    return open(base + ".nmap").read()


def sp_class(v):
    return "Good luck!" if int(v, 16) >= 16 else int(v, 16) // 3


@pytest.mark.parametrize("stack", sorted(STACKS))
def test_fingerprint_like_nmap(lab, tmp_path, stack):
    host = "web"  # nginx on 80 (open), 22 and 81 closed
    old = set_stack(lab, host, STACKS[stack])
    try:
        nk_text = scan(lab, NMAP, lab.addr(host), str(tmp_path / "nk"))
        nm_text = scan(lab, oracle("nmap"), lab.addr(host), str(tmp_path / "nm"))
    finally:
        set_stack(lab, host, old)
    nk, nm = fingerprint(nk_text), fingerprint(nm_text)
    assert set(nk) == set(nm), (sorted(nk), sorted(nm))
    for test in nm:
        a, b = nk[test], nm[test]
        if test == "SCAN":
            assert a.pop("NK", None), a  # netkit names itself
        assert set(a) == set(b), (test, a, b)
        for k in b:
            if (test, k) not in RATES:
                assert a[k] == b[k], (stack, test, k, a[k], b[k])
    s, t = nk.get("SEQ", {}), nm.get("SEQ", {})
    if "SP" in t:
        assert sp_class(s["SP"]) == sp_class(t["SP"])
        # ISR is 8 x log2(ISNs a second): 8 is 2x the rate; under load the six
        # probes 100 ms apart stretch (9 and 10 seen in ~10 loaded runs): 3x
        assert abs(int(s["ISR"], 16) - int(t["ISR"], 16)) <= 13
    if "GCD" in t:
        # the GCD of random ISN differences varies from try to try: nmap
        # said 7 once and netkit 2 once where the other said 1; each is some number
        assert int(s["GCD"], 16) >= 1 and int(t["GCD"], 16) >= 1, (s["GCD"], t["GCD"])
    if t.get("TS") in ("U", "0"):
        assert s["TS"] == t["TS"]
    elif "TS" in t:
        assert abs(int(s["TS"], 16) - int(t["TS"], 16)) <= 2
    assert "Network Distance: 3 hops" in nk_text and "Network Distance: 3 hops" in nm_text
    if observed_here("observations"):  # an exact match, or the family without one (never another)
        assert re.search(r"^(OS details: Linux \d+\.\d+|netkit: OS family Linux, )", nk_text,
                         re.M), nk_text
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, str(tmp_path / "nk.xml")])
    assert v.returncode == 0, v.stderr


def test_unseen_config_not_matched_with_reasons(lab, tmp_path):
    """A TTL of 200 is in no observation: no exact match (nmap's words), and
    with -v the nearest stack and every value that differs from it; the
    family it names, if any, is Linux's."""
    old = set_stack(lab, "web", {"net.ipv4.ip_default_ttl": "200"})
    try:
        text = scan(lab, NMAP, lab.addr("web"), str(tmp_path / "nk"), ["-v"])
    finally:
        set_stack(lab, "web", old)
    assert "No exact OS matches for host" in text and "OS details:" not in text
    m = re.search(r"^netkit: OS (family (\S+), no exact match among|unknown: a stack none of "
                  r"its) (\d+) known.*nearest: (.+?) \((\d+)%\).*; differing in (.*)$", text, re.M)
    assert m, text
    assert int(m.group(5)) < 100
    assert re.search(r"T1\.T=C8 \(known: [0-9A-F|]+\)", m.group(6)), m.group(6)
    if m.group(2):
        assert m.group(2) == "Linux", m.group(0)


def seq_lines(text):
    return [l.split(":")[0] for l in text.splitlines()
            if re.match(r"(Uptime guess|Network Distance|TCP Sequence Prediction|"
                        r"IP ID Sequence Generation):", l)]


def test_verbose_lines_and_xml(lab, tmp_path):
    t = lab.addr("target")
    res = {}
    for name, tool in (("nk", NMAP), ("nm", oracle("nmap"))):
        text = scan(lab, tool, t, str(tmp_path / name), ["-v"])
        res[name] = text
    assert seq_lines(res["nk"]) == seq_lines(res["nm"])
    for l in ("TCP Sequence Prediction: Difficulty=", "IP ID Sequence Generation: All zeros"):
        assert l in res["nk"] and l in res["nm"]
    xml = {n: open(str(tmp_path / n) + ".xml").read() for n in res}
    for el in ("<os>", '<portused state="open" proto="tcp" portid="22"/>',
               '<portused state="closed" proto="tcp" portid="81"/>', '<distance value="3"/>',
               '<ipidsequence class="All zeros" values="0,0,0,0,0,0"/>',
               '<tcpsequence index="', "<osfingerprint fingerprint=", '<tcptssequence class="'):
        assert el in xml["nk"] and el in xml["nm"], el


def test_only_closed_ports(lab, tmp_path):
    """r2 has no open port: the SEQ probes cannot go; both give the distance."""
    t = lab.addr("r2")
    for name, tool in (("nk", NMAP), ("nm", oracle("nmap"))):
        text = scan(lab, tool, t, str(tmp_path / name))
        assert "Network Distance: 2 hops" in text, (name, text)
        assert "TCP Sequence Prediction" not in text


def test_options(lab):
    for argv in (["--max-os-tries", "0"], ["--max-os-tries", "51"]):
        ours = run([NMAP, "-O"] + argv + ["198.18.3.10"])
        theirs = run([oracle("nmap"), "-O"] + argv + ["198.18.3.10"])
        assert ours.returncode == theirs.returncode == 1
        assert ours.stderr == theirs.stderr
    # --osscan-limit: a host without an open and a closed port is left out
    r = lab.exec("client", [NMAP, "-O", "--osscan-limit", "-Pn", "-p", "22",
                            lab.addr("target")])
    assert r.returncode == 0 and "OS:" not in r.stdout and "No exact" not in r.stdout
    assert "OS detection performed" in r.stdout


def test_ipv6_normal_output(lab):
    """-6 -O: the scan's ports and the distance line are nmap's, and an
    OS verdict or nmap's no-match words follow (the fingerprint itself is
    compared in test_nmap_os6.py)."""
    a = lab.addr("target", 6)
    argv = ["-6", "-n", "-O", "-p", "22,81", a]
    ours = lab.exec("client", [NMAP] + argv, timeout=120)
    theirs = lab.exec("client", [oracle("nmap")] + argv, timeout=120)
    assert ours.returncode == 0, ours.stderr
    assert "not implemented" not in ours.stdout
    ports = [l for l in theirs.stdout.splitlines() if re.match(r"\d+/tcp ", l)]
    assert ports and ports == [l for l in ours.stdout.splitlines() if re.match(r"\d+/tcp ", l)]
    for text in (ours.stdout, theirs.stdout):
        assert "Network Distance: 3 hops" in text, text
    assert re.search(r"^(OS details|Running|Aggressive OS guesses|No OS matches for host|"
                     r"No exact OS matches for host)", ours.stdout, re.M), ours.stdout


def test_packet_trace_once_behind_bridge(lab):
    """From r2, whose LAN is a bridge with a port per host: each reply is
    captured on the port and again on the bridge; --packet-trace prints
    it once, as nmap 7.93 (which captures on the bridge only). ARP lines
    are left out (the kernel's own ARP for the raw probes may add one)."""
    argv = ["-n", "-Pn", "-sS", "-O", "--max-os-tries", "1", "-p", "22,80", "--packet-trace",
            lab.addr("web")]
    for tool in (NMAP, oracle("nmap")):
        r = lab.exec("r2", [tool] + argv, timeout=120)
        assert r.returncode == 0, (tool, r.stderr)
        rcvd = [l.split(")", 1)[1] for l in r.stdout.splitlines()
                if l.startswith("RCVD (") and " ARP " not in l]
        assert len(rcvd) >= 10, (tool, r.stdout)  # the port scan's and -O's replies
        assert len(set(rcvd)) == len(rcvd), (tool, r.stdout)


def test_packet_trace_arp_once(lab):
    """-sS to a host on the link: the ARP reply to nmap's own request is
    printed once; the kernel's ARP for the raw probes (nmap 7.93's capture
    filter for the port scan takes no ARP) is not printed again."""
    argv = ["-n", "-Pn", "-sS", "-p", "22", "--packet-trace", lab.addr("r1")]
    for tool in (NMAP, oracle("nmap")):
        r = lab.exec("client", [tool] + argv, timeout=60)
        assert r.returncode == 0, (tool, r.stderr)
        arp = [l for l in r.stdout.splitlines() if l.startswith("RCVD (") and " ARP reply " in l]
        assert len(arp) <= 1, (tool, r.stdout)
