# SPDX-License-Identifier: Apache-2.0
"""Every command line of the seed (the "Linux networking overview" the
project started from, issue 10) run verbatim in the lab, side by side with
the original tools: pipes, sed, sort, column and head included, only the
host names and addresses swapped for lab ones (SEED below keeps each line
as the seed writes it, and test_lines_are_the_seeds checks that the lab
line is that text with only those swaps).

A line runs as `sh -c LINE` in a lab host (`ip netns exec`, so the lab's
resolv.conf is in place), once with PATH leading to the original tools and
once with netkit's symlinks first; sed, sort, column and head are the
system's in both. The tests run as root. `sudo` stays in the text: where
sudo is installed it runs the command, with PATH kept (sudo's secure_path
would pick the original tools for both runs); where it is not (this lab's
machines: scripts/deps.sh does not install it), a shell function `sudo`
runs the command as it is, which is what sudo does for root.

Lines whose feature another open issue brings are expected to fail
(strict), with that issue in the reason: the comparison still runs, so
the day the feature lands the test passes, pytest reports XPASS as a
failure, and the mark must go.

Also here: nmap with target names that do not resolve or parse mixed with
good targets, in a port scan, in normal, XML and grepable output (issue 10;
the list-scan forms are in test_nmap_targets.py)."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN
from ip_compare import json_shape, mask_pretty, mask_text
from mtrfix import path  # noqa: F401  (the session lab's client, as a LabPath)
from test_mtr_live import screen, tmux, wait_for
from test_nmap_lab import DTD, hosts_of

ORIG_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
NK_PATH = NETKIT_BIN + ":" + ORIG_PATH
PRELUDE = ('sudo() { command sudo env "PATH=$PATH" "$@"; }\n' if shutil.which("sudo")
           else 'sudo() { "$@"; }\n')

TARGET = "198.18.3.10"       # the seed's 192.168.1.10
LAN = "198.18.3.0/24"        # the seed's 192.168.1.0/24
SWAPS = [("192.168.1.10", TARGET), ("192.168.1.0/24", LAN), ("google.com", "target.lab")]

METRICS_SED = r"""sed -r 's/^(.+)\sage\s([0-9\.]+)sec\s.*.*source\s(.+)$/\2s \3 \1/gm'"""
METRICS_SED_R = r"""sed -r 's/^(.+)\sage\s([0-9\.]+)sec\s.*.*source\s(.+)$/\3 \1 \2s/gm'"""

# name -> the line as the seed writes it
SEED = {
    "route -n": "sudo route -n",
    "ip link json": "ip -j -p -s link show",
    "ip address": "ip -family inet -br address show",
    "tcp_metrics by age": "ip -family inet -h -br tcp_metrics show | " + METRICS_SED
                          + " | sort -n | column -t",
    "tcp_metrics by name": "ip -family inet -h -br -r tcp_metrics show | " + METRICS_SED_R
                           + " | sort | column -t",
    "tcp_metrics flush": "sudo ip tcp_metrics flush all",
    "ip route": "ip route show",
    "route -n -F": "sudo route -n -F",
    "ip neigh": "ip neigh show",
    "ss established": "sudo ss -p -r --tcp state established",
    "ss listening": "sudo ss -p -r --tcp state listening",
    "ss -s": "ss -s",
    "ss ssh": "ss -at '( dport = :22 or sport = :22 )'",
    "mtr": 'mtr -4 -b -y 2 -o "S R D A" google.com',
    "nmap -sO": "sudo nmap -sO localhost",
    "nmap -sL": "sudo nmap -sL 192.168.1.0/24",
    "nmap -A": "sudo nmap -A 192.168.1.10",
    "nmap multi-line": "sudo nmap \\\n-Pn \\\n-sS --top-ports 50 --open \\\n"
                       "-sV --version-intensity 5 \\\n-O --osscan-guess \\\n-R \\\n-v \\\n"
                       "192.168.1.10",
    "nmap pipeline": "ip -family inet -h -br tcp_metrics show | \\\n"
                     r"sed -r 's/^(.+)\sage\s([0-9\.]+)sec\s.*.*source\s(.+)$/\2 \1/gm' | \
sort -n | \
sed -r 's/^.+\s(.+)$/\1/gm' | \
head -n 50 | \
sudo nmap -sL -sn -iL /dev/stdin",
    "nmap --script-help": "nmap --script-help=fuzzer",
    "nmap --iflist": "sudo nmap --iflist",
    "nmap -sC": "nmap -sC 192.168.1.10",
}


def lab_line(name):
    line = SEED[name]
    for a, b in SWAPS:
        line = line.replace(a, b)
    return line


def test_lines_are_the_seeds():
    """The lines run here are the seed's, with only the host swaps: every
    command of the seed's ip, route, ss, mtr and nmap sections is in SEED
    (22 lines), and no other change is made to any of them."""
    assert len(SEED) == 22
    for name, line in SEED.items():
        lab = lab_line(name)
        undone = lab
        for a, b in SWAPS:
            undone = undone.replace(b, a)
        assert undone == line, name
    assert SEED["nmap pipeline"].endswith("| \\\nsudo nmap -sL -sn -iL /dev/stdin")


def sh(path, line, netkit, host="client", **kw):
    """One run of a seed line in a lab host, with the original tools or
    netkit's first on PATH."""
    env = ["env", "PATH=" + (NK_PATH if netkit else ORIG_PATH)]
    kw.setdefault("timeout", 300)
    return path.run(env + ["sh", "-c", PRELUDE + line], host=host, **kw)


def side_by_side(path, line, norm=lambda s: s, host="client", again=True):
    """The original, netkit, (and the original again): netkit's exit
    status, stdout and stderr, normalised, equal one of the original's runs
    (the tables are live: timers tick, entries age). again="if different"
    runs the original a second time only when netkit's run differs from its
    first (nmap's lines take seconds each, and what nmap finds can vary
    with timing); netkit itself runs once."""
    want = [sh(path, line, False, host)]
    ours = sh(path, line, True, host)
    if again is True:
        want.append(sh(path, line, False, host))
    got = (ours.returncode, norm(ours.stdout), norm(ours.stderr))
    runs = [(w.returncode, norm(w.stdout), norm(w.stderr)) for w in want]
    if got not in runs and again == "if different":
        w = sh(path, line, False, host)
        runs.append((w.returncode, norm(w.stdout), norm(w.stderr)))
    if got not in runs:
        import difflib
        diff = "\n".join("\n".join(difflib.unified_diff(
            r[1].splitlines(), got[1].splitlines(), f"original (run {i + 1})", "netkit",
            lineterm="")) for i, r in enumerate(runs))
        raise AssertionError(f"{line}\nrc {runs[0][0]} vs {got[0]}\n"
                             f"stderr {runs[0][2]!r} vs {got[2]!r}\n{diff}")
    return want[0], ours


# ---- ip, route -------------------------------------------------------------

def json_view(text):
    """ip -j -p -s: the document's shape with counters as their type, and
    the pretty layout with the numbers masked."""
    import json
    try:
        return repr(json_shape(json.loads(text))) + mask_pretty(mask_text(text))
    except ValueError:
        return text


@pytest.mark.parametrize("name,host", [
    ("ip link json", "client"), ("ip link json", "r2"), ("ip address", "client"),
    ("ip address", "r2"), ("ip route", "client"), ("ip route", "r2"),
    ("ip neigh", "r2"), ("route -n", "client"), ("route -n", "r2"),
    ("route -n -F", "client"), ("route -n -F", "r2"),
])
def test_ip_route_lines(path, name, host):
    norm = json_view if name == "ip link json" else mask_text
    side_by_side(path, lab_line(name), norm, host)


MAKE_METRICS = r"""
import socket, time
# one entry per lab host, 40 ms apart (the seed's pipelines sort by age)
for host, port in (("198.18.3.12", 6379), ("198.18.3.11", 80), ("198.18.3.10", 80),
                   ("198.18.3.53", 53)):
    s = socket.create_connection((host, port))
    if port == 80:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        while s.recv(4096):
            pass
    s.close()
    time.sleep(0.04)
"""


def make_metrics(path):
    """Fresh tcp_metrics entries in the client, made by real connections
    (after the original's flush of what other tests left)."""
    path.run(["ip", "tcp_metrics", "flush", "all"])
    r = path.run([sys.executable, "-c", MAKE_METRICS])
    assert r.returncode == 0, r.stderr
    out = path.run(["ip", "-family", "inet", "tcp_metrics", "show"]).stdout
    assert len(out.splitlines()) == 4, out
    return out


@pytest.fixture()
def metrics(path):
    make_metrics(path)


def mask_age(text):
    """Ages move between runs (column -t pads to the widest)."""
    text = re.sub(r"\b\d+\.\d+s\b", "AGE", text)
    return "\n".join(" ".join(l.split()) for l in text.splitlines())


@pytest.mark.parametrize("name", ["tcp_metrics by age", "tcp_metrics by name"])
def test_tcp_metrics_pipelines(path, metrics, name):
    orig, ours = side_by_side(path, lab_line(name), mask_age)
    assert len(ours.stdout.splitlines()) == 4
    if name == "tcp_metrics by name":  # -r: names from the lab's DNS
        assert "target.lab" in ours.stdout and "client.lab" in ours.stdout


def test_tcp_metrics_flush(path):
    """`sudo ip tcp_metrics flush all` empties the cache, for both tools,
    saying the same (nothing) with the same exit status."""
    res = []
    for netkit in (False, True):
        make_metrics(path)
        r = sh(path, lab_line("tcp_metrics flush"), netkit)
        left = path.run(["ip", "tcp_metrics", "show"]).stdout
        res.append((r.returncode, r.stdout, r.stderr, left))
    assert res[1] == res[0] == (0, "", "", "")


# ---- ss ----------------------------------------------------------------------

HOLD = r"""
import socket, sys
held = [socket.create_connection(("198.18.3.10", 22)),
        socket.create_connection(("198.18.3.11", 80))]
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture()
def held(path):
    """Two connections from the client (to target's ssh and web's http),
    open while the test runs; the ssh banner has arrived."""
    p = subprocess.Popen(path.ns() + [sys.executable, "-c", HOLD], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        yield p
    finally:
        p.stdin.close()
        p.wait(timeout=10)


@pytest.mark.parametrize("name,host", [
    ("ss established", "client"), ("ss listening", "target"), ("ss -s", "client"),
    ("ss ssh", "client"),
])
def test_ss_lines(path, held, name, host):
    # ss -s: "Total" counts every socket of the machine
    norm = (lambda t: re.sub(r"Total: \d+", "Total: N", t)) if name == "ss -s" else None
    orig, ours = side_by_side(path, lab_line(name), norm or (lambda t: t), host)
    if name == "ss established":
        assert "target.lab:ssh" in ours.stdout and "python3" in ours.stdout, ours.stdout
    if name == "ss listening":
        assert "sshd" in ours.stdout and "nginx" in ours.stdout, ours.stdout
    if name == "ss ssh":
        assert ":ssh" in ours.stdout and "ESTAB" in ours.stdout, ours.stdout


# ---- mtr ---------------------------------------------------------------------

def mtr_view(s):
    """The screen with what moves masked: the clock, the counts and times."""
    out = []
    for l in s.splitlines():
        l = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", "TIME", l)
        m = re.match(r"^( *\d+\. .*\)) +(.*)$", l)
        if m:
            l = m.group(1) + " " + re.sub(r"\d+(\.\d+)?", "N", m.group(2))
        out.append(" ".join(l.split()))
    return "\n".join(out).rstrip()


def test_mtr_line_on_screen(path):
    """`mtr -4 -b -y 2 -o "S R D A" HOST` on a terminal (tmux), both tools:
    the same screen (title, keys, the wrapped banner, hop names with
    addresses and country codes, the S R D A columns) once the last hop has
    answered twice, counts and times masked; q ends both."""
    shots = {}
    for tool, netkit in (("mtr", False), ("netkit", True)):
        session = f"nkseedmtr{tool}{os.getpid()}"
        env = "PATH=" + (NK_PATH if netkit else ORIG_PATH)
        cmd = " ".join(path.ns() + ["env", env, "sh", "-c", shlex.quote(lab_line("mtr"))])
        tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20", cmd)
        try:
            # every hop named, with its country code, and the last one
            # answered at least twice
            wait_for(session, r"^ 1\. ZZ  r1\.lab .*\n 2\. ZZ  r2\.lab .*\n"
                     r" 3\. ZZ  target\.lab \(198\.18\.3\.10\) +[2-9]\d* ", 20)
            shots[tool] = screen(session)
            tmux("send-keys", "-t", session, "q")
            end = time.monotonic() + 5
            while time.monotonic() < end and tmux("has-session", "-t", session).returncode == 0:
                time.sleep(0.1)
            assert tmux("has-session", "-t", session).returncode != 0, tool
        finally:
            tmux("kill-session", "-t", session)
    assert mtr_view(shots["netkit"]) == mtr_view(shots["mtr"])
    assert re.search(r"^ngsst +Snt +Rcv +Drop +Avg$", shots["netkit"], re.M)


# ---- nmap --------------------------------------------------------------------

VOLATILE = ("Starting ", "SF:", "SF-Port", "OS:", "Read data files from",
            "           Raw packets sent", "Uptime guess", "TCP Sequence Prediction",
            "Retrying OS detection")


# where to report results: each project names its own place
BOILERPLATE = ("Please report any incorrect results", "nmap.org/submit", "submit.cgi",
               "fingerprint as a netkit issue")


def nmap_view(text):
    """nmap's output with what moves between two runs masked: clock times,
    elapsed times, latencies, round trips; fingerprints (they carry the
    date), guesses that depend on timing and where to report results left
    out; the order in which open ports are discovered and hosts finish does
    not matter."""
    out, found = [], []
    for l in text.splitlines():
        if l.startswith(VOLATILE) or any(b in l for b in BOILERPLATE):
            continue
        l = re.sub(r"\([0-9.]+s latency\)", "(LAT)", l)
        l = re.sub(r"scanned in [0-9.]+ seconds", "scanned in T", l)
        l = re.sub(r" at \d\d:\d\d\b", " at HH:MM", l)
        l = re.sub(r"[0-9.]+s elapsed", "Ns elapsed", l)
        l = re.sub(r"^(\d+ +)[0-9.]+ ms ", r"\1RTT ", l)  # traceroute hops
        # nmap probes the first closed port to answer its randomly ordered
        # scan (best ranked: engine/host.h); the protocol must agree
        l = re.sub(r"^TRACEROUTE \(using port \d+/", "TRACEROUTE (using port N/", l)
        if l.startswith("Discovered open port"):
            found.append(l)
            continue
        if re.match(r"Completed .* against ", l):  # which host ends first is timing
            continue
        out.append(l)
    return "\n".join(sort_script_blocks(out) + sorted(found))


def sort_script_blocks(lines):
    """The script results under one port (or host) in id order: nmap
    prints them as they finish, in an order that varies run to run."""
    out, blocks = [], []

    def flush():
        for b in sorted(blocks, key=lambda b: b[0][2:]):
            out.extend(b)
        blocks.clear()
    for l in lines:
        if re.match(r"^\|[ _][^ ]", l):
            blocks.append([l])
        elif l.startswith("|") and blocks:
            blocks[-1].append(l)
        else:
            flush()
            out.append(l)
    flush()
    return out


def help_view(text):
    """--script-help: the scripts (names, categories) and the layout are
    compared; where each script's documentation lives and its words are
    each project's own (netkit's scripts are written here)."""
    lines = nmap_view(text).splitlines()
    out = [l for l in lines[:1] if not l]
    for i, l in enumerate(lines):
        if l.startswith("Categories: ") and i > 0:
            out += ["", lines[i - 1], l]
        elif l.startswith("Warning: File ./scripts/ exists, but Nmap is using "):
            out.append(re.sub(r"using \S+ for", "using DIR for", l))
    return "\n".join(out)


# The OS section of -O: what nmap 7.93 cannot name on this kernel ("No
# exact OS matches", its fingerprint, aggressive guesses) netkit names from
# its own knowledge (issue 12). The two are compared by shape, not text.
OS_SECTION = ("Aggressive OS guesses:", "No exact OS matches for host", "TCP/IP fingerprint:",
              "Device type:", "Running", "OS CPE:", "OS details:", "OS:")
OS_LINES = {"nmap -A", "nmap multi-line"}


def os_section(text):
    """(the output with its OS section as one marker line, that section)"""
    out, sect, inside = [], [], False
    for l in text.splitlines():
        if l.startswith(OS_SECTION) or (inside and (not l.strip() or l.startswith("OS:"))):
            if not inside:
                out.append("<OS section: compared by shape>")
            inside = True
            sect.append(l)
            continue
        inside = False
        out.append(l)
    return "\n".join(out), sect


def os_view(text):
    return nmap_view(os_section(text)[0])


GUESS = r"[^,()]+(?: \([^()]+\))?(?: [^,()]+)? \(\d+%\)"


def check_os_sections(orig, ours):
    """nmap's section: no exact match, its fingerprint, and aggressive guesses
    (where -O --osscan-guess asks) each well formed; netkit's: a Linux
    device with a Linux CPE and details (the lab runs Linux)."""
    theirs, mine = os_section(orig)[1], os_section(ours)[1]
    assert any(l.startswith("No exact OS matches for host") for l in theirs), theirs
    assert any(l == "TCP/IP fingerprint:" for l in theirs), theirs
    fp = [l for l in theirs if l.startswith("OS:")]
    assert fp and fp[0].startswith("OS:SCAN(V=") and all(len(l) <= 76 for l in fp), theirs
    for l in theirs + mine:
        if l.startswith("Aggressive OS guesses: "):
            assert re.fullmatch("Aggressive OS guesses: %s(?:, %s)*" % (GUESS, GUESS), l), l
    got = {l.split(":")[0]: l for l in mine}
    assert got.get("Device type") == "Device type: general purpose", mine
    assert re.fullmatch(r"Running(?: \(JUST GUESSING\))?: Linux [\d.X]+.*", got.get(
        "Running", got.get("Running (JUST GUESSING)", ""))), mine
    assert re.fullmatch(r"OS CPE: cpe:/o:linux:linux_kernel(?::[\d.]+)?(?: \S+)*",
                        got.get("OS CPE", "")), mine
    assert got.get("OS details", "").startswith("OS details: Linux "), mine
    assert not any(l.startswith("No exact OS matches") for l in mine), mine


NOT_YET = {
    "nmap multi-line": "with -sV -v nmap loads its 45 version scripts (NSE: Loaded 45 scripts), "
                       "netkit its own 41 (issue 16: db2-das-info, openlookup-info, "
                       "ovs-agent-version not written yet: their replies' formats are not "
                       "publicly documented; freelancer-info taken out again after its "
                       "writer saw an excerpt of nmap's script); the OS section (nmap's aggressive guesses, "
                       "netkit's Linux) is compared by shape",
}
SLOW = {"nmap -A", "nmap multi-line", "nmap -sC"}  # nmap 7.93 alone: 15-30 s each


def nmap_case(name):
    marks = []
    if name in NOT_YET:
        marks.append(pytest.mark.xfail(strict=True, reason=NOT_YET[name]))
    if name in SLOW:
        marks.append(pytest.mark.slow)
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [nmap_case(n) for n in (
    "nmap -sO", "nmap -sL", "nmap --iflist", "nmap --script-help", "nmap -sC", "nmap -A",
    "nmap multi-line")])
def test_nmap_lines(path, name):
    view = {"nmap --script-help": help_view}.get(name, os_view if name in OS_LINES else nmap_view)
    orig, ours = side_by_side(path, lab_line(name), view, again="if different")
    assert orig.returncode == 0, orig.stderr
    if name in OS_LINES:
        check_os_sections(orig.stdout, ours.stdout)
    if name == "nmap -sL":
        assert "Nmap scan report for target.lab (198.18.3.10)" in ours.stdout
        assert "Nmap done: 256 IP addresses (0 hosts up)" in ours.stdout
    if name == "nmap -sO":
        assert re.search(r"^6 +open +tcp$", ours.stdout, re.M), ours.stdout


def test_nmap_pipeline(path, metrics):
    """The seed's pipeline: the latest tcp_metrics entries, newest first,
    named by nmap's list scan (-sL -sn together, read from /dev/stdin)."""
    orig, ours = side_by_side(path, lab_line("nmap pipeline"), nmap_view)
    assert ours.returncode == 0, ours.stderr
    reports = re.findall(r"^Nmap scan report for (.*)$", ours.stdout, re.M)
    assert reports == ["dns.lab (198.18.3.53)", "target.lab (198.18.3.10)",
                       "web.lab (198.18.3.11)", "db.lab (198.18.3.12)"], ours.stdout


# ---- targets that do not resolve or parse, in a port scan ----------------------

def skipped(path_xml):
    root = ET.parse(path_xml).getroot()
    return [(t.get("specification"), t.get("status"), t.get("reason"))
            for t in root.iter("target")]


def normal_view(text):
    return [l for l in nmap_view(text).splitlines() if not l.startswith("# ")]


MIXED = [TARGET, "300.1.1.1", "nosuch.lab", "10.0.0.5-3", "10.0.0.1/abc", "198.18.3.11",
         "fd00::1", "-", "nosuch2.lab"]
PORTS = ["-n", "-Pn", "-p", "1-100"]


@pytest.mark.parametrize("opts,targets", [
    (PORTS, MIXED), (PORTS, ["300.1.1.1"]), (PORTS, ["nosuch.lab", TARGET, "10.0.0.1/33x"]),
    (["-n", "-sn"], MIXED), (PORTS + ["-v"], MIXED),
], ids=["mixed", "alone", "last-ok", "ping-scan", "verbose"])
def test_unresolvable_targets_in_scan(path, tmp_path, opts, targets):
    """`nmap -n -Pn -p 1-100` (and -sn, and -v) with names that do not
    resolve or parse among good targets: nmap says so for each (the last
    spec's failure again as the port scan starts and at the end), scans the rest and exits 0; with
    no target left, 'WARNING: No targets were specified'. Compared in the
    terminal output and stderr, the -oN file (which has the messages), the
    XML (hosts, and a <target status="skipped"> for the specs nmap could not
    parse) and the grepable file."""
    res = {}
    for tool, netkit in (("nmap", False), ("netkit", True)):
        base = tmp_path / tool
        line = " ".join(["nmap"] + opts + ["-oA", str(base)]
                        + ["'%s'" % t for t in targets])
        r = sh(path, line, netkit)
        files = {ext: open(f"{base}.{ext}").read() for ext in ("nmap", "gnmap")}
        res[tool] = (r, files, hosts_of(f"{base}.xml"), skipped(f"{base}.xml"))
    (theirs, tf, th, ts), (ours, of, oh, os_) = res["nmap"], res["netkit"]
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert ours.stderr == theirs.stderr
    assert normal_view(ours.stdout) == normal_view(theirs.stdout)
    assert normal_view(of["nmap"]) == normal_view(tf["nmap"])
    strip = lambda s: [l for l in s.splitlines() if not l.startswith("#")]
    assert strip(of["gnmap"]) == strip(tf["gnmap"])
    assert oh == th and os_ == ts
    v = subprocess.run(["xmllint", "--noout", "--dtdvalid", DTD, f"{tmp_path}/netkit.xml"],
                       capture_output=True, text=True)
    assert v.returncode == 0, v.stderr
    if targets == ["300.1.1.1"]:
        assert "WARNING: No targets were specified, so 0 hosts scanned." in ours.stderr
