# SPDX-License-Identifier: Apache-2.0
"""nmap -6 -O in the lab, netkit side by side with nmap 7.93 (-6 -O -d).

nmap's IPv6 subject fingerprint prints each reply whole (P=hex, both
addresses masked, runs folded) with its send and receive times. The
tests compare, per probe, what is deterministic for a stack: which
probes were answered, the reply's length, next header, hop limit, flow
label zero or not, TCP flags, window, options (timestamp values zeroed),
whether seq/ack are zero, ICMPv6 type and code, the quoted packet's
length; and the SCAN line's ports, distance and flags. ISNs, checksums,
timestamps and times vary and are not compared. nmap names no OS for
these Linux hosts; netkit matches them against its own IPv6 observations
(data/os/observations6, this kernel's sysctl variants and user-mode Linux). Stacks: Linux with
sysctls varied (as test_nmap_os.py), from two routers away and from the
target's own link (NS, M=, DC=D). Packets go only into the lab.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_os6 tests/integration
"""
import os
import re

import pytest

from conftest import NETKIT_BIN, oracle
from osfix import fingerprint, observed_here, set_stack

NMAP = os.path.join(NETKIT_BIN, "nmap")
DTD = "/usr/share/nmap/nmap.dtd"

STACKS = {
    "default": {},
    "nots-nosack-nows": {"net.ipv4.tcp_timestamps": "0", "net.ipv4.tcp_sack": "0",
                         "net.ipv4.tcp_window_scaling": "0"},
    "ecn-hlim128": {"net.ipv4.tcp_ecn": "1", "net.ipv6.conf.all.hop_limit": "128",
                    "net.ipv6.conf.eth0.hop_limit": "128"},
}


def unfold(p):
    """P= back to bytes: XX{n} (masked addresses) as n bytes 0xAA, HH{n} as n bytes."""
    out = bytearray()
    for tok in re.findall(r"XX\{\d+\}|[0-9a-f]{2}\{\d+\}|[0-9a-f]{2}", p):
        if "{" in tok:
            b, n = tok.split("{")
            out += bytes([0xAA if b == "XX" else int(b, 16)]) * int(n[:-1])
        else:
            out.append(int(tok, 16))
    return bytes(out)


def tcp_opts(o):
    out, i = [], 0
    while i < len(o):
        k = o[i]
        if k in (0, 1):
            out.append(k)
            i += 1
            continue
        n = o[i + 1] if i + 1 < len(o) else 2
        out.append((k, o[i + 2:i + n].hex() if k != 8 else "ts"))
        i += max(n, 2)
    return out


def features(p):
    b = unfold(p)
    f = {"len": len(b), "plen": int.from_bytes(b[4:6], "big"), "nh": b[6], "hlim": b[7],
         "flow0": int.from_bytes(b[1:4], "big") & 0xfffff == 0}
    l4 = b[40:]
    if b[6] == 6:
        off = (l4[12] >> 4) * 4
        f.update(flags=l4[13], win=int.from_bytes(l4[14:16], "big"), opts=tcp_opts(l4[20:off]),
                 seq0=l4[4:8] == bytes(4), ack0=l4[8:12] == bytes(4), urg=l4[18:20].hex())
    elif b[6] == 58:
        f.update(type=l4[0], code=l4[1])
        if l4[0] < 128 and len(l4) >= 48:
            f.update(qplen=int.from_bytes(l4[12:14], "big"), qnh=l4[14])
    return f


def scan(lab, src, tool, target, base):
    argv = [tool, "-6", "-n", "-O", "-d", "-Pn", "-sS", "-p", "22,80,81", "--max-os-tries", "1",
            "-oX", base + ".xml", "-oN", base + ".nmap", target]
    r = lab.exec(src, argv, timeout=120)
    assert r.returncode == 0, (tool, r.stderr)
    return open(base + ".nmap").read()


def compare(nk, nm, stack):
    assert set(nk) == set(nm), (stack, sorted(nk), sorted(nm))
    s, t = nk["SCAN"], nm["SCAN"]
    assert s.pop("NK", None), s  # netkit names itself
    assert set(s) == set(t), (s, t)
    for k in ("V", "E", "OT", "CT", "PV", "DS", "DC", "G", "M", "P"):
        assert s.get(k) == t.get(k), (stack, k, s.get(k), t.get(k))
    assert nk["EXTRA"] == nm["EXTRA"] == {"FL": "12345"}
    for probe in nm:
        if probe in ("SCAN", "EXTRA"):
            continue
        assert set(nk[probe]) == set(nm[probe]) == {"P", "ST", "RT"}, probe
        a, b = features(nk[probe]["P"]), features(nm[probe]["P"])
        assert a == b, (stack, probe, a, b)
        assert 0 < float(nk[probe]["ST"]) <= float(nk[probe]["RT"]) < 10, nk[probe]


@pytest.mark.parametrize("stack", sorted(STACKS))
def test_fingerprint6_like_nmap(lab, tmp_path, stack):
    host = "web"  # nginx on 80 (open), 22 and 81 closed
    old = set_stack(lab, host, STACKS[stack])
    try:
        nk_text = scan(lab, "client", NMAP, lab.addr(host, 6), str(tmp_path / "nk"))
        nm_text = scan(lab, "client", oracle("nmap"), lab.addr(host, 6), str(tmp_path / "nm"))
    finally:
        set_stack(lab, host, old)
    compare(fingerprint(nk_text), fingerprint(nm_text), stack)
    assert "Network Distance: 3 hops" in nk_text and "Network Distance: 3 hops" in nm_text
    assert "not implemented" not in nk_text
    if observed_here("observations6"):  # netkit's own IPv6 knowledge: Linux, exactly or the family
        assert re.search(r"^(OS details: Linux \d+\.\d+|netkit: OS family Linux, )", nk_text,
                         re.M), nk_text
    xml = open(str(tmp_path / "nk.xml")).read()
    assert re.search(r'<osfingerprint fingerprint="OS:SCAN\(V=7\.93%E=6', xml), xml
    v = lab.exec("client", ["xmllint", "--noout", "--dtdvalid", DTD, str(tmp_path / "nk.xml")])
    assert v.returncode == 0, v.stderr


def test_fingerprint6_same_link(lab, tmp_path):
    """From r2, on the target's LAN: the NS probe, M= and DC=D as nmap."""
    nk_text = scan(lab, "r2", NMAP, lab.addr("web", 6), str(tmp_path / "nk"))
    nm_text = scan(lab, "r2", oracle("nmap"), lab.addr("web", 6), str(tmp_path / "nm"))
    nk, nm = fingerprint(nk_text), fingerprint(nm_text)
    assert "NS" in nm and nm["SCAN"]["DC"] == "D", nm_text
    compare(nk, nm, "same-link")
    assert "Network Distance: 1 hop\n" in nk_text


def test_closed_ports_only6(lab):
    """No open port: nmap 7.93 -6 -O still matches, without IPv4's
    'OSScan results may be unreliable' warning; netkit as it."""
    argv = ["-6", "-n", "-O", "-Pn", "-p", "81,82", lab.addr("db", 6)]
    ours = lab.exec("client", [NMAP] + argv, timeout=120)
    theirs = lab.exec("client", [oracle("nmap")] + argv, timeout=120)
    assert ours.returncode == 0, ours.stderr
    for text in (ours.stdout, theirs.stdout):
        assert "Network Distance: 3 hops" in text, text
        assert "OSScan results may be unreliable" not in text, text
    assert re.search(r"^(OS details|Too many fingerprints|No OS matches|Aggressive)", ours.stdout,
                     re.M), ours.stdout


def rcvd(text):
    m = re.search(r"Raw packets sent: \d+ \(\S+\) \| Rcvd: (\d+) ", text)
    assert m, text
    return int(m.group(1))


def test_resends_and_rcvd_count6(lab):
    """nmap 7.93's IPv6 stage sends each probe after S6 left unanswered
    (U1: the target's port unreachables dropped by an nftables table of
    our own, removed afterwards; T2: Linux never answers it) --max-os-tries
    more times, and leaves the stage's replies out of 'Rcvd:' (only the
    port scan's, and a neighbour advertisement); IPv4's -O counts them.
    Both tools, the same rule."""
    t6, t4 = lab.addr("web", 6), lab.addr("web")
    common = ["-n", "-O", "-Pn", "-sS", "-p", "22,80,81", "-v"]
    nft = lambda *a: lab.exec("web", ["nft"] + list(a))
    assert nft("add", "table", "inet", "nkos6drop").returncode == 0
    try:
        nft("add", "chain", "inet", "nkos6drop", "c", "{ type filter hook output priority 0 ; }")
        r = nft("add", "rule", "inet", "nkos6drop", "c", "icmpv6", "type",
                "destination-unreachable", "drop")
        assert r.returncode == 0, r.stderr
        for tool in (NMAP, oracle("nmap")):
            r = lab.exec("client", [tool, "-6", "--packet-trace", "--max-os-tries", "2"] +
                         common + [t6], timeout=120)
            assert r.returncode == 0, (tool, r.stderr)
            u1 = re.findall(r"^SENT \([\d.]+s\) UDP .* payloadlen=308$", r.stdout, re.M)
            t2 = re.findall(r"^SENT \([\d.]+s\) TCP \S+:(\d+) > \S+:80  hopl=\d+ flow=12345 ",
                            r.stdout, re.M)
            assert len(u1) == 3, (tool, u1, r.stdout)
            assert len(t2) == 3 and len(set(t2)) == 1, (tool, t2, r.stdout)
            assert rcvd(r.stdout) <= 4, (tool, r.stdout)  # 3 ports, maybe an NA
    finally:
        nft("delete", "table", "inet", "nkos6drop")
    for tool in (NMAP, oracle("nmap")):
        r = lab.exec("client", [tool, "--max-os-tries", "1"] + common + [t4], timeout=120)
        assert r.returncode == 0, (tool, r.stderr)
        assert rcvd(r.stdout) >= 3 + 10, (tool, r.stdout)  # the OS replies counted
