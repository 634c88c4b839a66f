# SPDX-License-Identifier: Apache-2.0
"""netkit's NSE libraries side by side with nmap 7.93's, offline: the test
script nse/nk-lib.nse evaluates each line of a case file in nse_cases/
(Lua expressions calling a library as nmap's NSEDoc documents it) and
prints what it returns; netkit and nmap run the same script on the same
file and must print the same, line for line. nmap's libraries are only
run (as the oracle), never read.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_nse_libs tests/integration
"""
import os
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "nse_cases")
NK_LIB = os.path.join(HERE, "nse", "nk-lib.nse")


def lib_output(exe, cases, tmp_path, extra=()):
    x = str(tmp_path / (os.path.basename(exe) + ".xml"))
    r = run(["unshare", "--net", exe, "-sn", "-Pn", "-n", "--script", NK_LIB, "--script-args",
             "nk-lib.cases=" + cases] + list(extra) + ["127.0.0.1", "-oX", x], timeout=60)
    assert r.returncode == 0, r.stderr
    s = ET.parse(x).getroot().find(".//prescript/script")
    assert s is not None, r.stdout
    return s.get("output").split("\n")


@pytest.mark.parametrize("lib", sorted(f[:-4] for f in os.listdir(CASES) if f.endswith(".lua")))
def test_library_like_nmap(lib, tmp_path):
    cases = os.path.join(CASES, lib + ".lua")
    ours = lib_output(NMAP, cases, tmp_path)
    theirs = lib_output(oracle("nmap"), cases, tmp_path)
    assert len(ours) == len(theirs)
    bad = [(a, b) for a, b in zip(ours, theirs) if a != b]
    assert not bad, "\n".join("netkit: %s\nnmap:   %s" % p for p in bad[:10])


def test_hostile_input_bounded(tmp_path):
    """netkit's DER reader (asn1der, under sslcert.parse_der), DNS decoder
    and HTTP chunked bodies on hostile bytes the fuzzer found slow (nse_cases/hostile/;
    netkit's alone: nmap reads certificates with OpenSSL): every length
    is checked against the bytes there are, so each case is nil and why
    or an error at once, where a length wrapped negative looped until
    memory ran out, records pointing at one long name took ~27 s and a
    chunk size wrapped negative never ended; a real certificate and real
    chunks still parse. The 60 s run limit is the hang check."""
    out = lib_output(NMAP, os.path.join(CASES, "hostile", "parsers.lua"), tmp_path)
    got = [l.split(" => ", 1)[1] for l in out]
    want = ['nil, "bad certificate: DER: bad length at byte 3"',
            'nil, "bad certificate: DER: truncated value at byte 1"',
            'nil, "bad certificate: DER: truncated value at byte 3"',
            'nil, "bad length"', 'nil, "truncated value"', 'nil, "truncated header"',
            "ERROR DER: truncated value at byte 3", None, '{"commonName"="hostile.lab"}',
            "integer:3", "ERROR DNS name too long", '""', '"abcde"', '"ab"',
            '"2:abcde 11:x 14:"']
    assert len(got) == len(want), got
    for g, w in zip(got, want):
        assert w is None or g == w, (g, w)
    assert got[7].count('"tag"=integer:4') == 2


def vulns_view(exe, tmp_path, args):
    """nk-vulns's host-script lines (sorted: the IDs and references come
    in Lua's hash order, which nmap's state randomises; the IDs line's
    items sorted too) and its XML table in canonical form."""
    from test_nmap_nse import blocks, canon
    x = str(tmp_path / (os.path.basename(os.path.dirname(os.path.dirname(exe))) + ".xml"))
    r = run(["unshare", "--net", exe, "-sn", "-Pn", "-n", "--script",
             os.path.join(HERE, "nse", "nk-vulns.nse"), "--script-args", args, "127.0.0.1",
             "-oX", x], timeout=60)
    assert r.returncode == 0, r.stderr

    def norm(l):
        if l.strip().startswith("IDs:"):
            return "IDs: " + " ".join(sorted(l.split()[1:]))
        return l
    text = {k: sorted(norm(l) for l in v) for k, v in blocks(r.stdout).items()}
    xs = {}
    for s in ET.parse(x).getroot().iter("script"):
        xs[s.get("id")] = (sorted(norm(l) for l in s.get("output").split("\n")), canon(s))
    return text, xs


@pytest.mark.parametrize("args", ["nk-vulns.which=a", "nk-vulns.which=b", "nk-vulns.which=d",
                                  "nk-vulns.which=e", "nk-vulns.which=c",
                                  "nk-vulns.which=c,vulns.showall",
                                  "nk-vulns.which=b+d+c,nk-vulns.add=1",
                                  "nk-vulns.which=b+d+c,nk-vulns.add=1,vulns.showall"])
def test_vulns_report_like_nmap(args, tmp_path):
    """vulns.Report:make_output: nmap's VULNERABLE: layout (state, IDs,
    risk and scores, description, dates, check and exploit results, extra
    information, references built from the IDs), the XML table keyed by
    the CVE (or NMAP-n), and nothing for a not-vulnerable finding unless
    vulns.showall; several findings added with add_vulns, then
    make_output(), one after another with nmap's blank line between."""
    ours = vulns_view(NMAP, tmp_path, args)
    theirs = vulns_view(oracle("nmap"), tmp_path, args)
    assert ours == theirs
    if "which=c," not in args and "which=c" in args:
        assert ours[0] == {}
    else:
        assert ours[0]


BRUTE = os.path.join(CASES, "brute")


@pytest.mark.parametrize("extra", ["", ",brute.firstonly", ",brute.mode=user", ",brute.guesses=2",
                                   ",brute.passonly", ",nk-brute.title=Things",
                                   ",brute.mode=creds,brute.credfile=" + BRUTE + "/creds.lst"])
def test_brute_engine_like_nmap(extra, tmp_path):
    """brute.Engine with nk-brute's offline driver: the accounts found (a
    locked one, an empty password), in nmap's order and layout, and the
    number of guesses (retries not counted, invalid and found accounts
    dropped, per mode); only the seconds and the rate are masked."""
    from test_nmap_nse import blocks, canon
    args = ("userdb=%s/users.lst,passdb=%s/pass.lst" % (BRUTE, BRUTE)) + extra
    got = []
    for exe in (NMAP, oracle("nmap")):
        x = str(tmp_path / "brute.xml")
        r = run(["unshare", "--net", exe, "-sn", "-Pn", "-n", "--script",
                 os.path.join(HERE, "nse", "nk-brute.nse"), "--script-args", args, "127.0.0.1",
                 "-oX", x], timeout=60)
        assert r.returncode == 0, r.stderr
        mask = lambda s: re.sub(r"in \d+ seconds, average tps: [\d.]+", "in S seconds", s)
        s = ET.parse(x).getroot().find(".//hostscript/script")
        got.append((mask("\n".join(l for l in r.stdout.splitlines() if l.startswith("|"))),
                    mask(s.get("output")), mask(repr(canon(s)))))
    assert got[0] == got[1]
    assert "Statistics: Performed" in got[0][0]
