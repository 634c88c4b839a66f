# SPDX-License-Identifier: Apache-2.0
"""netkit db init/import into a throwaway PostgreSQL 15 on a Unix socket
(scripts/pg-local.sh): a lab scan's XML, netkit's and nmap 7.93's own of
the same scan, imported through COPY, reads back from the database as the
XML says (hosts, addresses, names, ports, states, services, run
statistics); importing a scan again replaces it; bad input is refused.
Packets go only into the lab's namespaces."""
import os
import shutil
import subprocess
import tempfile
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
