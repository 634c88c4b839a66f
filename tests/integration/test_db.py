# SPDX-License-Identifier: Apache-2.0
"""netkit db init/import into a throwaway PostgreSQL 15 on a Unix socket
(scripts/pg-local.sh): a lab scan's XML, netkit's and nmap 7.93's own of
the same scan, imported through COPY, reads back from the database as the
XML says (hosts, addresses, names, ports, states, services, run
statistics); importing a scan again replaces it; bad input is refused.
Packets go only into the lab's namespaces."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT, NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
PG_LOCAL = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "pg-local.sh")


@pytest.fixture(scope="module")
def pg():
    if not os.path.exists("/usr/lib/postgresql/15/bin/initdb"):
        pytest.skip("postgresql-15 is not installed (scripts/deps.sh)")
    d = tempfile.mkdtemp(prefix="nk-pg-")
    r = run(["bash", PG_LOCAL, "up", d], timeout=120)
    try:
        assert r.returncode == 0, r.stderr
        url = r.stdout.strip()
        assert run([NETKIT, "db", "init", url]).returncode == 0
        assert run([NETKIT, "db", "init", url]).returncode == 0  # idempotent
        yield url
    finally:
        run(["bash", PG_LOCAL, "down", d], timeout=60)
        shutil.rmtree(d, ignore_errors=True)


def sql(url, q):
    r = run(["psql", "-XAt", "-F", "|", url, "-c", q])
    assert r.returncode == 0, r.stderr
    return [tuple(l.split("|")) for l in r.stdout.splitlines()]


def xml_rows(path):
    root = ET.parse(path).getroot()
    hosts, ports, names = [], [], []
    for i, h in enumerate(root.findall("host"), 1):
        a = h.find("address").get("addr")
        hosts.append((str(i), a, h.find("status").get("state")))
        names += [(a, n.get("name"), n.get("type")) for n in h.iter("hostname")]
        for p in h.iter("port"):
            s = p.find("service")
            ports.append((a, p.get("protocol"), p.get("portid"), p.find("state").get("state"),
                          s.get("name") if s is not None else ""))
    rs = root.find("runstats/hosts")
    return (root.get("args"), sorted(hosts), sorted(ports), sorted(names),
            (rs.get("up"), rs.get("down"), rs.get("total")))


def db_rows(url, args):
    sid = sql(url, f"SELECT id FROM scans WHERE args = $q${args}$q$")
    assert len(sid) == 1
    sid = sid[0][0]
    hosts = sql(url, f"SELECT h.host_id, a.addr, h.status FROM hosts h JOIN addresses a "
                     f"USING (scan_id, host_id) WHERE scan_id = {sid} AND a.addrtype <> 'mac'")
    ports = sql(url, f"SELECT a.addr, p.protocol, p.portid, p.state, coalesce(p.service, '') "
                     f"FROM ports p JOIN addresses a USING (scan_id, host_id) "
                     f"WHERE scan_id = {sid} AND a.addrtype <> 'mac'")
    names = sql(url, f"SELECT a.addr, n.name, n.type FROM hostnames n JOIN addresses a "
                     f"USING (scan_id, host_id) WHERE scan_id = {sid} AND a.addrtype <> 'mac'")
    st = sql(url, f"SELECT hosts_up, hosts_down, hosts_total FROM scans WHERE id = {sid}")
    return (args, sorted(hosts), sorted(ports), sorted(names), st[0])


@pytest.mark.parametrize("tool", ["netkit", "nmap"])
def test_import_round_trip(lab, pg, tmp_path, tool):
    exe = NMAP if tool == "netkit" else oracle("nmap")
    out = str(tmp_path / f"{tool}.xml")
    hosts = [lab.addr("target"), lab.addr("web"), lab.addr("db"), "198.18.3.99"]
    r = lab.exec("client", [exe, "-p", "22,80,6379,8081-8083", "-oX", out] + hosts, timeout=120)
    assert r.returncode == 0, r.stderr
    want = xml_rows(out)
    assert len(want[2]) >= 18
    imp = run([NETKIT, "db", "import", pg, out])
    assert imp.returncode == 0, imp.stderr
    assert db_rows(pg, want[0]) == want
    n = sql(pg, "SELECT count(*) FROM scans")[0][0]
    imp = run([NETKIT, "db", "import", pg, out])  # again: replaced, not doubled
    assert imp.returncode == 0, imp.stderr
    assert sql(pg, "SELECT count(*) FROM scans")[0][0] == n
    assert db_rows(pg, want[0]) == want


RICH = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sV -O -sC upgrade" start="1700000000" \
startstr="Tue Nov 14 22:13:20 2023" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1" services="22"/>
<verbose level="1"/>
<debugging level="0"/>
<hosthint><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="198.18.3.10" addrtype="ipv4"/>
<hostnames>
</hostnames>
</hosthint>
<host starttime="1700000000" endtime="1700000009"><status state="up" reason="echo-reply" \
reason_ttl="62"/>
<address addr="198.18.3.10" addrtype="ipv4"/>
<hostnames>
<hostname name="caf\u00e9.lab" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="99">
<extrareasons reason="reset" count="99" proto="tcp" ports="1-21,23-100"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="62"/>\
<service name="ssh" product="OpenSSH" version="9.2p1" ostype="Linux" method="probed" conf="10">\
<cpe>cpe:/a:openbsd:openssh:9.2p1</cpe></service><script id="ssh-hostkey" \
output="&#xa;  256 ab (ED25519) \u00e9"><table>
<elem key="bits">256</elem>
<elem key="type">ssh-ed25519 &amp; &lt;more&gt;</elem>
</table>
</script></port>
</ports>
<os><portused state="open" proto="tcp" portid="22"/>
<osmatch name="Linux 5.4" accuracy="96" line="68194">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="5.X" accuracy="96">\
<cpe>cpe:/o:linux:linux_kernel:5.4</cpe></osclass>
</osmatch>
<osfingerprint fingerprint="OS:SCAN(V=7.93%E=4)&#xa;OS:SEQ(SP=FE)"/>
</os>
<uptime seconds="19" lastboot="Tue Nov 14 22:13:01 2023"/>
<distance value="3"/>
<tcpsequence index="259" difficulty="Good luck!" values="CE8DD1A6,965E28C8"/>
<ipidsequence class="All zeros" values="0,0"/>
<tcptssequence class="other" values="F3C25606,FB512E1C"/>
<hostscript><script id="smb-os" output="x"><elem key="os">Linux</elem>
</script></hostscript>
<trace port="22" proto="tcp">
<hop ttl="1" ipaddr="198.18.1.1" rtt="0.10" host="r1.lab"/>
</trace>
<times srtt="101" rttvar="12" to="100000"/>
</host>
<host><status state="down" reason="no-response" reason_ttl="0"/>
<address addr="198.18.3.99" addrtype="ipv4"/>
</host>
<taskbegin task="NSE" time="1700000009"/>
<taskend task="NSE" time="1700000009"/>
<runstats><finished time="1700000009" timestr="Tue Nov 14 22:13:29 2023" \
summary="Nmap done; 2 IP addresses (1 host up) scanned in 9.00 seconds" elapsed="9.00" \
exit="success"/><hosts up="1" down="1" total="2"/>
</runstats>
</nmaprun>
"""

# what db init added after the first schema: dropped here to make an older database
NEWER = ["scans DROP COLUMN summary", "scans DROP COLUMN errormsg", "hosts DROP COLUMN timedout",
         "hosts DROP COLUMN comment", "hosts DROP COLUMN os_xml", "hosts DROP COLUMN more_xml",
         "hosts DROP COLUMN trace_xml", "hosts DROP COLUMN times_xml",
         "hosts DROP COLUMN has_hostnames", "hosts DROP COLUMN json",
         "hosts DROP COLUMN json_ports", "ports DROP COLUMN xml", "ports DROP COLUMN json",
         "scripts DROP COLUMN xml", "extraports DROP COLUMN xml"]


def test_init_upgrades_an_older_database(pg, tmp_path):
    """An nmap XML holding what has no columns of its own (scaninfo,
    hosthint, extrareasons, CPEs, ostype, a script table, osclass,
    fingerprint, uptime, sequences, trace, times, UTF-8) into a database of
    an earlier db init: the import is refused until db init adds what is
    missing, in place; then export gives back the file."""
    assert run(["psql", "-XAt", pg, "-c", "CREATE DATABASE older"]).returncode == 0
    url = pg.replace("/postgres?", "/older?")
    assert "/older?" in url
    try:
        assert run([NETKIT, "db", "init", url]).returncode == 0
        sql(url, "; ".join(f"ALTER TABLE {c}" for c in NEWER) + "; DROP TABLE scan_xml")
        src, out = str(tmp_path / "rich.xml"), str(tmp_path / "out.xml")
        with open(src, "w", encoding="utf-8") as f:
            f.write(RICH)
        old = run([NETKIT, "db", "import", url, src])
        assert old.returncode != 0 and "does not exist" in old.stderr
        assert run([NETKIT, "db", "init", url]).returncode == 0
        sid = _import(url, src)
        r = run([NETKIT, "db", "export", url, sid, "-oX", out])
        assert r.returncode == 0, r.stderr
        assert "caf\u00e9.lab" in open(out, encoding="utf-8").read()  # not caf\\xC3\\xA9
        assert _first_difference(_canon(src), _canon(out)) is None
        v = run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", out])
        assert v.returncode == 0, v.stderr
    finally:
        run(["psql", "-XAt", pg, "-c", "DROP DATABASE older"])


def test_export_streams(pg, tmp_path):
    """export reads the database a batch of rows at a time (4,096): hosts
    whose ports span batches, and a host with none between them, come back
    whole and in order."""
    src, out = str(tmp_path / "big.xml"), str(tmp_path / "out.xml")
    with open(src, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap '
                'streamed" start="1700000000" startstr="Tue Nov 14 22:13:20 2023" '
                'version="7.93" xmloutputversion="1.05">\n<verbose level="0"/>\n'
                '<debugging level="0"/>\n')
        for h, n in enumerate((5000, 0, 9000)):
            f.write(f'<host><status state="up" reason="syn-ack" reason_ttl="64"/>\n<address '
                    f'addr="198.18.9.{h}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n')
            if n:
                f.write("<ports>")
                for p in range(1, n + 1):
                    f.write(f'<port protocol="tcp" portid="{p}"><state state="closed" '
                            f'reason="reset" reason_ttl="64"/></port>\n')
                f.write("</ports>\n")
            f.write("</host>\n")
        f.write('<runstats><finished time="1700000001" timestr="Tue Nov 14 22:13:21 2023" '
                'elapsed="1.00" exit="success"/><hosts up="3" down="0" total="3"/>'
                '</runstats>\n</nmaprun>\n')
    sid = _import(pg, src)
    r = run([NETKIT, "db", "export", pg, sid, "-oX", out])
    assert r.returncode == 0, r.stderr
    assert _first_difference(_canon(src), _canon(out)) is None
    assert len(ET.parse(out).getroot().findall("host/ports/port")) == 14000


def test_import_refuses_bad_input(pg, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<nmaprun args="x" start="1"><host><status state="up')
    before = sql(pg, "SELECT count(*) FROM scans")
    r = run([NETKIT, "db", "import", pg, str(bad)])
    assert r.returncode == 1 and "malformed XML" in r.stderr
    assert sql(pg, "SELECT count(*) FROM scans") == before  # rolled back
    notxml = tmp_path / "x.xml"
    notxml.write_text("<html></html>\n")
    r = run([NETKIT, "db", "import", pg, str(notxml)])
    assert r.returncode == 1 and "not nmap XML" in r.stderr
    js = tmp_path / "x.json"
    js.write_text('{"addr":"198.18.3.10"}\n{"addr": tru}\n')
    r = run([NETKIT, "db", "import", pg, str(js)])
    assert r.returncode == 1 and "line 2: not a -oJ host line" in r.stderr
    assert sql(pg, "SELECT count(*) FROM scans") == before
    # a file cut short after its ports began: the scan it would replace stays whole
    doc = ('<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="cut" start="5" version="7.93">'
           '<host><status state="up" reason="x" reason_ttl="0"/><address addr="10.9.9.9" '
           'addrtype="ipv4"/><ports>' + ''.join(
               f'<port protocol="tcp" portid="{i}"><state state="closed" reason="reset" '
               f'reason_ttl="0"/></port>' for i in range(1, 3001)))
    full = tmp_path / "full.xml"
    full.write_text(doc + '</ports></host><runstats><finished time="6" elapsed="1"/>'
                    '<hosts up="1" down="0" total="1"/></runstats></nmaprun>\n')
    assert run([NETKIT, "db", "import", pg, str(full)]).returncode == 0
    q = "SELECT count(*) FROM ports p JOIN scans s ON s.id = p.scan_id WHERE s.args = 'cut'"
    assert sql(pg, q) == [("3000",)]
    cut = tmp_path / "cut.xml"
    cut.write_text(doc[:-40])
    r = run([NETKIT, "db", "import", pg, str(cut)])
    assert r.returncode == 1 and "malformed XML" in r.stderr
    assert sql(pg, q) == [("3000",)]
    r = run([NETKIT, "db", "import", "postgresql:///nodb?host=/nonexistent", str(js)])
    assert r.returncode == 1 and "netkit db:" in r.stderr
    r = run([NETKIT, "db", "frob"])
    assert r.returncode == 255


def test_import_ndjson_matches_the_xml(lab, pg, tmp_path):
    """netkit's -oJ of a scan imports to the same hosts and ports as its XML."""
    base = str(tmp_path / "scan")
    hosts = [lab.addr("target"), lab.addr("web"), "198.18.3.99"]
    r = lab.exec("client", [NMAP, "-sV", "-p", "22,80,6379,8081", "-oX", base + ".xml", "-oJ",
                            base + ".json"] + hosts, timeout=120)
    assert r.returncode == 0, r.stderr
    for f in (base + ".xml", base + ".json"):
        imp = run([NETKIT, "db", "import", pg, f])
        assert imp.returncode == 0, imp.stderr
    q = ("SELECT a.addr, p.protocol, p.portid, p.state, p.service, coalesce(p.product, ''), "
         "coalesce(p.version, '') FROM ports p JOIN addresses a USING (scan_id, host_id) "
         "JOIN scans s ON s.id = p.scan_id WHERE s.args {} AND a.addrtype <> 'mac' ORDER BY 1, 3")
    xml_args = ET.parse(base + ".xml").getroot().get("args")
    from_xml = sql(pg, q.format(f"= $q${xml_args}$q$"))
    from_json = sql(pg, q.format(f"= $q$netkit -oJ {os.path.realpath(base + '.json')}$q$"))
    assert len(from_xml) == 8 and from_json == from_xml
    st = sql(pg, f"SELECT hosts_up, hosts_down, hosts_total FROM scans WHERE args = "
                 f"$q$netkit -oJ {os.path.realpath(base + '.json')}$q$")
    assert st == [("2", "1", "3")]
    n = sql(pg, "SELECT count(*) FROM ports")
    assert run([NETKIT, "db", "import", pg, base + ".json"]).returncode == 0
    assert sql(pg, "SELECT count(*) FROM ports") == n  # replaced, not doubled


BANNER = r"""
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    try:
        c.sendall(sys.argv[2].encode() + b"\r\n"); c.settimeout(2); c.recv(100)
    except OSError:
        pass
    c.close()
"""
EXTRA = "198.18.3.77"  # a host that is up in scan A only


def _banner(lab, host, port, text):
    p = subprocess.Popen(["ip", "netns", "exec", lab.ns(host), "/usr/bin/python3", "-c", BANNER,
                          str(port), text], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


def _two_scans(lab, exe, tmp_path, tag):
    """Scan A and scan B of the lab with changes made between them: target's
    9999 closes and 9998 opens, db's ssh on 2222 changes version, EXTRA goes
    down. The lab is left as it was found."""
    argv = [exe, "-sV", "--version-intensity", "0", "-p", "22,80,2222,9998,9999",
            lab.addr("target"), lab.addr("web"), lab.addr("db"), EXTRA]
    files, procs = [], []
    try:
        run(["ip", "-n", lab.ns("web"), "addr", "add", EXTRA + "/24", "dev", "eth0"], check=True)
        procs = [_banner(lab, "target", 9999, "SSH-2.0-OpenSSH_9.2p1 Debian-2"),
                 _banner(lab, "db", 2222, "SSH-2.0-OpenSSH_8.4p1 Debian-5")]
        for scan in ("a", "b"):
            out = str(tmp_path / f"{tag}-{scan}.xml")
            r = lab.exec("client", argv + ["-oX", out], timeout=120)
            assert r.returncode == 0, r.stderr
            files.append(out)
            if scan == "a":
                for p in procs:
                    p.kill(), p.wait()
                run(["ip", "-n", lab.ns("web"), "addr", "del", EXTRA + "/24", "dev", "eth0"])
                procs = [_banner(lab, "target", 9998, "SSH-2.0-OpenSSH_9.2p1 Debian-2"),
                         _banner(lab, "db", 2222, "SSH-2.0-OpenSSH_9.2p1 Debian-2")]
    finally:
        for p in procs:
            p.kill(), p.wait()
        run(["ip", "-n", lab.ns("web"), "addr", "del", EXTRA + "/24", "dev", "eth0"])
    return files


def _import(pg, f):
    r = run([NETKIT, "db", "import", pg, f])
    assert r.returncode == 0, r.stderr
    return r.stdout.split("scan ")[1].split(",")[0]


@pytest.mark.parametrize("tool", ["netkit", "nmap"])
def test_diff_like_ndiff(lab, pg, tmp_path, tool):
    """netkit db diff of two imported lab scans prints what ndiff prints of
    their XML files, with and without -v and with --xml, and --json names
    exactly the changes made between them."""
    exe = NMAP if tool == "netkit" else oracle("nmap")
    a, b = _two_scans(lab, exe, tmp_path, tool)
    ia, ib = _import(pg, a), _import(pg, b)
    for v in ([], ["-v"], ["--xml"]):
        want = run([oracle("ndiff")] + v + [a, b])
        got = run([NETKIT, "db", "diff"] + v + [pg, ia, ib])
        assert (got.returncode, got.stdout) == (want.returncode, want.stdout), got.stderr
    assert want.returncode == 1 and '<portdiff>' in want.stdout and EXTRA in want.stdout
    js = run([NETKIT, "db", "diff", "--json", pg, ia, ib])
    assert js.returncode == 1, js.stderr
    d = json.loads(js.stdout)
    changes = {(h["addr"], h["change"]) for h in d["hosts"]}
    ports = {(h["addr"], p["portid"], p["change"]) for h in d["hosts"] for p in h["ports"]}
    t, db = lab.addr("target"), lab.addr("db")
    assert changes == {(t, "changed"), (db, "changed"), (EXTRA, "removed")}
    assert {p for p in ports if p[0] != EXTRA} == {(t, 9999, "closed"), (t, 9998, "opened"),
                                                   (db, 2222, "changed")}
    p2222 = [p for h in d["hosts"] for p in h["ports"] if p["portid"] == 2222][0]
    assert (p2222["a"]["version"], p2222["b"]["version"]) == ("8.4p1 Debian 5", "9.2p1 Debian 2")
    same = run([NETKIT, "db", "diff", pg, ia, ia])
    assert (same.returncode, same.stdout) == (0, "")
    bad = run([NETKIT, "db", "diff", pg, ia, "999999"])
    assert bad.returncode == 2 and "no scan 999999" in bad.stderr


def _held(path):
    """What the database holds of an nmap XML file, in the file's order."""
    root = ET.parse(path).getroot()
    pick = lambda e, *k: tuple(e.get(x) for x in k) if e is not None else None  # noqa: E731
    hosts = []
    for h in root.findall("host"):
        ports = [(pick(p, "protocol", "portid"), pick(p.find("state"), "state", "reason",
                                                        "reason_ttl"),
                  pick(p.find("service"), "name", "product", "version", "extrainfo", "method",
                       "conf"), [pick(s, "id", "output") for s in p.findall("script")])
                 for p in h.iter("port")]
        hosts.append((pick(h, "starttime", "endtime"),
                      pick(h.find("status"), "state", "reason", "reason_ttl"),
                      [pick(a, "addr", "addrtype", "vendor") for a in h.findall("address")],
                      [pick(n, "name", "type") for n in h.iter("hostname")],
                      [pick(x, "state", "count") for x in h.iter("extraports")], ports,
                      [pick(s, "id", "output") for s in h.findall("hostscript/script")],
                      [pick(o, "name", "accuracy", "line") for o in h.iter("osmatch")],
                      [pick(o, "ttl", "ipaddr", "rtt", "host") for o in h.iter("hop")]))
    return (pick(root, "scanner", "args", "start", "version"), hosts,
            pick(root.find("runstats/finished"), "time", "elapsed", "exit"),
            pick(root.find("runstats/hosts"), "up", "down", "total"))


def _canon(path):
    """An XML document as a tree to compare: each element's name, its
    attributes (a set), its text (stripped) and its children in order."""
    def walk(e):
        return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), [walk(c) for c in e])
    return walk(ET.parse(path).getroot())


def _first_difference(a, b, where=""):
    if a[:3] != b[:3] or len(a[3]) != len(b[3]):
        return (where + "/" + a[0], a[:3], [c[0] for c in a[3]], b[:3], [c[0] for c in b[3]])
    for i, (x, y) in enumerate(zip(a[3], b[3])):
        d = _first_difference(x, y, f"{where}/{a[0]}[{i}]")
        if d:
            return d
    return None


@pytest.mark.parametrize("tool", ["netkit", "nmap"])
def test_export_round_trip(lab, pg, tmp_path, tool):
    """A rich lab scan's XML (-sV -O -sC --traceroute) imported and exported
    again gives back the input: every element, attribute and text (script
    tables, CPEs, osclass, fingerprints, uptime, sequences, times, scaninfo,
    hosthints, task progress), in nmap's order; the export is valid against
    nmap.dtd; imported again it replaces the same scan and exports the same.
    -oJ: netkit's NDJSON exported from the database carries the same hosts,
    ports and versions as the scan's own -oJ; the -oJ imported and exported
    gives back its lines."""
    exe = NMAP if tool == "netkit" else oracle("nmap")
    src, oj = str(tmp_path / "scan.xml"), str(tmp_path / "scan.json")
    hosts = [lab.addr("target"), lab.addr("web"), "198.18.3.99"]
    extra = ["-oJ", oj] if tool == "netkit" else []
    r = lab.exec("client", [exe, "-v", "-sV", "-O", "-sC", "--version-intensity", "0",
                            "--traceroute", "-p", "1-100,6379,8081-8083", "-oX", src] + extra
                 + hosts, timeout=180)
    assert r.returncode == 0, r.stderr
    sid = _import(pg, src)
    out, out2, js = (str(tmp_path / n) for n in ("out.xml", "out2.xml", "out.json"))
    r = run([NETKIT, "db", "export", pg, sid, "-oX", out, "-oJ", js])
    assert r.returncode == 0, r.stderr
    v = run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", out])
    assert v.returncode == 0, v.stderr
    want = _held(src)
    assert len(want[1]) == 3 and sum(len(h[5]) for h in want[1]) >= 8
    assert any(h[4] for h in want[1]) and any(h[8] for h in want[1])  # extraports, hops
    # what the schema once dropped is in the input, so the comparison can fail on it
    tags = {e.tag for e in ET.parse(src).iter()}
    assert {"scaninfo", "cpe", "osclass", "osfingerprint", "elem", "tcpsequence", "trace",
            "times", "uptime"} <= tags, tags
    assert _held(out) == want
    assert _first_difference(_canon(src), _canon(out)) is None
    sid2 = _import(pg, out)
    assert sid2 != sid and sql(pg, f"SELECT count(*) FROM scans WHERE id = {sid}") == [("0",)]
    assert run([NETKIT, "db", "export", pg, sid2, "-oX", out2]).returncode == 0
    assert _first_difference(_canon(src), _canon(out2)) is None
    if tool == "netkit":
        keep = ("addr", "addrtype", "rdns", "status", "reason", "reason_ttl")
        pkeep = ("protocol", "portid", "state", "reason", "reason_ttl", "service")
        vkeep = ("product", "version", "extrainfo")

        def lines(f):
            rows = []
            for l in open(f):
                h = json.loads(l)
                rows.append(([h.get(k) for k in keep], int(h["start"]), h.get("extraports"),
                             [([p.get(k) for k in pkeep],
                               [p.get("version", {}).get(k) for k in vkeep]) for p in
                              h.get("ports", [])]))
            return sorted(rows, key=str)
        assert lines(js) == lines(oj)
        # the -oJ itself imported and exported: the same lines (as JSON values)
        sj = _import(pg, oj)
        oj2 = str(tmp_path / "out2.json")
        assert run([NETKIT, "db", "export", pg, sj, "-oJ", oj2]).returncode == 0
        want = [json.loads(l) for l in open(oj)]
        assert any(p.get("version", {}).get("cpe") for h in want for p in h.get("ports", []))
        assert any(h.get("os") for h in want) and len(want) == 3
        assert [json.loads(l) for l in open(oj2)] == want
    bad = run([NETKIT, "db", "export", pg, "999999"])
    assert bad.returncode == 1 and "no scan 999999" in bad.stderr


def test_oP_writes_hosts_as_they_finish(lab, pg, tmp_path):
    """nmap -oP URL: the scan in the database holds what its -oX holds (all
    of it: exported it is the -oX); while the scan runs each finished host is already
    there, and a scan killed midway keeps the hosts it finished."""
    out = str(tmp_path / "live.xml")
    hosts = [lab.addr("target"), lab.addr("web"), lab.addr("db"), "198.18.3.99"]
    r = lab.exec("client", [NMAP, "-v", "-sV", "--version-intensity", "0", "-p", "1-100,6379",
                            "-oX", out, "-oP", pg] + hosts, timeout=120)
    assert r.returncode == 0, r.stderr
    sid = sql(pg, "SELECT max(id) FROM scans")[0][0]
    exp = str(tmp_path / "exp.xml")
    assert run([NETKIT, "db", "export", pg, sid, "-oX", exp]).returncode == 0
    assert _held(exp) == _held(out) and len(_held(out)[1]) == 4
    assert _first_difference(_canon(out), _canon(exp)) is None  # all of it, not the columns
    # one host at a time, slowly: the first hosts are in before the scan ends
    argv = [NMAP, "-n", "--max-hostgroup", "1", "--scan-delay", "10ms", "-p", "1-150",
            "-oP", pg] + [lab.addr(h) for h in ("target", "web", "db", "dns")]
    p = lab.popen("client", argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        q = ("SELECT s.id, count(h.host_id) FROM scans s LEFT JOIN hosts h ON h.scan_id = s.id "
             "WHERE s.args LIKE '%--max-hostgroup 1 --scan-delay 10ms%' GROUP BY s.id")
        seen = []
        for _ in range(600):
            seen = sql(pg, q)
            if seen and int(seen[0][1]) >= 1 or p.poll() is not None:
                break
            time.sleep(0.05)
        assert p.poll() is None, "the scan ended before a host was seen in the database"
        assert seen and int(seen[0][1]) >= 1
    finally:
        p.kill()
        p.wait()
    sid = seen[0][0]
    n = int(sql(pg, f"SELECT count(*) FROM hosts WHERE scan_id = {sid} AND status = 'up'")[0][0])
    ports = sql(pg, f"SELECT (SELECT count(*) FROM ports WHERE scan_id = {sid}) + (SELECT "
                    f"coalesce(sum(count), 0) FROM extraports WHERE scan_id = {sid})")
    assert n >= 1 and int(ports[0][0]) == 150 * n  # the finished hosts survived the kill
    assert sql(pg, f"SELECT finished FROM scans WHERE id = {sid}") == [("",)]
    r = lab.exec("client", [NMAP, "-p", "80", "-oP", "postgresql:///x?host=/nonexistent",
                            lab.addr("web")])
    assert r.returncode != 0 and "Failed to open database output" in r.stderr
