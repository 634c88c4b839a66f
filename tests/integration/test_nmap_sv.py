# SPDX-License-Identifier: Apache-2.0
"""Service detection (-sV) in the lab, netkit side by side with nmap 7.93.

Both tools are scored against a truth table made from `dpkg-query -W` of
the daemons the lab runs (product right: the product name; version right:
the package's upstream version, or a range such as "9.6.0 or later" that
holds it). netkit must get every product and version nmap gets. The
normal output's port table, Service Info line and the XML (valid against
nmap's DTD) are compared too. Packets go only into the lab's namespaces.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q -s \\
        -p no:cacheprovider -k nmap_sv tests/integration     # -s prints the table
"""
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
DTD = "/usr/share/nmap/nmap.dtd"

# port -> (Debian package, the product name nmap's layout gives it)
DAEMONS = {
    ("target", 22): ("openssh-server", "OpenSSH"),
    ("target", 53): ("dnsmasq-base", "dnsmasq"),
    ("target", 80): ("nginx-light", "nginx"),
    ("target", 5432): ("postgresql-15", "PostgreSQL DB"),
    ("target", 6379): ("redis-server", "Redis key-value store"),
    ("target", 11211): ("memcached", "Memcached"),
    ("web", 80): ("nginx-light", "nginx"),
    ("db", 6379): ("redis-server", "Redis key-value store"),
}


def upstream(debver):
    """'1:9.2p1-2+deb12u10' -> '9.2p1'; '5:7.0.15-1~deb12u5' -> '7.0.15';
    a source Debian repacked keeps upstream's version before its +dfsg/+ds
    mark: '1.21+ds1-12+b1' -> '1.21'."""
    v = debver.split(":", 1)[-1]
    v = v.rsplit("-", 1)[0] if "-" in v else v
    return re.sub(r"[+~](dfsg|ds)\d*$", "", v)


def truth_table():
    pkgs = sorted({p for p, _ in DAEMONS.values()})
    r = run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n"] + pkgs)
    vers = dict(l.split(" ", 1) for l in r.stdout.splitlines() if " " in l)
    return {k: (prod, upstream(vers[p])) for k, (p, prod) in DAEMONS.items() if p in vers}


def vkey(v):
    return [int(x) for x in re.findall(r"\d+", v)]


def version_exact(reported, truth):
    """The upstream version itself, alone or followed by the
    distribution's revision or words ("9.2p1 Debian 2+deb12u10",
    "9.18.49-1~deb12u3"); "1.22.10" is not "1.22.1"."""
    return bool(reported) and (reported == truth or (
        reported.startswith(truth) and reported[len(truth)] in " -~+"))


def version_range(reported, truth):
    """A range such as "9.6.0 or later" that holds the installed version
    (right, but not the exact version)."""
    m = re.match(r"([\d.]+) or later$", reported or "")
    return bool(m) and vkey(m.group(1)) <= vkey(truth)


def version_right(reported, truth):
    return version_exact(reported, truth) or version_range(reported, truth)


def services(path):
    root = ET.parse(path).getroot()
    out = {}
    for h in root.iter("host"):
        addr = h.find("address").get("addr")
        for p in h.iter("port"):
            s = p.find("service")
            if s is None:  # a closed port its port table does not name
                s = ET.Element("service")
            out[(addr, int(p.get("portid")))] = {
                "name": s.get("name"), "product": s.get("product") or "",
                "version": s.get("version") or "", "method": s.get("method"),
                "tunnel": s.get("tunnel"),
                "conf": s.get("conf"), "cpe": [c.text for c in s.findall("cpe")]}
    return out


def scan(lab, tool, argv, targets, base):
    r = lab.exec("client", [tool] + argv + ["-oA", base] + targets, timeout=300)
    assert r.returncode == 0, (tool, r.stderr)
    return r


@pytest.fixture(scope="module")
def both(lab, tmp_path_factory):
    d = tmp_path_factory.mktemp("sv")
    targets = [lab.addr("target"), lab.addr("web"), lab.addr("db")]
    ports = ",".join(str(p) for p in sorted({p for _, p in DAEMONS}))
    argv = ["-Pn", "-sS", "-sV", "-p", ports]
    res = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        base = str(d / name)
        r = scan(lab, tool, argv, targets, base)
        res[name] = (r, base, services(base + ".xml"))
    return res


def test_xml_valid_and_like_nmap(both):
    nk, nm = both["netkit"][2], both["nmap"][2]
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, both["netkit"][1] + ".xml"])
    assert v.returncode == 0, v.stderr
    assert nk.keys() == nm.keys()
    for k in nk:
        a, b = nk[k], nm[k]
        assert (a["name"], a["method"], a["conf"]) == (b["name"], b["method"], b["conf"]), k
        # nmap's CPEs for what both name the same, product and version
        if (a["product"], a["version"]) == (b["product"], b["version"]):
            assert a["cpe"] == b["cpe"], k


def fingerprints(path):
    """(address, port) -> the probe name, length and data of each answer
    the port's service fingerprint keeps (its header has the date)."""
    root = ET.parse(path).getroot()
    out = {}
    for h in root.iter("host"):
        addr = h.find("address").get("addr")
        for p in h.iter("port"):
            fp = (p.find("service") if p.find("service") is not None else p).get("servicefp")
            if fp:
                out[(addr, int(p.get("portid")))] = re.findall(
                    r'r\(([^,()]+),([0-9A-F]+),("(?:[^"\\]|\\.)*")\)', fp.replace("\nSF:", ""))
    return out


def test_fingerprints_kept_like_nmap(both):
    """The ports whose service fingerprint nmap keeps, and its answers: on
    the lab's PostgreSQL nmap names the port (PostgreSQL DB 9.6.0 or later)
    from its answer to an SMB negotiate, yet does not hold it hard-matched
    and keeps that answer; netkit too."""
    nk, nm = fingerprints(both["netkit"][1] + ".xml"), fingerprints(both["nmap"][1] + ".xml")
    assert nk == nm
    pg = [v for (a, p), v in nm.items() if p == 5432]
    assert pg and pg[0][0][0] == "SMBProgNeg", nm


def table(text):
    """The port tables and Service Info lines of normal output, with
    memcached's uptime (it ticks between the two runs) masked."""
    out = []
    for l in text.splitlines():
        if re.match(r"^(PORT|\d+/(tcp|udp)|Service Info:)", l):
            out.append(re.sub(r"uptime \d+ seconds", "uptime N seconds", l))
    return out


def test_normal_and_grepable_like_nmap(both):
    nk = open(both["netkit"][1] + ".nmap").read()
    nm = open(both["nmap"][1] + ".nmap").read()
    assert table(nk) == table(nm)
    assert "Service detection performed. Please report any incorrect results" in nk
    g = lambda t: [re.sub(r"uptime \d+ seconds", "U", l) for l in t.splitlines()
                   if l.startswith("Host:")]
    assert g(open(both["netkit"][1] + ".gnmap").read()) == \
        g(open(both["nmap"][1] + ".gnmap").read())


def python_on_target(lab, code):
    """A fixture's body: CODE run by Python on the lab's target until the
    test ends; CODE prints 'ready' once it listens."""
    p = lab.popen("target", ["/usr/bin/python3", "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    yield
    p.kill()
    p.wait()


@pytest.fixture
def odd_server(lab):
    """Listeners on the target: one closes at once (tcpwrapped), two say
    something no handler knows, one keeps silent, one greets as an SSH
    server no one knows."""
    code = (
        "import socket,threading\n"
        "held=[]\n"
        "def serve(p,m):\n"
        " s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
        " s.bind(('0.0.0.0',p));s.listen(64)\n"
        " while True:\n"
        "  c,_=s.accept()\n"
        "  if m=='close': c.close()\n"
        "  elif m=='junk':\n"
        "   try: c.sendall(b'\\x01\\x02hello junk proto v9\\r\\n');c.close()\n"
        "   except Exception: pass\n"
        "  elif m=='bytes':\n"
        "   try: c.sendall(b'ZZQ'+bytes(range(255,-1,-1))+b'\\0'+b'7'*1000);c.close()\n"
        "   except Exception: pass\n"
        "  elif m=='ssh':\n"
        "   try: c.sendall(b'SSH-2.0-Zorglub\\r\\n');held.append(c)\n"
        "   except Exception: pass\n"
        "  else: held.append(c)\n"
        "for p,m in ((7001,'close'),(7002,'junk'),(7004,'hold'),(7005,'bytes'),(7006,'ssh')):\n"
        " threading.Thread(target=serve,args=(p,m),daemon=True).start()\n"
        "print('ready',flush=True)\n"
        "threading.Event().wait()\n")
    yield from python_on_target(lab, code)


def test_tcpwrapped_and_unrecognized(lab, odd_server, tmp_path):
    """Only netkit runs here: nmap spends minutes on the silent port."""
    base = str(tmp_path / "odd")
    r = scan(lab, NMAP, ["-Pn", "-sS", "-sV", "-p", "7001,7002,7004"], [lab.addr("target")],
             base)
    s = services(base + ".xml")
    a = lab.addr("target")
    assert (s[(a, 7001)]["name"], s[(a, 7001)]["method"], s[(a, 7001)]["conf"]) == \
        ("tcpwrapped", "probed", "8")
    assert (s[(a, 7002)]["method"], s[(a, 7002)]["conf"]) == ("table", "3")
    root = ET.parse(base + ".xml").getroot()
    fp = [p.find("service").get("servicefp") for p in root.iter("port")
          if p.get("portid") == "7002"][0]
    assert fp.startswith("SF-Port7002-TCP:V=7.93%I=7%") and \
        'r(NULL,17,"\\x01\\x02hello\\x20junk\\x20proto\\x20v9\\r\\n")' in fp
    # normal output: the "?" names and the wrapped fingerprint, as nmap lays them out
    assert re.search(r"^7002/tcp open  afs3-prserver\?$", r.stdout, re.M)
    assert re.search(r"^7004/tcp open  afs3-kaserver\?$", r.stdout, re.M)
    assert re.search(r"^7001/tcp open  tcpwrapped$", r.stdout, re.M)
    sf = [l for l in r.stdout.splitlines() if l.startswith("SF")]
    assert sf[0].startswith("SF-Port7002-TCP") and len(sf[0]) == 74
    assert all(l.startswith("SF:") and len(l) <= 74 for l in sf[1:])
    assert "1 service unrecognized despite returning data." in r.stdout


PSEUDO_SILENT, PSEUDO_BANNER = range(7100, 7200), range(7200, 7300)


@pytest.fixture
def pseudo_server(lab):
    """200 listeners on the target, as a tarpit or a forwarder that takes
    every port: 7100-7199 accept and never speak, 7200-7299 say the same
    unknown greeting and then keep silent."""
    code = (
        "import selectors,socket,sys\n"
        "sel=selectors.DefaultSelector();held=[]\n"
        "for p in range(7100,7300):\n"
        " s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
        " s.bind(('0.0.0.0',p));s.listen(256);s.setblocking(False)\n"
        " sel.register(s,selectors.EVENT_READ,p)\n"
        "print('ready',flush=True)\n"
        "while True:\n"
        " for k,_ in sel.select(60):\n"
        "  try:\n"
        "   c,_=k.fileobj.accept()\n"
        "   if k.data>=7200: c.send(b'\\x02NKPS same answer v1\\r\\n')\n"
        "   held.append(c)\n"
        "  except OSError: pass\n"
        "  if len(held)>4000:\n"
        "   for c in held[:2000]: c.close()\n"
        "   del held[:2000]\n")
    yield from python_on_target(lab, code)


def test_pseudo_service(lab, pseudo_server, tmp_path):
    """200 ports that answer alike (100 silent, 100 with one greeting
    nobody knows): once 10 ports of a group ended alike, the group's other
    ports take the first one's result without the whole probe list, and
    -oJ and --version-trace say so. Every port's result is its group's
    (as probing it to the end gives); nmap 7.93 (intensity 0: its full
    probe list takes minutes here) prints the same rows on a sample."""
    a = lab.addr("target")
    base = str(tmp_path / "pseudo")
    sample = [7100, 7101, 7198, 7200, 7201, 7299]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:  # nmap's sample beside netkit's run
        r, nm = pool.map(lambda argv: lab.exec("client", argv, timeout=300), (
            [NMAP, "-Pn", "-sS", "-sV", "--version-trace", "-p", "7100-7299",
             "-oX", base + ".xml", "-oJ", base + ".json", a],
            [oracle("nmap"), "-Pn", "-sS", "-sV", "--version-intensity", "0",
             "-p", ",".join(map(str, sample)), a]))
    assert r.returncode == 0, r.stderr
    s = services(base + ".xml")
    assert len(s) == 200
    assert all((s[(a, p)]["method"], s[(a, p)]["conf"]) == ("table", "3") for p in range(7100, 7300))
    root = ET.parse(base + ".xml").getroot()
    fps = {int(p.get("portid")): p.find("service").get("servicefp") for p in root.iter("port")}
    assert not any(fps[p] for p in PSEUDO_SILENT)
    # every probe's answer the greeting (which of them a fingerprint keeps
    # depends on the order they came in)
    answers = lambda p: set(re.findall(r'%r\([\w-]+,(\w+,"[^"]*")\)', fps[p].replace("\nSF:", "")))
    assert 'r(NULL,16,"\\x02NKPS\\x20same\\x20answer\\x20v1\\r\\n")' in fps[7200]
    assert all(answers(p) == {'16,"\\x02NKPS\\x20same\\x20answer\\x20v1\\r\\n"'}
               for p in PSEUDO_BANNER)
    pseudo = {}
    for line in open(base + ".json"):
        for port in json.loads(line).get("ports", []):
            ev = port.get("version", {}).get("evidence", "")
            m = re.fullmatch(r"pseudo-service: same answer as port (\d+)", ev)
            if m:
                pseudo[port["portid"]] = int(m.group(1))
    for grp in (PSEUDO_SILENT, PSEUDO_BANNER):
        got = {p: x for p, x in pseudo.items() if p in grp}
        assert len(got) >= 50, got  # most of the group: 10 alike are enough
        assert all(x in grp and x != p and x not in pseudo for p, x in got.items())
        assert any(re.search(rf"Service scan: {re.escape(a)}:{p} is a pseudo-service: same "
                             rf"answer as port {x}$", r.stdout, re.M) for p, x in got.items())
    assert nm.returncode == 0, nm.stderr
    rows = lambda t: {l.split()[0]: l for l in t.splitlines() if re.match(r"^\d+/tcp ", l)}
    nkr, nmr = rows(r.stdout), rows(nm.stdout)
    assert {f"{p}/tcp" for p in sample} <= nmr.keys()
    assert [nkr[f"{p}/tcp"].split() for p in sample] == [nmr[f"{p}/tcp"].split() for p in sample]


def test_resume_keeps_services(lab, pseudo_server, tmp_path):
    """-sV interrupted (SIGINT) when three ports have their service and a
    silent one is still being probed: --resume probes only the silent one
    (its --version-trace sends nothing to the others) and the services
    equal an uninterrupted run's."""
    a = lab.addr("target")
    argv = ["-Pn", "-sS", "-sV", "--version-trace", "-p", "22,80,6379,7100"]
    base = str(tmp_path / "r")
    p = lab.popen("client", [NMAP] + argv + ["-oA", base, a], stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL)
    side = base + ".nmap.netkit-resume"
    have = lambda: re.findall(r"^# netkit-resume svc \S+ tcp/(\d+) ",
                              open(side).read() if os.path.exists(side) else "", re.M)
    deadline = time.time() + 60
    while time.time() < deadline and len(have()) < 3:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=30)
    assert sorted(have()) == ["22", "6379", "80"]  # 7100 was still going
    # the resumed run and an uninterrupted one side by side: each waits
    # out the silent port's whole probe list (~20 s)
    full = str(tmp_path / "full")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        r, f = pool.map(lambda extra: lab.exec("client", [NMAP] + extra, timeout=120),
                        (["--resume", base + ".nmap"], argv + ["-oA", full, a]))
    assert r.returncode == 0, r.stderr
    sent = set(re.findall(r"^Service scan sending probe \S+ to \S+:(\d+) ", r.stdout, re.M))
    assert sent == {"7100"}
    assert f.returncode == 0, f.stderr
    assert services(base + ".xml") == services(full + ".xml")
    assert len(services(full + ".xml")) == 4
    t = lambda f: [l for l in table(open(f).read()) if "uptime" not in l]
    assert t(base + ".nmap") == t(full + ".nmap")


def fingerprint_block(text):
    """The fingerprint lines of normal output, their date and time (hex)
    masked, joined again as one string per fingerprint (the wrapping is
    checked apart: masking changes the lengths)."""
    out, cur = [], None
    for l in text.splitlines():
        if l.startswith("=============="):
            out.append(l)
        elif l.startswith("SF-Port"):
            cur = [l]
            out.append(cur)
        elif l.startswith("SF:") and cur is not None:
            cur.append(l[3:])
    return [re.sub(r"%D=\d+/\d+%Time=[0-9A-F]+%", "%D=.%Time=.%", "".join(x))
            if isinstance(x, list) else x for x in out]


def test_fingerprint_like_nmap(lab, odd_server, tmp_path):
    """Two ports whose greetings nobody knows, at --version-intensity 0
    (the NULL probe alone for both tools): the same fingerprint block,
    byte for byte but the date, in nmap 7.93's layout (separators before
    each, 74-column lines, escapes, the first 900 bytes of an answer)."""
    argv = ["-Pn", "-sS", "-sV", "--version-intensity", "0", "-p", "7002,7005",
            lab.addr("target")]
    outs = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for name, r in zip(("netkit", "nmap"), pool.map(
                lambda t: lab.exec("client", [t] + argv, timeout=120),
                (NMAP, oracle("nmap")))):
            assert r.returncode == 0, r.stderr
            outs[name] = r.stdout
    nk, nm = fingerprint_block(outs["netkit"]), fingerprint_block(outs["nmap"])
    assert len(nk) == len(nm) == 4
    # the header, then the NULL probe's answer: the other probes differ
    # (nmap adds its GetRequest; netkit's probe names are its own)
    null = re.compile(r'^(SF-Port.*?%P=[^%]+)%.*?(r\(NULL,[0-9A-F]+,"(?:[^"\\]|\\.)*"\))')
    view = lambda fps: [null.match(x).groups() if x.startswith("SF") else x for x in fps]
    assert view(nk) == view(nm)
    assert all(x.endswith(";") for x in nk if x.startswith("SF"))
    for text in outs.values():
        sf = [l for l in text.splitlines() if l.startswith("SF")]
        assert all(len(l) == 74 for l in sf if not l.endswith(";")), sf
    assert "2 services unrecognized despite returning data." in outs["netkit"]


def test_soft_match_keeps_fingerprint(lab, odd_server, tmp_path):
    """An SSH server nobody knows (SSH-2.0-Zorglub): nmap names the port
    ssh (protocol 2.0), soft-matched, sends no probe that could not name
    ssh, and keeps the greeting's fingerprint; netkit the same, row and
    fingerprint block byte for byte but the date."""
    argv = ["-Pn", "-sS", "-sV", "-p", "7006", lab.addr("target")]
    outs = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for name, r in zip(("netkit", "nmap"), pool.map(
                lambda t: lab.exec("client", [t] + argv, timeout=120),
                (NMAP, oracle("nmap")))):
            assert r.returncode == 0, r.stderr
            outs[name] = r.stdout
    rows = {k: [l for l in v.splitlines() if l.startswith("7006/tcp")] for k, v in outs.items()}
    assert rows["netkit"] == rows["nmap"] == ["7006/tcp open  ssh     (protocol 2.0)"]
    nk, nm = fingerprint_block(outs["netkit"]), fingerprint_block(outs["nmap"])
    assert nk == nm and len(nm) == 1 and 'r(NULL,11,"SSH-2\\.0-Zorglub\\r\\n")' in nm[0], (nk, nm)
    assert "1 service unrecognized despite returning data." in outs["netkit"]


def test_udp_services(lab, tmp_path):
    """-sU -sV: DNS and memcached over UDP, against the truth table (nmap
    takes ~100 s here and does not name memcached over UDP)."""
    truth = truth_table()
    base = str(tmp_path / "udp")
    scan(lab, NMAP, ["-Pn", "-sU", "-sV", "-p", "53,11211"], [lab.addr("target")], base)
    s = services(base + ".xml")
    a = lab.addr("target")
    for port in (53, 11211):
        prod, ver = truth[("target", port)]
        assert s[(a, port)]["product"] == prod and version_right(s[(a, port)]["version"], ver)


def test_verbose_lines(lab):
    r = lab.exec("client", [NMAP, "-Pn", "-sS", "-sV", "-v", "-p", "22,80",
                            lab.addr("target"), lab.addr("web")], timeout=120)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert any(re.match(r"^Initiating Service scan at \d\d:\d\d$", l) for l in lines)
    assert "Scanning 3 services on 2 hosts" in lines
    assert any(re.match(r"^Completed Service scan at \d\d:\d\d, \d+\.\d\ds elapsed "
                        r"\(3 services on 2 hosts\)$", l) for l in lines)


def test_options(lab):
    t = lab.addr("target")
    for argv, msg in ((["--version-intensity", "10"], "version-intensity must be between 0 and 9"),
                      (["--version-intensity", "-1"], "version-intensity must be between 0 and 9")):
        ours = run([NMAP, "-sV"] + argv + [t])
        theirs = run([oracle("nmap"), "-sV"] + argv + [t])
        assert ours.returncode == theirs.returncode == 1
        assert msg in ours.stderr and msg in theirs.stderr
    # the seed line runs (-O: a match from data/os, or nmap's no-match words)
    r = lab.exec("client", [NMAP, "-Pn", "-sS", "--top-ports", "50", "--open", "-sV",
                            "--version-intensity", "5", "-O", "--osscan-guess", "-R", "-v", t])
    assert r.returncode == 0, r.stderr
    assert re.search(r"^(OS details: |No exact OS matches for host|Too many fingerprints match)",
                     r.stdout, re.M), r.stdout
    assert "Network Distance: 3 hops" in r.stdout
    # -sR, --version-light/--version-all/--version-trace/--allports are taken
    r = lab.exec("client", [NMAP, "-Pn", "-sT", "-sR", "--version-light", "--version-trace",
                            "--allports", "-p", "22", t])
    assert r.returncode == 0, r.stderr
    assert re.search(r"^22/tcp open  ssh     OpenSSH ", r.stdout, re.M)
    assert f"Service scan sending probe NULL to {t}:22 (tcp)" in r.stdout


# ---- the long tail: greetings matched by data/nmap/service-match ---------------

# (host, port) -> (Debian package, the product name): lab/services.lab
MAIL_DAEMONS = {("mail", 21): ("vsftpd", "vsftpd"), ("mail", 22): ("openssh-server", "OpenSSH"),
                ("mail", 25): ("opensmtpd", "OpenSMTPD"), ("mail", 53): ("bind9", "ISC BIND"),
                ("mail", 80): ("apache2-bin", "Apache httpd"),
                ("mail", 110): ("dovecot-pop3d", "Dovecot pop3d"),
                ("mail", 143): ("dovecot-imapd", "Dovecot imapd"),
                ("mail", 443): ("nginx-light", "nginx"),
                ("mail", 993): ("dovecot-imapd", "Dovecot imapd"),
                ("mail", 995): ("dovecot-pop3d", "Dovecot pop3d"),
                ("mail", 2222): ("dropbear-bin", "Dropbear sshd"),
                ("mail", 3306): ("mariadb-server-core", "MariaDB"),
                ("mail", 8080): ("lighttpd", "lighttpd"),
                ("ns", 53): ("unbound", "Unbound"), ("ns", 80): ("mini-httpd", "mini_httpd"),
                ("ns", 8888): ("tinyproxy-bin", "tinyproxy"),
                ("ns2", 53): ("nsd", "NLnet Labs NSD"), ("ns2", 80): ("webfs", "WebFS httpd"),
                ("ns3", 53): ("knot", "cz.nic Knot DNS"), ("ns3", 80): ("h2o", "h2o"),
                ("apps", 389): ("slapd", "OpenLDAP"), ("apps", 873): ("rsync", "rsync"),
                ("apps", 1883): ("mosquitto", "Mosquitto"), ("apps", 6667): ("ngircd", "ngircd"),
                ("apps", 3690): ("subversion", "Subversion"),
                ("apps", 4730): ("gearman-job-server", "Gearman Job Queue System"),
                ("apps", 10050): ("zabbix-agent", "Zabbix agent"),
                ("apps", 4222): ("nats-server", "NATS server"),
                ("apps", 5060): ("kamailio", "kamailio"),
                ("apps", 70): ("gophernicus", "Gophernicus"),
                # RFB names no server program: the product is the protocol's
                ("desk", 5901): ("tigervnc-standalone-server", "VNC"),
                ("desk", 6000): ("xvfb", "X.Org"),
                ("desk", 139): ("samba", "Samba smbd"), ("desk", 445): ("samba", "Samba smbd"),
                # XMPP's stream names no server program before authentication
                ("desk", 5222): ("prosody", "Prosody"), ("desk", 5269): ("prosody", "Prosody"),
                ("desk", 3389): ("xrdp", "xrdp"),
                ("desk", 5672): ("rabbitmq-server", "RabbitMQ")}
# stand-ins on desk for what Debian does not ship (fake_services.py, started
# with mail_lab): SQL Server's TDS PRELOGIN on 1433, in nmap's port list too
STANDINS = {("desk", 1433): "Microsoft SQL Server 2019"}
# xinetd's internal services (RFC 862, 864, 867, 868): no product to
# score, the service names side by side with nmap's
SMALL = {("apps", 7): "echo", ("apps", 13): "daytime", ("apps", 19): "chargen",
         ("apps", 37): "time", ("apps", 79): "finger", ("apps", 1080): "socks5"}
# where netkit names more than nmap 7.93 does (compared in their own tests;
# nmap leaves H2O unrecognised, its product the Server header "h2o/2.2.5";
# on desk nmap 7.93 names X.Org with no version (netkit reads it from the
# X11 setup's release number) and says "Samba smbd 3.X - 4.X" (netkit reads
# Samba's NativeLanMan: its version), leaves Prosody's 5222 and 5269
# unrecognised ("xmpp-client?", "xmpp-server?": netkit names both sides
# from the stream header, no product);
# on apps nmap 7.93 says "OpenLDAP 2.2.X - 2.3.X" for slapd 2.5.13, no
# product for rsync, no version for ngircd, and names the service
# "mosquitto version 2.0.11" with no product)
MAIL_BEYOND_NMAP = {("mail", 993), ("mail", 995), ("mail", 3306), ("ns3", 80),
                    ("apps", 389), ("apps", 873), ("apps", 1883), ("apps", 6667),
                    ("apps", 3690), ("apps", 4730), ("apps", 10050), ("apps", 4222),
                    ("apps", 5060), ("apps", 19), ("apps", 70), ("apps", 79),
                    ("apps", 1080), ("desk", 6000), ("desk", 139), ("desk", 445),
                    ("desk", 5222), ("desk", 5269)}
# over UDP (and TCP), netkit alone: nmap 7.93 takes ~110 s on these two
# ports and does not name either product ("SNMPv1 server; net-snmp SNMPv3
# server", "Coturn-4.6.1 'Gorst'" as the product, by hand on 2026-12-07)
APPS_UDP = {("apps", 161): ("snmpd", "net-snmp"), ("apps", 3478): ("coturn", "coturn")}
# over UDP only (murmurd speaks TLS over TCP), netkit alone; kamailio over
# UDP too (its TCP side is scored above)
APPS_UDP_ONLY = {("apps", 64738): ("mumble-server", "Murmur"), ("apps", 5060): ("kamailio", "kamailio")}
# netkit alone too: nmap 7.93 spends ~170 s on these and names neither
# (git daemon "git?", beanstalkd "unknown"; by hand on 2026-12-07)
APPS_TCP_ONLY = {("apps", 9418): ("git", "git daemon"), ("apps", 11300): ("beanstalkd", "beanstalkd")}
# and oidentd, which nmap 7.93 leaves unrecognised ("ident?", ~90 s), and
# inetutils telnetd (no version in its greeting), which nmap takes ~60 s to
# call "telnet" with no product


def dpkg_versions(pkgs):
    r = run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n"] + sorted(set(pkgs)))
    return dict(l.split(" ", 1) for l in r.stdout.splitlines() if " " in l)


@pytest.fixture(scope="module")
def mail_lab():
    """lab/services.lab: host mail (sshd, vsftpd, dovecot, nginx over TLS,
    MariaDB, OpenSMTPD, dropbear, lighttpd, Apache, BIND), ns (Unbound,
    mini_httpd, tinyproxy), ns2 (NSD, webfs), ns3 (Knot DNS, H2O), apps
    (rsync, ngIRCd, slapd, snmpd, coturn, Mosquitto, ...) and desk (Xvnc,
    Xvfb, ..., RabbitMQ, ZooKeeper), with fake_services.py's SQL Server and
    MongoDB stand-ins on desk. It has no resolver: the scans that nmap 7.93
    runs too take -n (without it both print the bare addresses all the same,
    after nmap waits out the machine's unreachable nameserver, ~13-27 s a
    run)."""
    from labfix import Lab
    from conftest import NETKIT, TOP
    lb = Lab.up(NETKIT, os.path.join(TOP, "lab", "services.lab"))
    fake = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_services.py")
    p = lb.popen("desk", ["/usr/bin/python3", fake, "--any", "mssql", "mongodb"],
                 stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready"
        yield lb
    finally:
        p.kill()
        p.wait()
        lb.down()


@pytest.fixture(scope="module")
def mail_both(mail_lab, tmp_path_factory):
    """netkit and nmap -sV on every service port of services.lab's hosts.
    netkit scans the four hosts at once (under a second); nmap 7.93 takes
    ~100 s for them together (~35 s for the slowest alone: it waits out
    dovecot's TLS ports and tinyproxy), so it gets one run per host, side
    by side, and its reports are joined in the same host order."""
    d = tmp_path_factory.mktemp("mailsv")
    hosts = sorted({h for h, _ in MAIL_DAEMONS})
    ports = sorted({p for _, p in MAIL_DAEMONS} | {p for _, p in SMALL} |
                   {p for _, p in STANDINS})
    argv = ["-n", "-Pn", "-sS", "-sV", "-p", ",".join(str(p) for p in ports)]

    def byhost(found):
        return {(h, p): found[(mail_lab.addr(h), p)] for h, p in {**MAIL_DAEMONS, **STANDINS}
                if (mail_lab.addr(h), p) in found}

    base = str(d / "netkit")
    out = scan(mail_lab, NMAP, argv, [mail_lab.addr(h) for h in hosts], base)
    res = {"netkit": (out.stdout, byhost(services(base + ".xml")), base)}
    with concurrent.futures.ThreadPoolExecutor(len(hosts)) as pool:
        runs = list(pool.map(lambda h: scan(mail_lab, oracle("nmap"), argv, [mail_lab.addr(h)],
                                            str(d / f"nmap-{h}")), hosts))
    found = {}
    for h in hosts:
        found.update(services(str(d / f"nmap-{h}") + ".xml"))
    res["nmap"] = ("\n".join(r.stdout for r in runs), byhost(found), str(d / "nmap"))
    return res


def score_rows(truth, got):
    """One row per port: host:port, the truth, then per tool its
    product/version marks (Y/n product, Y/r/n version: exact, a range
    that holds it, wrong) and what it said."""
    rows, score = [], {"netkit": [0, 0], "nmap": [0, 0]}
    for key, (prod, ver) in sorted(truth.items()):
        row = {"port": f"{key[0]}:{key[1]}", "truth": f"{prod} {ver}"}
        for tool in ("netkit", "nmap"):
            s = got[tool].get(key, {"product": "", "version": ""})
            pr, ve = s["product"] == prod, version_exact(s["version"], ver)
            vm = "Y" if ve else "r" if version_range(s["version"], ver) else "n"
            score[tool][0] += pr
            score[tool][1] += ve
            row[tool] = (pr, ve, f"{'Y' if pr else 'n'}/{vm} {s['product']} {s['version']}")
        rows.append(row)
    return rows, score


@pytest.mark.slow  # nmap 7.93 takes ~35 s on services.lab (a run per host)
def test_score_against_truth(lab, both, mail_lab, mail_both):
    """Every service port of both labs scored against dpkg's truth table:
    netkit names the product on >= 90 % and the exact upstream version on
    >= 70 %, and is never wrong where nmap is right."""
    truth = truth_table()
    assert truth, "no lab daemon installed"
    vers = dpkg_versions(p for p, _ in MAIL_DAEMONS.values())
    missing = sorted({p for p, _ in MAIL_DAEMONS.values()} - vers.keys())
    assert not missing, f"not installed (scripts/deps.sh): {missing}"
    got = {"netkit": {}, "nmap": {}}
    for tool in got:
        for (host, port) in truth:
            s = both[tool][2].get((lab.addr(host), port))
            if s:
                got[tool][(host, port)] = s
        got[tool].update(mail_both[tool][1])
    for key, (pkg, prod) in MAIL_DAEMONS.items():
        truth[key] = (prod, upstream(vers[pkg]))
    rows, score = score_rows(truth, got)
    n = len(truth)
    print("\nport | truth | netkit product/version | nmap product/version"
          "   (Y right, n wrong; version r: a range that holds it)")
    for r in rows:
        print(" | ".join((r["port"], r["truth"], r["netkit"][2], r["nmap"][2])))
    for tool in ("netkit", "nmap"):
        print(f"{tool}: product {score[tool][0]}/{n} ({100 * score[tool][0] / n:.0f} %), "
              f"exact version {score[tool][1]}/{n} ({100 * score[tool][1] / n:.0f} %)")
    for r in rows:  # netkit gets everything nmap gets, port by port
        assert not (r["nmap"][0] and not r["netkit"][0]), r
        assert not (r["nmap"][1] and not r["netkit"][1]), r
    assert score["netkit"][0] >= 0.9 * n
    assert score["netkit"][1] >= 0.7 * n


def test_apps_udp_and_tcp(mail_lab, tmp_path):
    """snmpd and coturn over UDP and TCP, git daemon and beanstalkd,
    netkit against dpkg's truth: the product and the exact version."""
    vers = dpkg_versions(p for p, _ in APPS_UDP.values())
    a = mail_lab.addr("apps")
    for scan_type in ("-sU", "-sS"):
        base = str(tmp_path / scan_type)
        scan(mail_lab, NMAP, ["-Pn", scan_type, "-sV", "-p", "161,3478"], [a], base)
        s = services(base + ".xml")
        for (host, port), (pkg, prod) in APPS_UDP.items():
            got = s[(a, port)]
            assert got["product"] == prod, (scan_type, port, got)
            assert version_exact(got["version"], upstream(vers[pkg])), (scan_type, port, got)
    base = str(tmp_path / "udp-only")
    scan(mail_lab, NMAP, ["-Pn", "-sU", "-sV", "-p", "5060,64738"], [a], base)
    s = services(base + ".xml")
    vers = dpkg_versions(p for p, _ in APPS_UDP_ONLY.values())
    for (host, port), (pkg, prod) in APPS_UDP_ONLY.items():
        got = s[(a, port)]
        assert got["product"] == prod and version_exact(got["version"], upstream(vers[pkg])), \
            (port, got)
    base = str(tmp_path / "tcp-only")
    scan(mail_lab, NMAP, ["-Pn", "-sS", "-sV", "-p", "23,113,9418,11300"], [a], base)
    s = services(base + ".xml")
    assert s[(a, 113)]["name"] == "ident" and s[(a, 113)]["method"] == "probed"
    assert (s[(a, 23)]["name"], s[(a, 23)]["product"]) == ("telnet", "GNU Inetutils telnetd")
    vers = dpkg_versions(p for p, _ in APPS_TCP_ONLY.values())
    for (host, port), (pkg, prod) in APPS_TCP_ONLY.items():
        got = s[(a, port)]
        assert got["product"] == prod and version_exact(got["version"], upstream(vers[pkg])), \
            (port, got)


def test_ntp_and_rpcbind_like_nmap(mail_lab, tmp_path):
    """desk's NTPsec ntpd (123/udp; unpacked by scripts/deps.sh, not
    installed) and rpcbind (111, TCP and UDP): netkit -sV says what nmap
    7.93 says, field by field and in the table: "NTP v4 (unsynchronized)"
    from the mode 3 answer (neither names the daemon: this ntpd does not
    answer mode 6 READVAR, nor ntpsec's own ntpq, in the lab), "rpcbind
    2-4 (RPC #100000)" from the portmapper's PROG_MISMATCH."""
    a = mail_lab.addr("desk")
    got, lines = {}, {}
    for tool, prog in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        base = str(tmp_path / tool)
        r = scan(mail_lab, prog, ["-n", "-Pn", "-sS", "-sU", "-sV", "-p", "T:111,U:111,123"],
                 [a], base)
        lines[tool] = re.findall(r"^1[12][13]/(?:tcp|udp) .*$", r.stdout, re.M)
        for port in ET.parse(base + ".xml").getroot().iter("port"):
            svc = port.find("service")
            got.setdefault(tool, {})[(port.get("protocol"), port.get("portid"))] = {
                k: svc.get(k) for k in ("name", "product", "version", "extrainfo", "method",
                                        "conf")}
    print("\ndesk netkit", got["netkit"], "\ndesk nmap", got["nmap"])
    assert got["netkit"] == got["nmap"]
    assert lines["netkit"] == lines["nmap"] == [
        "111/tcp open  rpcbind 2-4 (RPC #100000)", "111/udp open  rpcbind 2-4 (RPC #100000)",
        "123/udp open  ntp     NTP v4 (unsynchronized)"]


def hosts_tables(text, hosts):
    """table() per host report (hosts: address -> lab host), without the
    ports in MAIL_BEYOND_NMAP and the closed ones (the union of the hosts'
    ports: their names are the port tables', not -sV's)."""
    out, host = [], None
    for l in text.splitlines():
        m = re.match(r"^Nmap scan report for (\S+)", l)
        if m:
            host = hosts.get(m.group(1), m.group(1))
            out.append(host)
            continue
        m = re.match(r"^(\d+)/tcp", l)
        if m and (host, int(m.group(1))) in MAIL_BEYOND_NMAP:
            continue
        if re.match(r"^\d+/tcp +closed ", l):
            continue  # the port table's names (4222: nmap's vrml-multi-use is not netkit's)
        if host in ("apps", "desk"):
            # nmap's SERVICE column is as wide as "mosquitto version 2.0.11"
            # (the name it gives Mosquitto; on desk "xmpp-client?"): the rows with the spaces
            # collapsed, its header left out; its Service Info adds "OS:
            # Linux" from its "Linux chargen" (xinetd's): the host part only
            out += [re.sub(r" +", " ", x).split(";")[0] for x in table(l)
                    if not x.startswith("PORT")]
            continue
        out += table(l)
    return out


def test_greetings_like_nmap(mail_lab, mail_both):
    """Where nmap 7.93 names the service, netkit says the same, field by
    field, in the XML and the normal output's table."""
    nk, nm = mail_both["netkit"][1], mail_both["nmap"][1]
    keys = ("name", "product", "version", "method", "conf", "cpe", "tunnel")
    for key in sorted(set(MAIL_DAEMONS) - MAIL_BEYOND_NMAP):
        assert {k: nk[key][k] for k in keys} == {k: nm[key][k] for k in keys}, key
    hosts = {mail_lab.addr(h): h for h, _ in MAIL_DAEMONS}
    assert hosts_tables(mail_both["netkit"][0], hosts) == \
        hosts_tables(mail_both["nmap"][0], hosts)
    assert nk[("mail", 443)]["tunnel"] == "ssl"
    a = mail_lab.addr("apps")
    # xinetd's small services: the same names (nmap's run over apps alone)
    xml = {"netkit": mail_both["netkit"][2] + ".xml",
           "nmap": os.path.join(os.path.dirname(mail_both["nmap"][2]), "nmap-apps.xml")}
    for tool, path in xml.items():
        found = services(path)
        for (host, port), name in SMALL.items():
            assert found[(a, port)]["name"] == name, (tool, port, found[(a, port)])
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, mail_both["netkit"][2] + ".xml"])
    assert v.returncode == 0, v.stderr


def test_inside_tls(mail_lab, tmp_path):
    """Dovecot's imaps and pop3s (TLS from the first byte, TLS 1.2 at least):
    netkit names the service inside; nmap 7.93 leaves both unrecognised
    ("imaps?", "pop3s?": its SSL probe is refused), and takes ~30 s to."""
    addr = mail_lab.addr("mail")
    base = str(tmp_path / "tls")
    r = scan(mail_lab, NMAP, ["-Pn", "-sS", "-sV", "-p", "443,993,995"], [addr], base)
    s = services(base + ".xml")
    assert [(s[(addr, p)]["name"], s[(addr, p)]["product"], s[(addr, p)]["tunnel"])
            for p in (443, 993, 995)] == [("http", "nginx", "ssl"),
                                          ("imap", "Dovecot imapd", "ssl"),
                                          ("pop3", "Dovecot pop3d", "ssl")]
    assert re.search(r"^993/tcp open  ssl/imap Dovecot imapd$", r.stdout, re.M), r.stdout
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, base + ".xml"])
    assert v.returncode == 0, v.stderr


def test_mariadb_handshake(mail_lab, mail_both):
    """MariaDB's handshake (greeting, matched by the database file): netkit
    names MariaDB and its version as dpkg has them; nmap 7.93 says
    "MySQL 5.5.5-10.11...-MariaDB-..." (printed, not asserted)."""
    r = run(["dpkg-query", "-W", "-f", "${Version}", "mariadb-server-core"])
    assert r.returncode == 0, "mariadb-server-core not installed (scripts/deps.sh)"
    got = {name: mail_both[name][1][("mail", 3306)] for name in ("netkit", "nmap")}
    print(f"\nmail:3306 truth MariaDB {upstream(r.stdout)}: netkit {got['netkit']['product']} "
          f"{got['netkit']['version']}; nmap {got['nmap']['product']} {got['nmap']['version']}")
    assert got["netkit"]["name"] == got["nmap"]["name"] == "mysql"
    assert got["netkit"]["product"] == "MariaDB"
    assert version_exact(got["netkit"]["version"], upstream(r.stdout))


def test_amqp_zookeeper_mssql_mongodb(mail_lab, mail_both, tmp_path):
    """desk's RabbitMQ (5672) and ZooKeeper (2181) from Debian, and the SQL
    Server (1433) and MongoDB (27017) stand-ins. Where nmap 7.93 names the
    service (AMQP's Connection.Start, TDS PRELOGIN: in mail_both's runs)
    netkit says the same, field by field; ZooKeeper and MongoDB netkit alone,
    against dpkg and the stand-in: nmap 7.93 sends ZooKeeper "stat", which
    Debian's default 4lw.commands.whitelist refuses ("eforward?"), and
    MongoDB an OP_QUERY that 7.0 refuses ("mongod?"), ~67 s for the two (by
    hand on 2026-12-07); netkit's four ports take well under a second."""
    keys = ("name", "product", "version", "extrainfo", "method", "conf", "cpe")
    xml = {"netkit": mail_both["netkit"][2] + ".xml",
           "nmap": os.path.join(os.path.dirname(mail_both["nmap"][2]), "nmap-desk.xml")}
    a = mail_lab.addr("desk")
    seen = {}
    for tool, path in xml.items():
        for p in ET.parse(path).getroot().iter("port"):
            svc = p.find("service")
            if int(p.get("portid")) in (1433, 5672) and svc is not None:
                seen.setdefault(tool, {})[int(p.get("portid"))] = dict(
                    {k: svc.get(k) for k in keys if k != "cpe"},
                    cpe=[c.text for c in svc.findall("cpe")])
    print("\ndesk netkit", seen.get("netkit"), "\ndesk nmap", seen.get("nmap"))
    assert seen["netkit"] == seen["nmap"]
    assert seen["netkit"][1433]["product"] == STANDINS[("desk", 1433)]
    assert seen["netkit"][5672]["name"] == "amqp"
    import fake_services
    vers = dpkg_versions(["zookeeper", "rabbitmq-server"])
    base = str(tmp_path / "desk")
    r = scan(mail_lab, NMAP, ["-Pn", "-sS", "-sV", "-p", "1433,2181,5672,27017"], [a], base)
    print(r.stdout)
    s = services(base + ".xml")
    assert (s[(a, 2181)]["name"], s[(a, 2181)]["product"]) == ("zookeeper", "Zookeeper")
    assert version_exact(s[(a, 2181)]["version"], upstream(vers["zookeeper"])), s[(a, 2181)]
    assert version_exact(s[(a, 5672)]["version"], upstream(vers["rabbitmq-server"]))
    assert (s[(a, 27017)]["name"], s[(a, 27017)]["product"], s[(a, 27017)]["version"]) == \
        ("mongodb", "MongoDB", fake_services.MONGO_VERSION)
    assert s[(a, 27017)]["cpe"] == ["cpe:/a:mongodb:mongodb:" + fake_services.MONGO_VERSION]


def test_proxies_like_nmap(mail_lab, tmp_path):
    """-sT -sV --proxies: the port scan goes straight to the ports, -sV's
    and the scripts' connections through the proxies. Through fake_services.py's HTTP CONNECT and SOCKS 4 relays
    (on the client's loopback) mini_httpd on ns reads as without; through
    the lab's tinyproxy (it answers "HTTP/1.0 200 Connection established",
    which nmap 7.93 does not take) and Dante (it refuses every request)
    the port reads tcpwrapped. The same with a script (banner on mail's
    sshd): through the lab's two it gets nothing. netkit and nmap 7.93
    side by side."""
    fake = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_services.py")
    p = mail_lab.popen("client", ["/usr/bin/python3", fake, "httpproxy", "socks4"],
                       stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready"
        ns, apps = mail_lab.addr("ns"), mail_lab.addr("apps")
        cases = [("http://127.0.0.1:3128", ns, "80"), ("socks4://127.0.0.1", ns, "80"),
                 (f"http://{ns}:8888", ns, "80"), (f"socks4://{apps}:1080", apps, "873")]
        # and a script's connection (banner on mail's sshd) through each
        mail = mail_lab.addr("mail")
        cases = [(proxy, target, port, ["-sV"]) for proxy, target, port in cases] + \
            [(proxy, mail, "22", ["--script", "banner"]) for proxy, _, _ in cases]
        runs = [(case, tool, prog) for case in cases
                for tool, prog in (("netkit", NMAP), ("nmap", oracle("nmap")))]

        def one(run_):  # nmap ~5 s on the first two: all side by side
            (proxy, target, port, what), tool, prog = run_
            r = mail_lab.exec("client", [prog, "-n", "-Pn", "-sT", "-p", port, "--proxies",
                                         proxy, target] + what, timeout=120)
            assert r.returncode == 0, (tool, proxy, r.stderr)
            return [re.sub(r" +", " ", l) for l in r.stdout.splitlines()
                    if re.match(r"\d+/tcp|\|", l)]
        out = {}
        with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
            for ((proxy, _, _, what), tool, _), lines in zip(runs, pool.map(one, runs)):
                out.setdefault(" ".join([proxy] + what), {})[tool] = lines
        print("\n", json.dumps(out, indent=1))
        for proxy, got in out.items():
            assert got["netkit"] == got["nmap"], proxy
        assert out["http://127.0.0.1:3128 -sV"]["netkit"][0].startswith(
            "80/tcp open http mini_httpd")
        assert out[f"http://{ns}:8888 -sV"]["netkit"] == ["80/tcp open tcpwrapped"]
        assert out["socks4://127.0.0.1 --script banner"]["netkit"][1].startswith(
            "|_banner: SSH-2.0-")
        assert out[f"http://{ns}:8888 --script banner"]["netkit"] == ["22/tcp open ssh"]
    finally:
        p.kill()
        p.wait()
