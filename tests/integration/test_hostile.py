# SPDX-License-Identifier: Apache-2.0
"""netkit against the hostile lab host (lab/hostile.lab, its services from
lab/hostile/responder.py: a tarpit, a one-byte-a-second banner, a 300 MiB
banner, binary garbage, a reply cut off, a TLS handshake that stalls, TLS
records of garbage, terminal escape sequences): each run ends within its
bound, with its peak RSS bounded (the flood is not buffered), its XML
valid against nmap.dtd, no escape sequence reaching the terminal, no
ASan/UBSan report, and the well-behaved host scanned in the same run
reported as when scanned alone. Packets go only into the lab's namespaces.

What nmap 7.93 itself does there (measured, not asserted): -sV on the
eight ports takes ~240 s and ~660 MiB (it reads the whole flood)."""
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT, NETKIT_BIN, TOP, oracle, run
from labfix import Lab
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
    lab = Lab.up(NETKIT, os.path.join(TOP, "lab", "hostile.lab"))
    resp = None
    try:
        resp = lab.popen("hostile", [sys.executable, os.path.join(TOP, "lab", "hostile",
                                                                  "responder.py"),
                                     "--max-seconds", "120"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = resp.stdout.readline()
        assert line.startswith("ready "), (line, resp.stderr.read() if resp.poll() else "")
        yield lab
    finally:
        if resp:
            resp.terminate()
            try:
                resp.wait(timeout=10)
            except subprocess.TimeoutExpired:
                resp.kill()
                resp.wait()
        lab.down()


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
