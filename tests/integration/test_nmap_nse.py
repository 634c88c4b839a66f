# SPDX-License-Identifier: Apache-2.0
"""The script engine (--script, -sC, --script-args, --script-help) side by
side with nmap 7.93, offline: each run gets a network namespace of its own
whose loopback has an HTTP server on 8000 (nse_local.sh), and the scripts
are netkit's test scripts in tests/integration/nse/ (ours; nmap runs them
too). Script results are compared per port and script id; a table's keys
come in Lua's hash order, which nmap's state randomises, so lines are
compared as sets there. The selection tests give both tools one data
directory holding the same scripts (nmap reads its script.db there).

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_nse tests/integration
"""
import os
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN, TOP, oracle, run
from nsefix import link_engine

NMAP = os.path.join(NETKIT_BIN, "nmap")
HERE = os.path.dirname(os.path.abspath(__file__))
LOCAL = os.path.join(HERE, "nse_local.sh")
SDIR = os.path.join(HERE, "nse")
DTD = "/usr/share/nmap/nmap.dtd"
OUT_SCRIPTS = ["nk-out-table", "nk-out-lines", "nk-out-both", "nk-out-bytes", "nk-out-empty",
               "nk-sock", "nk-sync"]


def script(name):
    return os.path.join(SDIR, name + ".nse")


def both(argv, tmp_path, timeout=60):
    """Run netkit's and nmap's nmap with argv (-oX into tmp_path)."""
    res = {}
    for tool, exe in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        x = str(tmp_path / (tool + ".xml"))
        r = run(["unshare", "--net", LOCAL, exe] + argv + ["-oX", x], timeout=timeout)
        res[tool] = (r, x)
    return res


def blocks(stdout):
    """{(port or 'host' or 'pre'/'post', id): [lines]} from the normal output."""
    out, where, cur = {}, None, None
    for line in stdout.splitlines():
        m = re.match(r"(\d+)/(tcp|udp)\s", line)
        if m:
            where = m.group(1) + "/" + m.group(2)
            continue
        if line == "Host script results:":
            where = "host"
            continue
        if line.startswith("Pre-scan script results:"):
            where = "pre"
            continue
        if line.startswith("Post-scan script results:"):
            where = "post"
            continue
        if not line.startswith("|"):
            cur = None
            continue
        body = line[2:]
        m = re.match(r"([\w.-]+): ?(.*)", body)
        if cur is None or (line.startswith(("| ", "|_")) and m and cur[2]):
            cur = [where, m.group(1), False]
            out[(cur[0], cur[1])] = [m.group(2)]
        else:
            out[(cur[0], cur[1])].append(body)
        cur[2] = line.startswith("|_")
    return {k: sorted(v) for k, v in out.items()}


def canon(elem):
    """A <script>'s or <table>'s children as a sorted, comparable form."""
    items = []
    for c in elem:
        if c.tag == "elem":
            items.append(("elem", c.get("key"), c.text or ""))
        elif c.tag == "table":
            items.append(("table", c.get("key"), canon(c)))
    return tuple(sorted(items, key=repr))


def xml_scripts(path):
    root = ET.parse(path).getroot()
    out = {}
    for port in root.iter("port"):
        for s in port.findall("script"):
            key = (port.get("portid") + "/" + port.get("protocol"), s.get("id"))
            out[key] = (sorted(s.get("output").split("\n")), canon(s))
    for tag, where in (("hostscript", "host"), ("prescript", "pre"), ("postscript", "post")):
        for hs in root.iter(tag):
            for s in hs.findall("script"):
                out[(where, s.get("id"))] = (sorted(s.get("output").split("\n")), canon(s))
    return out


def test_script_output_like_nmap(tmp_path):
    """Strings, lines, tables nested and keyed, (table, string), control
    bytes, Lua 5.3 numbers, an empty table, socket I/O and its errors,
    mutex/condvar/new_try/registry: the same in normal output and XML."""
    sel = ",".join(script(s) for s in OUT_SCRIPTS)
    res = both(["-Pn", "-p8000,8001", "--script", sel, "127.0.0.1"], tmp_path)
    ours, theirs = res["netkit"][0], res["nmap"][0]
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    a, b = blocks(ours.stdout), blocks(theirs.stdout)
    assert a == b
    assert ("8000/tcp", "nk-sock") in a and ("host", "nk-sync") in a
    assert xml_scripts(res["netkit"][1]) == xml_scripts(res["nmap"][1])
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, res["netkit"][1]])
    assert v.returncode == 0, v.stderr


def test_script_debug_lines_like_nmap(tmp_path):
    """-d's NSE lines (Using Lua, Loaded, Pre-scanning, runlevels, Starting
    and Finished per script and target) and -v's Initiating/Completed NSE."""
    sel = script("nk-out-lines") + "," + script("nk-out-both")
    res = both(["-Pn", "-p8000", "-d", "--script", sel, "127.0.0.1"], tmp_path)

    def nse_lines(out):
        keep = [re.sub(r"\d\d:\d\d(, [\d.]+s elapsed)?", "T", l) for l in out.splitlines()
                if l.startswith(("NSE: ", "Initiating NSE", "Completed NSE"))]
        return keep

    # the order scripts start in is the scheduler's (nmap's follows a hash)
    assert sorted(nse_lines(res["netkit"][0].stdout)) == sorted(nse_lines(res["nmap"][0].stdout))


def test_script_overrides_sC_like_nmap(tmp_path):
    """-sC with --script runs only the --script selection (nmap adds the
    default category only when --script is not given)."""
    res = both(["-Pn", "-p8000", "-v", "-sC", "--script", script("nk-out-lines"),
                "127.0.0.1"], tmp_path)
    for tool in ("netkit", "nmap"):
        assert "NSE: Loaded 1 scripts for scanning." in res[tool][0].stdout, tool


def test_set_port_version_like_nmap(tmp_path):
    """nmap.set_port_version: what the script put in port.version is the
    port's service in the outputs (table and XML), over -sV's answer."""
    res = both(["-Pn", "-sV", "-p8000", "--script", script("nk-setver"), "127.0.0.1"], tmp_path)

    def row(out):
        return [re.sub(r" +", " ", l) for l in out.splitlines() if l.startswith("8000/tcp")]

    def svc(path):
        s = ET.parse(path).getroot().find(".//port/service")
        return {k: s.get(k) for k in ("name", "product", "version", "extrainfo")}
    a, b = (row(res[t][0].stdout) for t in ("netkit", "nmap"))
    assert a == b == ["8000/tcp open nk-svc nk product 1.2 (set by a script)"]
    assert svc(res["netkit"][1]) == svc(res["nmap"][1])


def test_script_trace_like_nmap(tmp_path):
    """--script-trace: nmap's NSE lines for a script's socket (CONNECT,
    data sent and received as hex dumps, SEND, CLOSE; a refused connect
    then CLOSE), local ports masked; nmap's own NSOCK lines (its I/O
    library's) are not netkit's."""
    res = both(["-Pn", "-p8000", "--script", script("nk-sock"), "--script-trace", "127.0.0.1"],
               tmp_path)

    def trace(out):
        lines = [re.sub(r"127\.0\.0\.1:\d+ ([<>])", r"127.0.0.1:P \1", l)
                 for l in out.splitlines() if l.startswith("NSE: ")]
        rows = len([l for l in out.splitlines() if re.match(r"^[0-9a-f]{8}: ", l)])
        return lines, rows
    a, b = (trace(res[t][0].stdout) for t in ("netkit", "nmap"))
    assert a == b
    assert "NSE: TCP 127.0.0.1:P > 127.0.0.1:8001 | CLOSE" in a[0]


def test_script_args_like_nmap(tmp_path):
    """--script-args: words, quoted values, tables, nesting, positional
    words, empty values; the registry and stdnse.get_script_args agree."""
    for args in ["a=1,b=two", 'a={x,y,k=v},nk-args.c="q,uoted"', "b='s q'", "",
                 "x=1,,y=2", "x", "a={b={c=d}}", "a= spaced ,b=2",
                 # trailing commas and empty braces hold an empty element
                 "x=1,", "x=1,,", "a={b,},d=2,", "a={}", "a={{},}"]:
        res = both(["-sn", "-Pn", "--script", script("nk-args"), "--script-args", args,
                    "127.0.0.1"], tmp_path)
        a, b = (blocks(res[t][0].stdout).get(("pre", "nk-args")) for t in ("netkit", "nmap"))
        assert a == b and a, args


def test_script_args_file_like_nmap(tmp_path):
    """--script-args-file (netkit did not know the option): arguments one
    a line or comma-separated, those of --script-args superseding them,
    and nmap's message for a file that is not there."""
    f = tmp_path / "args.txt"
    f.write_text("a=1\nb=two,nk-args.c=\"q,uoted\"\n")
    for extra in ([], ["--script-args", "a=9"]):
        res = both(["-sn", "-Pn", "--script", script("nk-args"), "--script-args-file", str(f)]
                   + extra + ["127.0.0.1"], tmp_path)
        a, b = (blocks(res[t][0].stdout).get(("pre", "nk-args")) for t in ("netkit", "nmap"))
        assert a == b and a, extra
    argv = ["-sn", "-Pn", "--script", script("nk-args"), "--script-args-file",
            str(tmp_path / "nosuch"), "127.0.0.1"]
    ours = run(["unshare", "--net", LOCAL, NMAP] + argv)
    theirs = run(["unshare", "--net", LOCAL, oracle("nmap")] + argv)
    assert ours.returncode == theirs.returncode == 1
    msg = "no path to file/directory: %s is not a file" % (tmp_path / "nosuch")
    assert msg in ours.stderr and msg in theirs.stderr


def test_script_args_that_do_not_parse():
    for argv in (["--script-args", "{"],):
        ours = run(["unshare", "--net", LOCAL, NMAP, "-sn", "-Pn", "--script",
                    script("nk-args")] + argv + ["127.0.0.1"])
        theirs = run(["unshare", "--net", LOCAL, oracle("nmap"), "-sn", "-Pn", "--script",
                      script("nk-args")] + argv + ["127.0.0.1"])
        assert ours.returncode == theirs.returncode == 1
        for r in (ours, theirs):
            assert "arguments did not parse!" in r.stderr and "QUITTING!" in r.stderr


@pytest.mark.parametrize("sel", ["nosuch", "nosuch.nse", "safe and nosuch-glob*"])
def test_selection_matching_nothing(sel):
    ours = run([NMAP, "--script", sel, "-sn", "-Pn", "127.0.0.1"])
    theirs = run(["unshare", "--net", oracle("nmap"), "--script", sel, "-sn", "-Pn",
                  "127.0.0.1"])
    assert ours.returncode == theirs.returncode == 1
    msg = lambda r: re.findall(r"'.*' did not match a category, filename, or directory",
                               r.stderr)
    assert msg(ours) and msg(ours) == msg(theirs), (ours.stderr, theirs.stderr)
    assert "QUITTING!" in ours.stderr and "scan report" not in ours.stdout


def test_script_help_layout_like_nmap():
    """--script-help of our test script: nmap's layout line by line (the
    documentation line is netkit's own wording)."""
    ours = run([NMAP, "--script-help", script("nk-sock")])
    theirs = run([oracle("nmap"), "--script-help", script("nk-sock")])
    assert ours.returncode == theirs.returncode == 0
    strip = lambda s: [l for l in s.splitlines()[1:] if "://" not in l and "documentation" not in l]
    assert strip(ours.stdout) == strip(theirs.stdout)
    assert "netkit" in ours.stdout.splitlines()[0]


@pytest.fixture(scope="module")
def datadir(tmp_path_factory):
    """One directory both tools read: scripts/ with our test scripts and
    nmap's script.db of them; netkit's nse/ and nmap/ beside."""
    d = tmp_path_factory.mktemp("nsedata")
    sd = d / "scripts"
    sd.mkdir()
    db = []
    for f in sorted(os.listdir(SDIR)):
        src = open(os.path.join(SDIR, f)).read()
        (sd / f).write_text(src)
        cats = re.search(r"categories\s*=\s*\{([^}]*)\}", src).group(1)
        cats = re.findall(r'"([^"]+)"', cats)
        db.append('Entry { filename = "%s", categories = { %s, } }' %
                  (f, ", ".join('"%s"' % c for c in cats)))
    (sd / "script.db").write_text("\n".join(db) + "\n")
    link_engine(d, sd)
    return str(d)


def helped(exe, datadir, sel):
    r = run([exe, "--datadir", datadir, "--script-help", sel])
    lines = r.stdout.splitlines()
    names = [lines[i] for i in range(len(lines) - 1) if lines[i + 1].startswith("Categories:")]
    return r.returncode, sorted(names)


@pytest.mark.parametrize("sel", [
    "safe", "all", "nk-out-*", "safe and not nk-sock", "(nk-out-table or nk-sync) and safe",
    "nk-sock,nk-sync", "+nk-sock", "not safe", "nk-out-lines.nse", "NK-SOCK", "SAFE", "NK-*",
    "nk-out-* or nk-args", "nk-sock, nk-sync",
])
def test_selection_like_nmap(datadir, sel):
    a = helped(NMAP, datadir, sel)
    b = helped(oracle("nmap"), datadir, sel)
    assert a == b, sel


def test_runaway_script_is_stopped(tmp_path):
    """Beyond nmap: a loop that never yields and a script that only
    allocates are stopped (the limits lowered through --script-args);
    the scan goes on and says the script failed."""
    sel = script("nk-runaway") + "," + script("nk-hog") + "," + script("nk-out-lines")
    r = run(["unshare", "--net", LOCAL, NMAP, "-Pn", "-p8000", "--script", sel, "--script-args",
             "netkit.max-instructions=2000000,netkit.max-memory=4000000", "127.0.0.1"],
            timeout=60)
    assert r.returncode == 0, r.stderr
    b = blocks(r.stdout)
    fail = ["ERROR: Script execution failed (use -d to debug)"]
    assert b[("pre", "nk-runaway")] == fail and b[("pre", "nk-hog")] == fail
    assert ("8000/tcp", "nk-out-lines") in b
    d = run(["unshare", "--net", LOCAL, NMAP, "-Pn", "-p8000", "-d", "--script",
             script("nk-runaway"), "--script-args", "netkit.max-instructions=2000000",
             "127.0.0.1"], timeout=60)
    assert "runaway script stopped" in d.stdout


def test_script_timeout_like_nmap(tmp_path):
    """--script-timeout stops a script waiting (an hour's sleep) as nmap
    does: no result, -d's 'timed out' and 'Set script-timeout' lines."""
    res = both(["-Pn", "-p8000", "-d", "--script-timeout", "1s", "--script",
                script("nk-sleeper"), "127.0.0.1"], tmp_path)

    def lines(out):
        return sorted(l for l in out.splitlines()
                      if l.startswith("NSE: ") and "Arguments" not in l)

    a, b = (lines(res[t][0].stdout) for t in ("netkit", "nmap"))
    assert a == b
    assert "NSE: nk-sleeper against 127.0.0.1:8000 timed out" in a
    assert blocks(res["netkit"][0].stdout) == blocks(res["nmap"][0].stdout) == {}


def test_script_timeout_stops_cpu_loop(tmp_path):
    """Beyond nmap (which cannot interrupt a script that never yields):
    a busy loop, with the instruction limit raised out of the way, is
    stopped at --script-timeout; the scan ends and other results stay."""
    sel = script("nk-runaway") + "," + script("nk-out-lines")
    r = run(["unshare", "--net", LOCAL, NMAP, "-Pn", "-p8000", "-d", "--script-timeout", "1",
             "--script-args", "netkit.max-instructions=1000000000000000", "--script", sel,
             "127.0.0.1"], timeout=60)
    assert r.returncode == 0, r.stderr
    assert "NSE: nk-runaway timed out" in r.stdout.splitlines()
    got = blocks(r.stdout)
    assert ("pre", "nk-runaway") not in got and ("8000/tcp", "nk-out-lines") in got


@pytest.mark.parametrize("arg", ["foo", "-1", "1x"])
def test_script_timeout_bogus_like_nmap(arg):
    res = [run([exe, "--script-timeout", arg, "127.0.0.1"])
           for exe in (NMAP, oracle("nmap"))]
    assert (res[0].returncode, res[0].stderr) == (res[1].returncode, res[1].stderr)


def test_http_scripts_like_nmap(tmp_path):
    """netkit's HTTP scripts of nmap's names against Python's http.server
    (offline): the same results per port and script id, the Date masked."""
    sel = ("http-headers,http-methods,http-date,http-ls,http-title,http-auth,http-trace,"
           "http-robots.txt,http-generator,http-open-proxy")
    res = both(["-Pn", "-p8000,8001", "--script", sel, "127.0.0.1"], tmp_path)

    def view(out):
        def mask(l):
            l = re.sub(r"\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT", "DATE", l)
            return re.sub(r"; -?\w+ from local time\.$", "; DELTA from local time.", l)
        return {k: [mask(l) for l in v] for k, v in blocks(out).items()}

    a, b = (view(res[t][0].stdout) for t in ("netkit", "nmap"))
    assert a == b
    assert ("8000/tcp", "http-headers") in a and ("8000/tcp", "http-date") in a


def help_pairs(text):
    """--script-help's (name, Categories line) pairs, and its layout checked:
    the name (after a blank line or the last script's description, as
    nmap's, whose descriptions may end without a newline), Categories,
    where the documentation is, then the description indented two spaces."""
    lines = text.splitlines()
    pairs = []
    for i, l in enumerate(lines):
        if l.startswith("Categories: "):
            assert (lines[i - 2] == "" or lines[i - 2].startswith("  ")) and re.match(r"^[\w.-]+$", lines[i - 1]), lines[i - 2:i]
            assert lines[i + 2].startswith("  ") or lines[i + 2] == "", lines[i + 1:i + 3]
            pairs.append((lines[i - 1], l))
    return pairs


OUR_SCRIPTS = sorted(n[:-4] for n in os.listdir(os.path.join(TOP, "data", "nse", "scripts"))
                     if n.endswith(".nse"))


@pytest.mark.parametrize("expr", [",".join(OUR_SCRIPTS), ",".join(reversed(OUR_SCRIPTS)),
                                  "default", "fuzzer",
                                  "ssl-* or ssh-*", "(default or discovery) and not http-*",
                                  "version"])
def test_script_help_our_scripts_like_nmap(expr):
    """--script-help on netkit's scripts of nmap's names: each has nmap's
    name and categories, in nmap's layout; an expression selects the same
    of them as nmap's selects of its own (nmap has more scripts)."""
    ours = run([NMAP, "--script-help", expr])
    theirs = run([oracle("nmap"), "--script-help", expr])
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    a, b = help_pairs(ours.stdout), help_pairs(theirs.stdout)
    assert a, expr
    assert a == [p for p in b if p[0] in OUR_SCRIPTS]


def test_script_results_in_json(tmp_path):
    """-oJ (netkit's) carries each script's result: id, the output text as
    the XML's output attribute has it, and the returned tables as JSON
    (an array for a list, an object otherwise)."""
    import json
    sel = ",".join(script(s) for s in OUT_SCRIPTS)
    x, j = str(tmp_path / "o.xml"), str(tmp_path / "o.json")
    r = run(["unshare", "--net", LOCAL, NMAP, "-Pn", "-p8000,8001", "--script", sel,
             "-oX", x, "-oJ", j, "127.0.0.1"], timeout=60)
    assert r.returncode == 0, r.stderr
    want = {}
    for port in ET.parse(x).getroot().iter("port"):
        for s in port.findall("script"):
            want[(port.get("portid"), s.get("id"))] = s.get("output")
    for hs in ET.parse(x).getroot().iter("hostscript"):
        for s in hs.findall("script"):
            want[("host", s.get("id"))] = s.get("output")
    got = {}
    for line in open(j):
        if not line.startswith("{"):
            continue
        h = json.loads(line)
        for p in h.get("ports", []):
            for s in p.get("scripts", []):
                got[(str(p["portid"]), s["id"])] = s["output"]
        for s in h.get("hostscripts", []):
            got[("host", s["id"])] = s["output"]
    assert got == want and got
    tables = [s for line in open(j) if line.startswith("{")
              for p in json.loads(line).get("ports", []) for s in p.get("scripts", [])
              if s["id"] == "nk-out-table"]
    assert tables and isinstance(tables[0]["elements"], (dict, list))


def test_failing_tostring_fails_only_its_script(tmp_path):
    """A result whose __tostring raises an error is that script's error;
    the scan ends and the other scripts' results are shown."""
    sel = script("nk-out-badstr") + "," + script("nk-out-lines")
    r = run(["unshare", "--net", LOCAL, NMAP, "-Pn", "-p8000", "--script", sel, "127.0.0.1"],
            timeout=60)
    assert r.returncode == 0, r.stderr
    got = blocks(r.stdout)
    assert got[("8000/tcp", "nk-out-badstr")] == ["ERROR: Script execution failed (use -d to debug)"]
    assert ("8000/tcp", "nk-out-lines") in got


def test_script_directory_like_nmap(tmp_path):
    """--script DIR/: an empty directory selects no script (netkit's
    nk.listdir handed qsort a NULL array there: UBSan's nonnull report,
    found by scan-build); a directory named without its '/' is refused in
    nmap's words. Same exit codes and host lines as nmap."""
    d = tmp_path / "empty"
    d.mkdir()
    argv = ["-sn", "-Pn", "--script", str(d) + "/", "127.0.0.1"]
    ours = run(["unshare", "--net", LOCAL, NMAP] + argv)
    theirs = run(["unshare", "--net", LOCAL, oracle("nmap")] + argv)
    assert "runtime error" not in ours.stderr and "Sanitizer" not in ours.stderr
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    pick = lambda out: [l for l in out.splitlines() if l.startswith(("Nmap scan", "Host is"))]
    assert pick(ours.stdout) == pick(theirs.stdout) != []
    argv[3] = str(d)
    ours = run(["unshare", "--net", LOCAL, NMAP] + argv)
    theirs = run(["unshare", "--net", LOCAL, oracle("nmap")] + argv)
    want = f"directory '{d}' found, but will not match without '/'"
    assert ours.returncode == theirs.returncode == 1
    assert want in ours.stdout + ours.stderr and want in theirs.stdout + theirs.stderr
