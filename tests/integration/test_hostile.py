# SPDX-License-Identifier: Apache-2.0
"""netkit against the hostile lab host (lab/hostile.lab, its services from
lab/hostile/responder.py: a tarpit, a one-byte-a-second banner, a 300 MiB
banner, binary garbage, a reply cut off, a TLS handshake that stalls, TLS
records of garbage, terminal escape sequences, a lying DNS server; its
packets from lab/hostile/packets.py: SYN-ACK storms, bad checksums and
options, spoofed and unsolicited replies): each run ends within its
bound, with its peak RSS bounded (the flood is not buffered), its XML
valid against nmap.dtd, no escape sequence reaching the terminal, no
ASan/UBSan report, and the well-behaved host scanned in the same run
reported as when scanned alone. Packets go only into the lab's namespaces.

What nmap 7.93 itself does there (measured, not asserted): -sV on the
eight ports takes ~240 s and ~660 MiB (it reads the whole flood)."""
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT, NETKIT_BIN, oracle, run
from hostilefix import hostile_lab
from mtrfix import hop_names

NMAP = os.path.join(NETKIT_BIN, "nmap")
DTD = "/usr/share/nmap/nmap.dtd"
HOSTILE, NICE = "198.18.9.66", "198.18.9.10"
PORTS = "7001-7008"
# bounds: a hostile service must not hold a run past these (nmap's own -sV
# waits are 6 s for the NULL probe and ~5 s a probe after it; the runs here
# take ~3 s unloaded)
SV_SECONDS = 90
RSS_MIB = 200  # the ASan build's own RSS is ~45 MiB; the flood is 300 MiB


@pytest.fixture(scope="module")
def hostile():
    with hostile_lab(NETKIT) as lab:
        yield lab


def measured(lab, argv, timeout):
    """Run argv in the client; (rc, stdout bytes, stderr text, seconds, peak RSS KiB)."""
    t0 = time.monotonic()
    p = subprocess.Popen([NETKIT, "lab", "exec", "--lab", lab.name, "client"] + argv,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail(f"{argv} did not end within {timeout} s")
    return p.returncode, out, err.decode(errors="replace"), time.monotonic() - t0


def peak_rss_kib(lab, argv, timeout):
    """Run argv in the client under /usr/bin/time: (result, peak RSS in KiB)."""
    r = run(["/usr/bin/time", "-f", "NKRSS %M", NETKIT, "lab", "exec", "--lab", lab.name,
             "client"] + argv, timeout=timeout)
    line = [l for l in r.stderr.splitlines() if l.startswith("NKRSS ")][-1]
    return r, int(line.split()[1])


def no_sanitizer_report(err):
    assert "AddressSanitizer" not in err and "runtime error:" not in err, err[-3000:]


def ports_of(xml_path, addr):
    root = ET.parse(xml_path).getroot()
    for h in root.iter("host"):
        if h.find("address").get("addr") == addr:
            out = {}
            for p in h.iter("port"):
                svc = p.find("service")
                svc = (svc.get("name"), svc.get("product")) if svc is not None else None
                out[p.get("portid")] = (p.find("state").get("state"), svc)
            return out
    return None


def test_version_scan_ends_bounded(hostile, tmp_path):
    xml = str(tmp_path / "both.xml")
    argv = [NMAP, "-sV", "-Pn", "-n", "-p", PORTS + ",80", "-oX", xml, HOSTILE, NICE]
    t0 = time.monotonic()
    r, rss = peak_rss_kib(hostile, argv, timeout=SV_SECONDS + 60)
    secs = time.monotonic() - t0
    assert r.returncode == 0, r.stderr[-3000:]
    no_sanitizer_report(r.stderr)
    assert secs < SV_SECONDS, secs
    assert rss < RSS_MIB * 1024, rss
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, xml])
    assert v.returncode == 0, v.stderr
    # every hostile port is reported, open
    hp = ports_of(xml, HOSTILE)
    assert {hp[str(p)][0] for p in range(7001, 7009)} == {"open"}
    # the nice host, scanned in the same run, as when scanned alone
    alone = str(tmp_path / "alone.xml")
    r2 = hostile.exec("client", [NMAP, "-sV", "-Pn", "-n", "-p", PORTS + ",80", "-oX", alone,
                                 NICE], timeout=SV_SECONDS + 60)
    assert r2.returncode == 0, r2.stderr
    assert ports_of(xml, NICE) == ports_of(alone, NICE)
    assert ports_of(alone, NICE)["80"][0] == "open"


def test_no_escape_reaches_the_terminal(hostile):
    """Banners with ESC, BEL, CSI (7- and 8-bit) print escaped, in normal
    output and in the fingerprints."""
    rc, out, err, secs = measured(hostile, [NMAP, "-sV", "-Pn", "-n", "-p", "7004,7008",
                                            HOSTILE], timeout=SV_SECONDS + 60)
    assert rc == 0, err
    no_sanitizer_report(err)
    for bad in (b"\x1b", b"\x07", b"\x9b", b"\x00"):
        assert bad not in out, (bad, out[-2000:])
    assert b"7008/tcp open" in out


def test_connect_scan_like_nmap(hostile, tmp_path):
    """-sT: every hostile port open, as nmap sees them."""
    states = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        xml = str(tmp_path / f"{name}.xml")
        r = hostile.exec("client", [tool, "-sT", "-Pn", "-n", "-p", PORTS, "-oX", xml, HOSTILE],
                         timeout=120)
        assert r.returncode == 0, r.stderr
        no_sanitizer_report(r.stderr)
        states[name] = {k: v[0] for k, v in ports_of(xml, HOSTILE).items()}
    assert states["netkit"] == states["nmap"]


def test_mtr_tcp_to_the_tarpit(hostile):
    """mtr -T to the tarpit's port (connections that are accepted and
    never spoken to) ends, with mtr's hops."""
    args = ["-r", "-n", "-c", "2", "-i", "0.2", "-T", "-P", "7001", HOSTILE]
    rc, out, err, secs = measured(hostile, [os.path.join(NETKIT_BIN, "mtr")] + args, timeout=60)
    assert rc == 0, err
    no_sanitizer_report(err)
    theirs = hostile.exec("client", [oracle("mtr")] + args, timeout=60)
    assert hop_names(out.decode()) == hop_names(theirs.stdout)
    assert hop_names(out.decode())[-1] == HOSTILE


BAD_BYTES = (b"\x1b", b"\x07", b"\x9b", b"\x00")


def names_of(xml_path):
    root = ET.parse(xml_path).getroot()
    return {h.find("address").get("addr"): sorted(n.get("name") for n in h.iter("hostname"))
            for h in root.iter("host")}


def test_list_scan_names_from_a_lying_dns(hostile, tmp_path):
    """-sL with the hostile DNS server (escapes and control bytes in a
    name, a compression loop, a 255-byte name, 300 PTRs, pointers and
    labels out of bounds, an answer to another question): ends at once,
    prints nothing raw, valid XML; the host list as nmap's, and the
    255-byte name as nmap prints it. (nmap prints the name of escapes
    with '*' for each bad byte; netkit, through c-ares, prints none.)"""
    targets = ["198.18.9.0/29", "198.18.1.1"]
    res = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        xml = str(tmp_path / f"{name}.xml")
        rc, out, err, secs = measured(hostile, [tool, "-sL", "--dns-servers", HOSTILE, "-oX",
                                                xml] + targets, timeout=120)
        assert rc == 0, err
        res[name] = (out, err, secs, names_of(xml), xml)
    out, err, secs, names, xml = res["netkit"]
    no_sanitizer_report(err)
    assert secs < 30, secs
    for bad in BAD_BYTES:
        assert bad not in out, (bad, out)
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, xml])
    assert v.returncode == 0, v.stderr
    theirs = res["nmap"][3]
    assert sorted(names) == sorted(theirs)
    assert names["198.18.9.3"] == theirs["198.18.9.3"] and len(names["198.18.9.3"][0]) > 250


@pytest.fixture
def lying_resolv_conf(hostile):
    """The client resolves through the hostile DNS server (ip netns exec
    puts /etc/netns/NS/resolv.conf over /etc/resolv.conf)."""
    d = f"/etc/netns/{hostile.ns('client')}"
    made = not os.path.isdir(d)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "resolv.conf")
    old = open(path).read() if os.path.exists(path) else None
    with open(path, "w") as f:
        f.write(f"nameserver {HOSTILE}\noptions timeout:1 attempts:1\n")
    yield ["ip", "netns", "exec", hostile.ns("client")]
    if old is None:
        os.unlink(path)
    else:
        with open(path, "w") as f:
            f.write(old)
    if made:
        os.rmdir(d)


def test_mtr_names_from_a_lying_dns(hostile, lying_resolv_conf):
    """mtr with names on, its first hop's PTR a name of escapes and the
    target's 300 PTR records: ends, prints nothing raw, the same hops as
    mtr's."""
    args = ["-r", "-c", "2", "-i", "0.2", HOSTILE]
    t0 = time.monotonic()
    ours = subprocess.run(lying_resolv_conf + [os.path.join(NETKIT_BIN, "mtr")] + args,
                          capture_output=True, timeout=60)
    secs = time.monotonic() - t0
    assert ours.returncode == 0, ours.stderr
    no_sanitizer_report(ours.stderr.decode(errors="replace"))
    assert secs < 30, secs
    for bad in BAD_BYTES:
        assert bad not in ours.stdout, (bad, ours.stdout)
    theirs = run(lying_resolv_conf + [oracle("mtr")] + args, timeout=60)
    assert len(hop_names(ours.stdout.decode())) == len(hop_names(theirs.stdout)) == 2


def test_mtr_as_lookups_from_a_lying_dns(hostile, lying_resolv_conf):
    """mtr -z (AS numbers from TXT records of origin.asn.cymru.com) through
    the lying DNS: the router's TXT full of escapes and control bytes, the
    target's 300 TXT records: ends in its bounds, exit 0, prints nothing
    raw, no sanitizer report, the same hops as mtr's."""
    args = ["-r", "-z", "-n", "-c", "2", "-i", "0.2", HOSTILE]
    t0 = time.monotonic()
    ours = subprocess.run(lying_resolv_conf + [os.path.join(NETKIT_BIN, "mtr")] + args,
                          capture_output=True, timeout=60)
    secs = time.monotonic() - t0
    assert ours.returncode == 0, ours.stderr
    no_sanitizer_report(ours.stderr.decode(errors="replace"))
    assert secs < 30, secs
    theirs = subprocess.run(lying_resolv_conf + [oracle("mtr")] + args, capture_output=True,
                            timeout=60)
    assert theirs.returncode == 0, theirs.stderr
    for bad in BAD_BYTES:
        assert bad not in ours.stdout, (bad, ours.stdout, theirs.stdout)
    hops = lambda out: [l.split()[0] for l in out.splitlines() if re.match(r"\s*\d+\.", l)]
    assert len(hops(ours.stdout.decode())) == len(hops(theirs.stdout.decode("latin-1"))) == 2, \
        (ours.stdout, theirs.stdout)


PACKET_PORTS = "7100-7107"


@pytest.fixture(scope="module")
def syn_scans(hostile, tmp_path_factory):
    """-sS of the packet-level misbehaviour (lab/hostile/packets.py: a storm
    of SYN-ACKs, a bad checksum, truncated and garbage options, a reply
    from another address, RSTs for ports never probed, a late reply,
    SYN-ACKs for ports never probed) and of the nice host, by netkit (peak
    RSS measured) and by nmap; and netkit's scan of the nice host alone."""
    d = tmp_path_factory.mktemp("syn")
    argv = ["-sS", "-Pn", "-n", "--reason", "-p", PACKET_PORTS + ",80"]
    res = {}
    xml = str(d / "netkit.xml")
    t0 = time.monotonic()
    r, rss = peak_rss_kib(hostile, [NMAP] + argv + ["-oX", xml, HOSTILE, NICE], timeout=120)
    res["netkit"] = (r, xml, time.monotonic() - t0, rss)
    xml = str(d / "nmap.xml")
    r = hostile.exec("client", [oracle("nmap")] + argv + ["-oX", xml, HOSTILE, NICE], timeout=120)
    res["nmap"] = (r, xml, None, None)
    xml = str(d / "alone.xml")
    r = hostile.exec("client", [NMAP] + argv + ["-oX", xml, NICE], timeout=120)
    res["alone"] = (r, xml, None, None)
    for name, (r, _, _, _) in res.items():
        assert r.returncode == 0, (name, r.stderr)
    return res


def test_syn_scan_against_packet_misbehaviour(syn_scans):
    r, xml, secs, rss = syn_scans["netkit"]
    no_sanitizer_report(r.stderr)
    assert secs < 60, secs
    assert rss < RSS_MIB * 1024, rss
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, xml])
    assert v.returncode == 0, v.stderr
    ours, theirs = ports_of(xml, HOSTILE), ports_of(syn_scans["nmap"][1], HOSTILE)
    # 7106 answers 3 s late: whether a scan still waits then is timing;
    # 7103 is compared on its own below
    for port in ("7100", "7101", "7102", "7104", "7105", "7107"):
        assert ours[port][0] == theirs[port][0], (port, ours[port], theirs[port])
    # the nice host, in the same run, as nmap sees it (states: the names of
    # closed ports outside nmap's top 1000, 7104 and 7107 here, are not
    # nmap's table's, see nmap(1) PORTS) and exactly as when alone
    nice = ports_of(xml, NICE)
    assert {p: v[0] for p, v in nice.items()} == \
        {p: v[0] for p, v in ports_of(syn_scans["nmap"][1], NICE).items()}
    assert nice == ports_of(syn_scans["alone"][1], NICE)


def test_syn_ack_with_garbage_options_like_nmap(syn_scans):
    """A SYN-ACK whose options are garbage (lengths 0, 1, 255) is no
    answer: nmap 7.93 drops it (filtered), and so does netkit."""
    ours = ports_of(syn_scans["netkit"][1], HOSTILE)["7103"][0]
    theirs = ports_of(syn_scans["nmap"][1], HOSTILE)["7103"][0]
    assert ours == theirs


@pytest.mark.parametrize("argv", [["ss", "-tulnp"], ["ss", "-ulnp"], ["ip", "-br", "address"],
                                  ["ip", "route"]], ids=lambda a: " ".join(a))
def test_ss_ip_in_the_hostile_namespace(hostile, argv):
    """ss and ip in the namespace that holds the responders' sockets (and
    the packet socket of packets.py), next to iproute2's."""
    ns = ["ip", "netns", "exec", hostile.ns("hostile")]
    ours = run(ns + [os.path.join(NETKIT_BIN, argv[0])] + argv[1:])
    theirs = run(ns + [oracle(argv[0])] + argv[1:])
    no_sanitizer_report(ours.stderr)
    assert (ours.returncode, ours.stdout, ours.stderr) == \
        (theirs.returncode, theirs.stdout, theirs.stderr)
