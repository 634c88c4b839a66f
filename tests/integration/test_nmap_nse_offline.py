# SPDX-License-Identifier: Apache-2.0
"""netkit's scripts of nmap's names side by side with nmap 7.93's,
offline, against stand-in servers on a private namespace's loopback:
dns-zone-transfer against fake_axfr.py (nse_axfr.sh).

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_nse_offline tests/integration
"""
import os
import xml.etree.ElementTree as ET

from conftest import NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
HERE = os.path.dirname(os.path.abspath(__file__))


def test_dns_zone_transfer_like_nmap(tmp_path):
    """The zone's records in nmap's columns (owner, type, data; SOA first
    and last; A, AAAA, NS, MX, TXT, CNAME, SRV, HINFO, PTR; names
    compressed or not), across two messages; the same output attribute in
    XML. The zone is a one-label name: nmap 7.93's script asks for a
    domain's last label only, netkit's for the domain named."""
    got = []
    for exe in (NMAP, oracle("nmap")):
        x = str(tmp_path / "z.xml")
        r = run(["unshare", "--net", os.path.join(HERE, "nse_axfr.sh"), exe, "-Pn", "-p53",
                 "--script", "dns-zone-transfer", "--script-args",
                 "dns-zone-transfer.domain=lab", "127.0.0.1", "-oX", x], timeout=60)
        assert r.returncode == 0, r.stderr
        block = [l for l in r.stdout.splitlines() if l.startswith("|")]
        s = ET.parse(x).getroot().find(".//port/script")
        got.append((block, s.get("id") if s is not None else None,
                    s.get("output") if s is not None else None))
    assert got[0] == got[1]
    assert len(got[0][0]) == 14 and got[0][0][-1].startswith("|_lab.")
    # a zone the server refuses: no result
    r = run(["unshare", "--net", os.path.join(HERE, "nse_axfr.sh"), NMAP, "-Pn", "-p53",
             "--script", "dns-zone-transfer", "--script-args", "dns-zone-transfer.domain=other",
             "127.0.0.1"], timeout=60)
    assert r.returncode == 0 and "dns-zone-transfer" not in r.stdout


def test_clock_skew_like_nmap(tmp_path):
    """clock-skew from http-date's skews on three ports (servers an hour or
    so behind): nmap's one-line layout for one value and mean/deviation/
    median for several, the XML's mean, stddev, median and count. The
    digits are masked between the tools (the Date header has whole
    seconds); netkit's values are checked against the offsets."""
    import re
    for specs, count, mean in (("80:-3600", 1, -3600), ("80:-3600 8080:-3500 8000:-3400", 3, -3500)):
        got = []
        for exe in (NMAP, oracle("nmap")):
            x = str(tmp_path / "c.xml")
            r = run(["unshare", "--net", os.path.join(HERE, "nse_dated.sh"), specs, exe, "-Pn",
                     "-p80,8000,8080", "--script", "http-date,clock-skew", "127.0.0.1", "-oX", x],
                    timeout=60)
            assert r.returncode == 0, r.stderr
            line = [l for l in r.stdout.splitlines() if l.startswith("|_clock-skew")]
            s = ET.parse(x).getroot().find(".//hostscript/script")
            elems = {e.get("key"): e.text for e in s.findall("elem")}
            got.append((re.sub(r"\d+", "N", "".join(line)), sorted(elems), elems))
        assert got[0][:2] == got[1][:2], specs
        ours = got[0][2]
        assert int(ours["count"]) == count and abs(int(ours["mean"]) - mean) <= 2, ours


def test_http_favicon_like_nmap(tmp_path):
    """http-favicon against Python's http.server serving a made-up icon:
    nmap's "Unknown favicon MD5: " and the hash, the same in XML; with a
    table naming that hash (http-favicon.favicondb) netkit names it; no
    /favicon.ico, no result (as nmap)."""
    import hashlib
    icon = b"\0\0\1\0netkit test icon"
    (tmp_path / "favicon.ico").write_bytes(icon)
    local = os.path.join(HERE, "nse_local.sh")
    argv = ["-Pn", "-p8000", "--script", "http-favicon", "127.0.0.1"]
    got = []
    for exe in (NMAP, oracle("nmap")):
        x = str(tmp_path / "f.xml")
        r = run(["unshare", "--net", local, exe] + argv + ["-oX", x], cwd=str(tmp_path),
                timeout=60)
        assert r.returncode == 0, r.stderr
        s = ET.parse(x).getroot().find(".//port/script")
        got.append(([l for l in r.stdout.splitlines() if l.startswith("|")], s.get("output")))
    md5 = hashlib.md5(icon).hexdigest()
    assert got[0] == got[1] == (["|_http-favicon: Unknown favicon MD5: " + md5.upper()],
                                "Unknown favicon MD5: " + md5.upper())
    db = tmp_path / "db.txt"
    db.write_text("%s\tnetkit test server\ttest\n" % md5)
    r = run(["unshare", "--net", local, NMAP] + argv[:-1] +
            ["--script-args", "http-favicon.favicondb=" + str(db), "127.0.0.1"],
            cwd=str(tmp_path), timeout=60)
    assert "|_http-favicon: netkit test server" in r.stdout.splitlines()
    (tmp_path / "favicon.ico").unlink()
    for exe in (NMAP, oracle("nmap")):
        r = run(["unshare", "--net", local, exe] + argv, cwd=str(tmp_path), timeout=60)
        assert "http-favicon" not in r.stdout, exe


def test_ftp_brute_like_nmap(tmp_path):
    """ftp-brute (brute, unpwdb and creds together) against fake_ftp.py with
    three accounts over the test lists: the same accounts in the same
    order and layout, text and XML; the guess count and the timing are
    masked (nmap guesses in several threads, one more guess in flight)."""
    import re
    from test_nmap_nse import canon
    lists = os.path.join(HERE, "nse_cases", "brute")
    got = []
    for exe in (NMAP, oracle("nmap")):
        x = str(tmp_path / "b.xml")
        r = run(["unshare", "--net", os.path.join(HERE, "nse_ftp.sh"), "admin:secret guest: root:root",
                 exe, "-Pn", "-p21", "--script", "ftp-brute", "--script-args",
                 "userdb=%s/users.lst,passdb=%s/pass.lst" % (lists, lists), "127.0.0.1", "-oX", x],
                timeout=120)
        assert r.returncode == 0, r.stderr
        mask = lambda s: re.sub(r"Performed \d+ guesses in \d+ seconds, average tps: [\d.]+",
                                "Performed N guesses", s)
        s = ET.parse(x).getroot().find(".//port/script")
        got.append(([mask(l) for l in r.stdout.splitlines() if l.startswith("|")],
                    mask(s.get("output")), mask(repr(canon(s)))))
    assert got[0] == got[1]
    assert "|     guest:<empty> - Valid credentials" in got[0][0]


def test_clock_skew_groups_like_nmap(tmp_path):
    """clock-skew after the scan: hosts whose skews print the same are
    listed under that skew (127.0.0.1 and .2 an hour behind); a host alone
    with its skew (.3, 0s) is not; text and XML as nmap's (lines as sets:
    the hosts' order is the scan's)."""
    from test_nmap_nse import blocks, canon
    specs = "127.0.0.1:80:-3600 127.0.0.2:80:-3600 127.0.0.3:80:0"
    got = []
    for exe in (NMAP, oracle("nmap")):
        # a skew is whole seconds: a second boundary passing between the
        # server's Date and the scanner's clock reads -3601 for one host now
        # and then, which splits the group; so up to three tries each
        for _ in range(3):
            x = str(tmp_path / "g.xml")
            r = run(["unshare", "--net", os.path.join(HERE, "nse_dated.sh"), specs, exe, "-n",
                     "-Pn", "-p80", "--script", "http-date,clock-skew", "127.0.0.1-3", "-oX", x],
                    timeout=90)
            assert r.returncode == 0, r.stderr
            post = blocks(r.stdout[r.stdout.find("Post-scan script results:"):]).get(
                ("post", "clock-skew"))
            s = ET.parse(x).getroot().find(".//postscript/script")
            if post:
                break
        got.append((post, canon(s) if s is not None else None))
    assert got[0] == got[1]
    assert got[0][0] and "127.0.0.3" not in " ".join(got[0][0])
