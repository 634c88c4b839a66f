# SPDX-License-Identifier: Apache-2.0
"""nmap's behaviour around a long scan, netkit side by side with nmap 7.93
in the lab (issue 18): the order ports go in, progress said on its own,
the output files while a scan runs, and the run's small words (Ctrl-C's
summary, --resume on a finished scan, the stylesheet). Packets go only
into the lab's namespaces."""
import os
import pathlib
import re
import signal
import subprocess
import time

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
        # 28 ports to each of 4 hosts (nmap's interleaving lets one or two
        # others in), not 112 ports at random
        front = {p for _, p in sent[other][:112]}
        assert len(front) < 40, (other, len(front))
        assert {p for _, p in sent[name][:40]} <= front, name
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


def interrupted_files(lab, tmp_path, name, tool, argv, after):
    """Run a scan with -oA, SIGINT it after `after` s; the files' texts
    just before the signal and after, as {ext: (during, after)}."""
    base = str(tmp_path / name)
    p = lab.popen("client", [tool] + argv + ["-oA", base],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    during = {ext: pathlib.Path(base + ext).read_text() for ext in EXTS}
    p.send_signal(signal.SIGINT)
    p.wait(timeout=30)
    return base, {ext: (during[ext], pathlib.Path(base + ext).read_text()) for ext in EXTS}


EXTS = (".nmap", ".gnmap", ".xml")


def test_output_files_small_while_scanning_like_nmap(lab, tmp_path):
    """A 4-host scan interrupted partway: the files hold what nmap's hold
    (a header, nothing per port while the scan runs; one cut record after
    the interruption: hundreds of bytes, not hundreds of KB), the ports done go to a sidecar FILE.netkit-resume,
    and --resume from the file continues with them."""
    argv = ["-n", "-Pn", "-p", "1-12000", "--max-rate", "8000", SWEEP4]
    ours_base, ours = interrupted_files(lab, tmp_path, "nk", NMAP, argv, 2)
    _, theirs = interrupted_files(lab, tmp_path, "nmap", oracle("nmap"), argv, 2)
    for ext in EXTS:
        during, after = ours[ext]
        # nmap's files hold its header and trailer at most (on SIGINT it
        # writes none: stdio never flushed); ours a cut record more
        most = max([len(t) for t in theirs[ext]] + [2048 if ext == ".xml" else 512])
        assert "netkit-resume" not in during and len(during) <= most, (ext, len(during))
        assert after.count("netkit-resume") == 1, ext
        assert len(after) <= most, (ext, len(after), most)
        side = pathlib.Path(ours_base + ext + ".netkit-resume").read_text()
        assert side.startswith("# netkit-resume 198.19.0."), ext
    r = lab.exec("client", [NMAP, "--resume", ours_base + ".gnmap"], timeout=60)
    assert r.returncode == 0, r.stderr
    text = pathlib.Path(ours_base + ".gnmap").read_text()
    assert "netkit-resume" not in text and text.count("Ports: ") == 4
    assert not os.path.exists(ours_base + ".gnmap.netkit-resume")


def timed_lines(lab, argv_by_name, after):
    """Run several scans at once for `after` s; each one's stdout lines
    with the time they came, then SIGINT."""
    import threading
    procs, out = {}, {}
    t0 = time.time()
    for name, argv in argv_by_name.items():
        procs[name] = lab.popen("client", argv, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        out[name] = []

    def read(name):
        for line in procs[name].stdout:
            out[name].append((time.time() - t0, line.rstrip("\n")))
    threads = [threading.Thread(target=read, args=(n,)) for n in procs]
    for t in threads:
        t.start()
    time.sleep(after)
    for p in procs.values():
        p.send_signal(signal.SIGINT)
    for name, p in procs.items():
        p.wait(timeout=30)
    for t in threads:
        t.join(timeout=10)
    return out


def test_verbose_timing_line_by_itself_like_nmap(lab, tmp_path):
    """-v on a long scan: nmap prints 'SYN Stealth Scan Timing: About N%
    done; ETC: HH:MM (H:MM:SS remaining)' by itself once the task has run
    30 s (and every 30 s after), with a <taskprogress> in the XML; no key,
    no --stats-every. (~34 s: both tools at once, on hosts of their own.)"""
    argv = ["-n", "-Pn", "-v", "-p-", "--max-rate", "800"]
    out = timed_lines(lab, {
        "netkit": [NMAP] + argv + ["-oX", str(tmp_path / "nk.xml"), "198.19.2.1"],
        "nmap": [oracle("nmap")] + argv + ["-oX", str(tmp_path / "nmap.xml"), "198.19.3.1"],
    }, 34)
    line = re.compile(r"^SYN Stealth Scan Timing: About \d+\.\d\d% done; "
                      r"ETC: \d\d:\d\d \(0:0\d:\d\d remaining\)$")
    for name, lines in out.items():
        begin = next(t for t, l in lines if l.startswith("Initiating SYN Stealth Scan at "))
        timing = [(t - begin, l) for t, l in lines if "Timing:" in l]
        assert len(timing) == 1 and line.match(timing[0][1]), (name, timing)
        assert 29.5 <= timing[0][0] <= 32.5, (name, timing)
        xml = (tmp_path / ("nk.xml" if name == "netkit" else "nmap.xml")).read_text()
        assert xml.count('<taskprogress task="SYN Stealth Scan" time="') == 1, name


def masked(text):
    text = re.sub(r"^Starting .*\n", "", text, flags=re.M)
    return re.sub(r"scanned in [0-9.]+ seconds", "scanned in T seconds", text)


def test_resume_of_a_finished_scan_like_nmap(lab, tmp_path):
    """--resume FILE of a scan that ended: nmap says once that there are no
    targets and 0 hosts were scanned; netkit the same, twice in a row, and
    its files stay as they were (no second warning or trailer)."""
    said = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        base = str(tmp_path / name)
        r = lab.exec("client", [tool, "-n", "-Pn", "-p", "80", "-oA", base, "198.19.0.1"])
        assert r.returncode == 0, r.stderr
        before = {ext: pathlib.Path(base + ext).read_bytes() for ext in EXTS}
        for ext in (".gnmap", ".nmap"):
            r = lab.exec("client", [tool, "--resume", base + ext])
            said.setdefault(name, []).append((r.returncode, masked(r.stdout), r.stderr))
        if name == "netkit":
            assert before == {ext: pathlib.Path(base + ext).read_bytes() for ext in EXTS}
    assert said["netkit"] == said["nmap"]
    assert said["nmap"][0][1].count("0 IP addresses (0 hosts up)") == 1


def test_raw_scan_without_rights_quits_like_nmap(lab):
    """-sS (-sU, -sA) without raw rights: nmap refuses before it starts,
    'You requested a scan type which requires root privileges.' and
    'QUITTING!', exit 1; -sT still runs."""
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    for scan in ("-sS", "-sU", "-sA"):
        got = {}
        for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
            r = lab.exec("client", nobody + [tool, scan, "-n", "-p", "80", "198.19.0.1"])
            got[name] = (r.returncode, r.stdout, r.stderr)
        assert got["netkit"] == got["nmap"] == (
            1, "", "You requested a scan type which requires root privileges.\nQUITTING!\n")
    r = lab.exec("client", nobody + [NMAP, "-sT", "-n", "-Pn", "-p", "80", "198.19.0.1"])
    assert r.returncode == 0 and "80/tcp open" in r.stdout, r.stderr


def test_interrupted_summary_counts_finished_hosts(lab, tmp_path):
    """Ctrl-C after some hosts are done: the summary counts them ('N IP
    addresses (N hosts up)', N the hosts reported), in every output."""
    base = str(tmp_path / "r")
    p = lab.popen("client", [NMAP, "-n", "-Pn", "-p", "1-3000", "--max-hostgroup", "1",
                             "--max-rate", "3000", "-oA", base, "198.19.0.1-12"],
                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(4)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=30)
    n = out.count("Nmap scan report for ")
    assert 1 <= n < 12, out
    want = f"{n} IP address{'es' if n > 1 else ''} ({n} host{'s' if n > 1 else ''} up)"
    assert want in out.splitlines()[-1], out
    for ext in (".nmap", ".gnmap"):
        assert want in pathlib.Path(base + ext).read_text().splitlines()[-1], ext
    assert f'<hosts up="{n}" down="0" total="{n}"/>' in pathlib.Path(base + ".xml").read_text()


PI = re.compile(r'^<\?xml-stylesheet href="([^"]*)" type="text/xsl"\?>$', re.M)


def test_stylesheet_named_like_nmap(lab, tmp_path):
    """The XML names a stylesheet as nmap's does: by default its own
    nmap.xsl beside its data files (file://...), --webxml nmap's web copy,
    --stylesheet the one given, --no-stylesheet none; netkit's own XSL (ours,
    shipped in data/nmap/ and installed with the data) renders the report:
    xsltproc turns the XML into HTML with every host, port and service."""
    target = [lab.addr("target"), lab.addr("web")]
    for opts in ([], ["--webxml"], ["--stylesheet", "/x/my.xsl"], ["--no-stylesheet"]):
        pis = {}
        for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
            r = lab.exec("client", [tool, "-n", "-Pn", "-p", "22,80,443"] + opts +
                         ["-oX", "-"] + target)
            assert r.returncode == 0, r.stderr
            pis[name] = PI.findall(r.stdout)
        if opts:
            assert pis["netkit"] == pis["nmap"], opts
            continue
        assert [p.rsplit("/", 1)[1] for p in pis["netkit"]] == ["nmap.xsl"]
        assert pis["nmap"][0].startswith("file:///") and pis["netkit"][0].startswith("file:///")
        xsl = pis["netkit"][0][len("file://"):]
        assert os.path.exists(xsl)
    r = lab.exec("client", [NMAP, "-n", "-Pn", "-p", "22,80,443", "-oX",
                            str(tmp_path / "s.xml")] + target)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["xsltproc", str(tmp_path / "s.xml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    html = r.stdout
    assert "<html" in html and "</html>" in html
    for want in target + [">22<", ">80<", ">443<", ">ssh<", ">http<", ">https<", ">open<",
                          ">closed<", "2 IP addresses (2 hosts up)"]:
        assert want in html, want


def test_xml_args_escaped_like_nmap(lab):
    """nmap's XML escapes every '-' after a '-' as &#45; (so no "--" is
    ever in its text): <nmaprun args="nmap -&#45;reason ...">."""
    got = {}
    for name, tool in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        r = lab.exec("client", [tool, "-n", "-Pn", "--reason", "--max-rate", "100", "-p", "80",
                                "-oX", "-", "198.19.0.1"])
        assert r.returncode == 0, r.stderr
        got[name] = re.search(r'<nmaprun scanner="nmap" args="\S+ ([^"]*)"', r.stdout).group(1)
    assert got["netkit"] == got["nmap"] == \
        "-n -Pn -&#45;reason -&#45;max-rate 100 -p 80 -oX - 198.19.0.1"
