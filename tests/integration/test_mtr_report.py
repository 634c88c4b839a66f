# SPDX-License-Identifier: Apache-2.0
"""netkit mtr against mtr 0.95 on the same path: report layout byte for
byte (apart from measured times), the same hops for ICMP, UDP and TCP over
IPv4 and IPv6, AS lookups, CSV/XML/JSON, and errors for bad input."""
import json
import os
import subprocess
import re

import pytest

from conftest import oracle
from mtrfix import path, hop_names, report_rows, mtr_view  # noqa: F401

V4 = "198.18.3.10"
V6 = "2001:db8:3::10"
MTR = oracle("mtr")


# mtr 0.95 waits its whole grace time (-G, 5 s) after the last cycle even
# when every probe has its answer; on this lossless lab path, where both
# tools have every answer within milliseconds, the runs whose hops all
# answer at once wait 1 s instead (as test_mtr_limits's do). Runs that wait
# for a late answer (host unreachable after r2's ARP timeout, r1's MPLS
# responder in Python) or for AS lookups alone (-z -c 1) keep mtr's 5 s.
GRACE = ["-G", "1"]


def both(path, nkbin, args, timeout=120):
    ours = path.run([f"{nkbin}/mtr"] + args, timeout=timeout)
    theirs = path.run([MTR] + args, timeout=timeout)
    return ours, theirs


def mask_times(line, start):
    """Keeps a report line up to the RTT columns that start at col start."""
    return line[:start]


@pytest.mark.parametrize("proto", ["", "-u", "-T", "-T -P 22"])
@pytest.mark.parametrize("dst", [V4, V6])
def test_same_hops(path, nkbin, proto, dst):
    args = ["-r", "-n", "-c", "3", "-i", "0.2"] + GRACE + proto.split() + [dst]
    ours, theirs = both(path, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    assert theirs.returncode == 0
    assert hop_names(ours.stdout) == hop_names(theirs.stdout)
    assert hop_names(ours.stdout)[-1] == dst
    # header identical; every row identical up to and including Snt
    h1, r1 = report_rows(ours.stdout)
    h2, r2 = report_rows(theirs.stdout)
    assert h1 == h2
    assert [r[:45] for r in r1] == [r[:45] for r in r2]


def test_traceroute_agrees(path, nkbin):
    ours = path.run([f"{nkbin}/mtr", "-r", "-n", "-c", "1", V4])
    tr = path.run(["traceroute", "-n", "-q", "1", V4])
    hops = [l.split()[1] for l in tr.stdout.splitlines()[1:]]
    assert hop_names(ours.stdout) == hops


@pytest.mark.parametrize("opts", [
    ["-r"], ["-w"], ["-r", "-b"], ["-w", "-b"], ["-r", "-z"], ["-w", "-z", "-b"],
    ["-r", "-y", "2"], ["-r", "-y", "1", "-b"], ["-r", "-o", "LSRDNBAWVGJMXI"],
    ["-r", "-o", "S R D A"], ["-w", "-o", "L  D"],
])
def test_report_layout(path, nkbin, opts):
    args = opts + ["-c", "2", "-i", "0.2"] + GRACE + [V4]
    ours, theirs = both(path, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    h1, r1 = report_rows(ours.stdout)
    h2, r2 = report_rows(theirs.stdout)
    assert h1 == h2
    assert len(r1) == len(r2)
    # the host column (and Loss%/Snt when they lead) match exactly
    width = len(r2[0]) - len(r2[0].split("|--")[-1].lstrip()) if "|--" in r2[0] else 0
    for a, b in zip(r1, r2):
        cut = max(width, 33) if "-w" not in opts else len(b) - len(b.lstrip()) + 8
        assert a[:cut] == b[:cut]
        assert len(a) == len(b)


def test_seed_line_verbatim(path, nkbin):
    """The seed's command line, verbatim (plus report mode for capture)."""
    args = ["-4", "-b", "-y", "2", "-o", "S R D A", "-r", "-c", "2", "-i", "0.2", V4]
    ours, theirs = both(path, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    h1, r1 = report_rows(ours.stdout)
    h2, r2 = report_rows(theirs.stdout)
    assert h1 == h2
    # everything but the Avg column
    assert [r[:-6] for r in r1] == [r[:-6] for r in r2]
    assert "ZZ  r1.lab (198.18.1.1)" in r1[0]


def test_as_lookup_ipv6(path, nkbin):
    args = ["-6", "-r", "-z", "-c", "1", V6]
    ours, theirs = both(path, nkbin, args)
    _, r1 = report_rows(ours.stdout)
    _, r2 = report_rows(theirs.stdout)
    assert [r[:33] for r in r1] == [r[:33] for r in r2]
    assert "AS64503" in r1[-1]


def mask_numbers(s):
    return re.sub(r"\d+\.\d+", "N", re.sub(r"MTR\.0\.95,\d+", "MTR.0.95,T", s))


@pytest.mark.parametrize("fmt", [["--csv"], ["--csv", "-z"], ["--xml"], ["--xml", "-n"]])
def test_csv_xml(path, nkbin, fmt):
    args = fmt + ["-c", "2", "-i", "0.2"] + GRACE + [V4]
    ours, theirs = both(path, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    assert mask_numbers(ours.stdout) == mask_numbers(theirs.stdout)


@pytest.mark.parametrize("opts", [
    [], ["-n"], ["-z"], ["-b", "-z"], ["-y", "2"], ["-n", "-o", "LDRSNBAWVGJMXI"],
    ["-n", "-o", "LSL J"], ["-n", "-o", " "], ["-n", "-B", "300"], ["-n", "-B", "7", "-Q", "16"],
    ["-n", "-T"], ["-n", "-u", "-f", "2"], ["-n", "-m", "2"], ["-e"], ["-6"],
])
def test_json_layout(path, nkbin, opts):
    """--json is mtr 0.95's document (jansson's layout and number format,
    the -o columns in order, each once) byte for byte once netkit's own
    keys, which come after mtr's in each object, are cut out; measured
    times masked."""
    dst = V6 if "-6" in opts else V4
    ours, theirs = both(path, nkbin, ["--json", "-c", "2", "-i", "0.2"] + GRACE + opts + [dst])
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert mask_numbers(mtr_view(ours.stdout, theirs.stdout)) == mask_numbers(theirs.stdout)
    assert '"addrs": [' in ours.stdout and '"end": ' in ours.stdout
    assert ours.stdout.startswith('{\n    "report": {\n        "mtr": {\n')


def test_json_unreachable_layout(path, nkbin):
    """hops that never answer ("???") and a target that does not exist"""
    ours, theirs = both(path, nkbin, ["--json", "-n", "-c", "2", "-i", "0.2", "198.18.3.99"],
                        timeout=60)
    assert mask_numbers(mtr_view(ours.stdout, theirs.stdout)) == mask_numbers(theirs.stdout)


def test_json(path, nkbin):
    """--json: mtr's keys and netkit's: every statistic, addresses with
    names and AS data, the end reason."""
    args = ["-z", "-c", "3", "-i", "0.2"] + GRACE + [V4]
    ours = path.run([f"{nkbin}/mtr", "--json"] + args)
    theirs = path.run([MTR, "--json"] + args)
    a = json.loads(ours.stdout)["report"]
    b = json.loads(theirs.stdout)["report"]
    for k in ("src", "dst", "tos", "tests", "psize", "bitpattern"):
        assert str(a["mtr"][k]) == str(b["mtr"][k]), k
    assert a["mtr"]["end"] == "reached"
    assert [h["host"] for h in a["hubs"]] == [h["host"] for h in b["hubs"]]
    assert [h["ASN"] for h in a["hubs"]] == [h["ASN"] for h in b["hubs"]]
    for h in a["hubs"]:
        for k in ("Loss%", "Snt", "Rcv", "Drop", "Last", "Avg", "Best", "Wrst", "StDev",
                  "Gmean", "Jttr", "Javg", "Jmax", "Jint"):
            assert k in h
        assert h["Snt"] == 3 and h["Rcv"] == 3
        assert h["addrs"][0]["as"]["asn"].startswith("645")
        assert h["addrs"][0]["name"].endswith(".lab")


def jansson_real(v):
    """A real as jansson writes it at precision 5 (what mtr 0.95 uses)."""
    s = "%.5g" % v
    if "e" in s:
        m, e = s.split("e")
        s = m + "e" + ("-" if e[0] == "-" else "") + e[1:].lstrip("0")
    return s if "." in s or "e" in s else s + ".0"


def test_json_numbers(path, nkbin):
    """Every statistic mtr prints has the same JSON type in ours, and reals
    are written as mtr (jansson) writes them: 5 significant digits, 0.0 not
    0; psize is a string in both."""
    args = ["--json", "-n", "-c", "3", "-i", "0.1", "-o", "LDRSNBAWVGJMXI"] + GRACE + [V4]
    ours, theirs = both(path, nkbin, args)
    typed = {"parse_float": lambda s: ("real", s), "parse_int": lambda s: ("int", s)}
    a = json.loads(ours.stdout, **typed)["report"]
    b = json.loads(theirs.stdout, **typed)["report"]
    for k in ("src", "dst", "tos", "tests", "psize", "bitpattern"):
        # a tuple is ("int"|"real", text): the kinds agree too
        assert type(a["mtr"][k]) is type(b["mtr"][k]), k
        if isinstance(b["mtr"][k], tuple):
            assert a["mtr"][k][0] == b["mtr"][k][0], k
    assert b["mtr"]["psize"] == a["mtr"]["psize"] == "64"
    assert len(a["hubs"]) == len(b["hubs"])
    reals = 0
    for ha, hb in zip(a["hubs"], b["hubs"]):
        for k, v in hb.items():
            if not isinstance(v, tuple):
                continue
            assert ha[k][0] == v[0], (k, ha[k], v)
            if v[0] == "real":
                reals += 1
                for tok in (ha[k][1], v[1]):
                    assert tok == jansson_real(float(tok)), (k, tok)
    assert reals >= 30
    assert a["hubs"][0]["Loss%"] == b["hubs"][0]["Loss%"] == ("real", "0.0")


def test_ndjson(path, nkbin):
    r = path.run([f"{nkbin}/mtr", "--ndjson", "-n", "-c", "3", "-i", "0.2", V4])
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert [o["cycle"] for o in objs] == [1, 2, 3]
    assert objs[-1]["hubs"][-1]["host"] == V4
    assert objs[-1]["hubs"][0]["Snt"] == 3


def test_raw(path, nkbin):
    args = ["-l", "-c", "3", "-i", "0.3"] + GRACE + [V4]
    ours, theirs = both(path, nkbin, args)
    assert ours.returncode == 0, ours.stderr

    def shape(out):
        """(kind, hop, value) of the h and d lines of the path's three hops
        (mtr also probes one TTL past the destination)."""
        return sorted({tuple(l.split()[:3]) for l in out.splitlines()
                       if l[0] in "hd" and int(l.split()[1]) < 3})

    assert shape(ours.stdout) == shape(theirs.stdout)
    lines = ours.stdout.splitlines()
    # a hop's address is announced twice, as mtr does, before its first reply
    i = lines.index(f"h 2 {V4}")
    assert lines[i + 1] == f"h 2 {V4}" and lines[i + 2].startswith("p 2 ")
    assert sum(l.startswith("p 0 ") for l in lines) == 3


@pytest.mark.parametrize("args", [
    ["-r", "foo.invalid"],
    ["-r", "-o", "LSQ", V4],
    ["-r", "-i", "0", V4],
    ["-r", "-i", "-1", V4],
    ["-r", "-c", "x", V4],
    ["-r", "-P", "0", "-T", V4],
    ["-r", "-G", "0", V4],
    ["--bogus", V4],
])
def test_bad_input(path, nkbin, args):
    ours, theirs = both(path, nkbin, args, timeout=30)
    mine = ours.stderr.splitlines()[0].replace(nkbin + "/mtr", "mtr")
    first = theirs.stderr.splitlines()[0].replace(MTR, "mtr")
    assert mine == first
    assert ours.stdout == ""
    # mtr exits 0 after an unknown host (it goes on with the next name)
    assert ours.returncode == theirs.returncode == (0 if "resolve" in first else 1)


@pytest.mark.parametrize("names", [["nosuch.lab", "198.18.1.1"], ["198.18.1.1", "nosuch.lab"],
                                   ["-F", "HOSTS", "198.18.12.2"],
                                   ["198.18.12.2", "-F", "HOSTS"]])
def test_unknown_host_among_others(path, nkbin, tmp_path, names):
    """Several names (-F's first, then the command line's): one that does not
    resolve is reported and skipped, the others traced, exit 0, as mtr."""
    f = tmp_path / "hosts"
    f.write_text("nosuch.lab\n198.18.1.1\n")
    args = ["-r", "-n", "-c", "1"] + GRACE + [str(f) if a == "HOSTS" else a for a in names]
    ours, theirs = both(path, nkbin, args, timeout=60)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert ours.stderr.replace(nkbin + "/mtr", "mtr") == theirs.stderr.replace(MTR, "mtr")
    reports = [hop_names("Start: " + r) for r in ours.stdout.split("Start: ")[1:]]
    mine = [r[-1] for r in reports]
    assert mine == [r[-1] for r in (hop_names("Start: " + x)
                                    for x in theirs.stdout.split("Start: ")[1:])]
    assert "198.18.1.1" in mine


@pytest.mark.parametrize("ttl", [["-m", "300"], ["-f", "0"], ["-f", "5", "-m", "3"],
                                 ["--first-ttl", "2"], ["--max-ttl", "2"]])
def test_ttl_range(path, nkbin, ttl):
    args = ["-r", "-n", "-c", "1"] + GRACE + ttl + [V4]
    ours, theirs = both(path, nkbin, args, timeout=30)
    assert ours.returncode == theirs.returncode
    assert hop_names(ours.stdout) == hop_names(theirs.stdout)


def test_no_route(path, nkbin):
    path.run(["ip", "route", "del", "default"])
    try:
        ours, theirs = both(path, nkbin, ["-r", "-c", "1", V4], timeout=30)
    finally:
        path.run(["ip", "route", "add", "default", "via", "198.18.1.1"])
    assert ours.returncode == theirs.returncode == 1
    assert ours.stderr.replace(nkbin + "/mtr", "mtr") == theirs.stderr.replace(MTR, "mtr")


def test_unreachable_host(path, nkbin):
    """No host behind r2's LAN address: r2 answers "host unreachable" after
    its ARP timeout; both tools show r2 as the third hop."""
    args = ["-r", "-n", "-c", "5", "-i", "0.2", "198.18.3.99"]
    ours, theirs = both(path, nkbin, args, timeout=60)
    assert ours.returncode == 0, ours.stderr
    assert hop_names(ours.stdout) == hop_names(theirs.stdout) == \
        ["198.18.1.1", "198.18.12.2", "198.18.12.2"]
    j = json.loads(path.run([f"{nkbin}/mtr", "--json", "-n", "-c", "2", "198.18.3.99"]).stdout)
    assert j["report"]["mtr"]["end"] == "unreachable"


@pytest.fixture(scope="module")
def mpls_r1(path):
    """r1 answers TTL-1 packets itself with an RFC 4950 label stack (the
    kernel's own answer dropped); put back afterwards."""
    rule = ["iptables", "-t", "raw", "-A", "PREROUTING", "-i", "eth0", "-m", "ttl",
            "--ttl-eq", "1", "-j", "DROP"]
    script = os.path.join(os.path.dirname(__file__), "mpls_responder.py")
    assert path.run(rule, host="r1").returncode == 0
    p = subprocess.Popen(path.ns("r1") + ["/usr/bin/python3", script, "eth0", "16001:5:0:1",
                                          "24000:0:1:255"], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready"
        yield
    finally:
        p.terminate()
        p.wait(timeout=10)
        r = path.run(["iptables", "-t", "raw", "-D"] + rule[4:], host="r1")
        assert r.returncode == 0, r.stderr  # a rule left behind silences r1 for every later test


@pytest.mark.parametrize("opts", [["-e"], ["-e", "-z"], ["-e", "-y", "2"], ["-e", "-w", "-z"],
                                  ["-z"]])
def test_mpls_labels(path, nkbin, mpls_r1, opts):
    """-e: the label stack under the hop, in report mode only with -y/-z, as
    mtr 0.95; the S bit as mtr prints it (a raw byte 0/1, then 'u')."""
    args = ["-r", "-n", "-c", "1"] + opts + ["198.18.1.1"]
    ours, theirs = both(path, nkbin, args, timeout=30)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    mine = [l for l in ours.stdout.splitlines() if "[MPLS" in l]
    ref = [l for l in theirs.stdout.splitlines() if "[MPLS" in l]
    assert mine == ref
    if "-e" in opts and ("-z" in opts or "-y" in opts):
        assert mine == ["       [MPLS: Lbl 16001 TC 5 S \x00u TTL 1]",
                        "       [MPLS: Lbl 24000 TC 0 S \x01u TTL 255]"]
    else:
        assert mine == []
    # the rest of the report is laid out the same
    assert [l[:30] for l in ours.stdout.splitlines()[1:]] == \
        [l[:30] for l in theirs.stdout.splitlines()[1:]]


def test_mpls_json(path, nkbin, mpls_r1):
    j = json.loads(path.run([f"{nkbin}/mtr", "--json", "-n", "-e", "-c", "1", V4]).stdout)
    assert j["report"]["hubs"][0]["addrs"][0]["mpls"] == [
        {"label": 16001, "tc": 5, "s": False, "ttl": 1},
        {"label": 24000, "tc": 0, "s": True, "ttl": 255}]
