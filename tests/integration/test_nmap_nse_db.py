# SPDX-License-Identifier: Apache-2.0
"""--script-updatedb and script.db side by side with nmap 7.93, offline:
both tools get one data directory (scripts/ for nmap, nse/scripts/ the
same directory for netkit) holding netkit's test scripts; the database
each writes, its messages and exit status, and the selections a
hand-written script.db gives must be the same.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_nse_db tests/integration
"""
import os
import re

from conftest import NETKIT_BIN, oracle, run
from nsefix import link_engine

NMAP = os.path.join(NETKIT_BIN, "nmap")
HERE = os.path.dirname(os.path.abspath(__file__))
SDIR = os.path.join(HERE, "nse")


def datadir(tmp_path, names):
    d = tmp_path / "data"
    sd = d / "scripts"
    sd.mkdir(parents=True)
    for n in names:
        (sd / (n + ".nse")).write_text(open(os.path.join(SDIR, n + ".nse")).read())
    link_engine(d, sd)
    return d


def updatedb(exe, d):
    db = d / "scripts" / "script.db"
    if db.exists():
        db.unlink()
    r = run([exe, "--datadir", str(d), "--script-updatedb"], cwd=str(d))
    text = db.read_text() if db.exists() else None
    lines = [l for l in r.stdout.splitlines() if l.startswith("NSE:")]
    return r.returncode, lines, text


def test_updatedb_like_nmap(tmp_path):
    """The same script.db (entries in file-name order, categories lower-
    cased in the order nmap gives them), the same two NSE lines, exit status 0; and a
    script with categories in mixed case and order."""
    d = datadir(tmp_path, ["nk-sock", "nk-args", "nk-vulns", "nk-out-table"])
    (d / "scripts" / "Zz-mixed.nse").write_text(
        'description = "x"\ncategories = {"safe", "Discovery", "default"}\n'
        "portrule = function() return false end\naction = function() end\n")
    ours, theirs = updatedb(NMAP, d), updatedb(oracle("nmap"), d)
    assert ours == theirs
    assert ours[0] == 0 and ours[1] == ["NSE: Updating rule database.",
                                        "NSE: Script Database updated successfully."]
    assert 'Entry { filename = "Zz-mixed.nse", categories = { "discovery", "default", ' \
           '"safe", } }' in ours[2]


def test_updatedb_bad_script_like_nmap(tmp_path):
    """A script that does not compile stops the rebuild: exit status 1 and
    nmap's 'failed to initialize the script engine' with Lua's error."""
    d = datadir(tmp_path, ["nk-sock"])
    (d / "scripts" / "broken.nse").write_text("not lua (\n")
    for exe in (NMAP, oracle("nmap")):
        r = run([exe, "--datadir", str(d), "--script-updatedb"], cwd=str(d))
        assert r.returncode == 1, exe
        assert "NSE: failed to initialize the script engine:" in r.stderr, exe
        assert "broken.nse:1: unexpected symbol near 'not'" in r.stderr, exe
        assert "QUITTING!" in r.stderr


def helped(exe, d, sel):
    r = run([exe, "--datadir", str(d), "--script-help", sel], cwd=str(d))
    lines = r.stdout.splitlines()
    names = [lines[i] for i in range(len(lines) - 1) if lines[i + 1].startswith("Categories:")]
    return r.returncode, sorted(names), re.findall(r"'.*' did not match[^\n]*", r.stderr)


def test_selection_reads_script_db_like_nmap(tmp_path):
    """Categories, globs and 'all' select over script.db as nmap's do: a
    category the database gives and the script does not declare counts, a
    script missing from the database is not selected by category or glob
    but still by its name."""
    d = datadir(tmp_path, ["nk-sock", "nk-args", "nk-sync", "nk-out-lines"])
    (d / "scripts" / "script.db").write_text(
        'Entry { filename = "nk-sock.nse", categories = { "vuln", } }\n'
        'Entry { filename = "nk-args.nse", categories = { "safe", "intrusive", } }\n'
        'Entry { filename = "nk-out-lines.nse", categories = { "safe", } }\n')
    for sel in ["vuln", "safe", "intrusive", "all", "nk-*", "nk-sync", "nk-sync.nse",
                "safe or vuln", "not vuln", "nk-sock"]:
        a, b = helped(NMAP, d, sel), helped(oracle("nmap"), d, sel)
        assert a == b, sel
    assert helped(NMAP, d, "vuln")[1] == ["nk-sock"]


def test_phase_results_in_json(tmp_path):
    """-oJ carries the pre- and post-scan results, each phase as a line of
    its own ({"prescript": [...]}, {"postscript": [...]}), the same
    outputs the XML's <prescript>/<postscript> hold; nmap prints the
    post-scan block as netkit does."""
    import json
    import xml.etree.ElementTree as ET
    sel = os.path.join(SDIR, "nk-args.nse") + "," + os.path.join(SDIR, "nk-post.nse")
    x, j = str(tmp_path / "o.xml"), str(tmp_path / "o.json")
    argv = ["-sn", "-Pn", "-n", "--script", sel, "--script-args", "a=1", "127.0.0.1"]
    r = run(["unshare", "--net", NMAP] + argv + ["-oX", x, "-oJ", j], timeout=60)
    assert r.returncode == 0, r.stderr
    want = {}
    for tag in ("prescript", "postscript"):
        for el in ET.parse(x).getroot().iter(tag):
            for s in el.findall("script"):
                want[(tag, s.get("id"))] = s.get("output")
    got, elements = {}, {}
    for line in open(j):
        obj = json.loads(line)
        for tag in ("prescript", "postscript"):
            for s in obj.get(tag, []):
                got[(tag, s["id"])] = s["output"]
                elements[s["id"]] = s.get("elements")
    assert got == want and ("postscript", "nk-post") in got and ("prescript", "nk-args") in got
    assert elements["nk-post"] == {"phase": "post", "items": ["one", "two"]}
    theirs = run(["unshare", "--net", oracle("nmap")] + argv, timeout=60)
    post = lambda out: out[out.find("Post-scan script results:"):].splitlines()[:5]
    assert post(r.stdout) == post(theirs.stdout)


def test_set_port_version_without_sV_like_nmap(tmp_path):
    """nmap.set_port_version with no -sV: nmap makes the port's service
    record anyway; the table names the port (no VERSION column), the XML
    has the product, version and extrainfo (method probed, conf 10), the
    grepable line the version field; the other port keeps its table name."""
    import xml.etree.ElementTree as ET
    local = os.path.join(HERE, "nse_local.sh")
    got = []
    for exe in (NMAP, oracle("nmap")):
        x, g = str(tmp_path / "o.xml"), str(tmp_path / "o.gnmap")
        r = run(["unshare", "--net", local, exe, "-Pn", "-p8000,8001", "--script",
                 os.path.join(SDIR, "nk-setver.nse"), "127.0.0.1", "-oX", x, "-oG", g],
                timeout=60)
        assert r.returncode == 0, r.stderr
        rows = [re.sub(r" +", " ", l) for l in r.stdout.splitlines()
                if l.startswith(("PORT", "8000/", "8001/"))]
        svcs = [dict(s.attrib) for s in ET.parse(x).getroot().iter("service")]
        ports = [l.split("Ports: ", 1)[1] for l in open(g) if "Ports: " in l]
        got.append((rows, svcs, ports))
    assert got[0] == got[1]
    assert got[0][0][1] == "8000/tcp open nk-svc"


def test_ping_scan_host_scripts_layout_like_nmap():
    """-sn with scripts: nmap's whole report, each host ended by a blank
    line (netkit had none) whether a host script printed (b) or not (c,
    and a pre-scan script alone); without scripts, none (as nmap)."""
    def report(exe, args, script="nk-vulns"):
        sel = ["--script", os.path.join(SDIR, script + ".nse")] if script else []
        r = run(["unshare", "--net", exe, "-sn", "-Pn", "-n"] + sel + ["--script-args", args,
                 "127.0.0.1"], timeout=60)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()[1:]  # past the Starting line
        return [re.sub(r"scanned in [\d.]+ seconds", "scanned in T", l) for l in lines]
    for args, script in (("nk-vulns.which=b", "nk-vulns"), ("nk-vulns.which=c", "nk-vulns"),
                         ("a=1", "nk-args"), ("a=1", None)):
        assert report(NMAP, args, script) == report(oracle("nmap"), args, script), args


def test_script_globals_like_nmap():
    """A script sees nmap and lpeg as globals without require, as nmap's
    scripts do (other libraries only through require)."""
    outs = []
    for exe in (NMAP, oracle("nmap")):
        r = run(["unshare", "--net", exe, "-sn", "-Pn", "-n", "--script",
                 os.path.join(SDIR, "nk-globals.nse"), "127.0.0.1"], timeout=60)
        outs.append([l for l in r.stdout.splitlines() if l.startswith("|")])
    assert outs[0] == outs[1] == ["|_nk-globals: nmap=table stdnse=nil shortport=nil http=nil "
                                  "lpeg=table"]
