# SPDX-License-Identifier: Apache-2.0
"""nmap's version-category scripts that netkit writes itself, run side by
side with nmap 7.93's scripts of the same name against small stand-ins
for services no Debian daemon provides (fake_services.py, on the loopback
of a network namespace of its own: fake_local.sh). Results are compared
per port and script id, in normal output and in XML (tables as sets).

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_version_scripts tests/integration
"""
import os
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import oracle, run
from test_nmap_nse import NMAP, blocks, xml_scripts

HERE = os.path.dirname(os.path.abspath(__file__))
LOCAL = os.path.join(HERE, "fake_local.sh")


def both(kinds, argv, tmp_path, timeout=90):
    res = {}
    for tool, exe in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        x = str(tmp_path / (tool + ".xml"))
        r = run(["unshare", "--net", LOCAL, kinds, exe] + argv + ["-oX", x], timeout=timeout)
        res[tool] = (r, x)
    return res


# (fake services, nmap arguments, script ids that must give a result)
CASES = {
    "rpcinfo": ("rpc", ["-p", "T:111", "--script", "rpcinfo"], ["rpcinfo"]),
    "drda-info": ("drda", ["-p", "T:50000", "--script", "drda-info"], ["drda-info"]),
    "xmpp-info": ("xmpp", ["-p", "T:5222", "--script", "xmpp-info"], ["xmpp-info"]),
    "s7-info": ("s7", ["-p", "T:102", "--script", "s7-info"], ["s7-info"]),
    "omron-info": ("fins", ["-sU", "-p", "U:9600", "--script", "omron-info"], ["omron-info"]),
    "maxdb-info": ("maxdb", ["-p", "7210", "--script", "maxdb-info"], ["maxdb-info"]),
    "ventrilo-info": ("ventrilo", ["-sU", "-p", "U:3784", "--script", "ventrilo-info"],
                      ["ventrilo-info"]),
    "wdb-version": ("wdb", ["-sU", "-p", "U:17185", "--script", "wdb-version"], ["wdb-version"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_version_script_like_nmap(case, tmp_path):
    kinds, argv, ids = CASES[case]
    res = both(kinds, ["-Pn"] + argv + ["127.0.0.1"], tmp_path)
    (a, ax), (b, bx) = res["netkit"], res["nmap"]
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    ours, theirs = blocks(a.stdout), blocks(b.stdout)
    for sid in ids:
        assert any(k[1] == sid for k in theirs), ("nmap gave no result", sid, b.stdout)
    assert ours == theirs, (a.stdout, b.stdout)
    assert xml_scripts(ax) == xml_scripts(bx)
    assert xml_ports(ax) == xml_ports(bx)


def xml_ports(path):
    """Each port's state and reason, and its service as the scripts left it
    (nmap.set_port_state, nmap.set_port_version)."""
    out = {}
    for port in ET.parse(path).getroot().iter("port"):
        st, sv = port.find("state"), port.find("service")
        out[port.get("portid") + "/" + port.get("protocol")] = (
            dict(st.attrib), dict(sv.attrib) if sv is not None else None)
    return out


@pytest.mark.parametrize("script", ["nk-setver", "nk-setver-soft"])
def test_set_port_version_fingerprint_like_nmap(script, tmp_path):
    """A port -sV could not name (a greeting no table knows), named by a
    script through nmap.set_port_version: "hardmatched" drops its service
    fingerprint and the "unrecognized despite returning data" paragraph,
    "softmatched" keeps both (nmap 7.93's rule, observed); either way the
    port is the script's, method probed, confidence 10."""
    path = os.path.join(HERE, "nse", script + ".nse")
    res = both("odd", ["-Pn", "-sV", "-p", "8000", "--script", path, "127.0.0.1"], tmp_path)

    def view(r, x):
        s = ET.parse(x).getroot().find(".//port/service")
        row = [re.sub(r" +", " ", l) for l in r.stdout.splitlines() if l.startswith("8000/")]
        return (row, "unrecognized despite returning data" in r.stdout,
                {k: s.get(k) for k in ("name", "product", "method", "conf")},
                s.get("servicefp") is not None)
    a, b = view(*res["netkit"]), view(*res["nmap"])
    assert a == b
    assert a[1] == a[3] == (script == "nk-setver-soft")


# (fake services, nmap arguments, port): a version script that names the
# port (nmap.set_port_version) and prints nothing; -sV, whose own probes
# neither tool's table answers here
NAMING = {
    "oracle-tns-version": ("tns", ["-p", "1521"], "1521/tcp"),
    "ndmp-version": ("ndmp", ["-p", "10000"], "10000/tcp"),
    "rpc-grind": ("rpc", ["-p", "2049"], "2049/tcp"),
}


@pytest.mark.parametrize("case", sorted(NAMING))
def test_version_script_names_port_like_nmap(case, tmp_path):
    kinds, argv, port = NAMING[case]
    res = both(kinds, ["-Pn", "-sV", "--script", case] + argv + ["127.0.0.1"], tmp_path)

    def view(r, x):
        s = ET.parse(x).getroot().find(".//port/service")
        row = [re.sub(r" +", " ", l) for l in r.stdout.splitlines() if l.startswith(port)]
        return (row, "unrecognized despite returning data" in r.stdout,
                {k: s.get(k) for k in ("name", "product", "version", "extrainfo", "method",
                                       "conf")})
    a, b = view(*res["netkit"]), view(*res["nmap"])
    assert a == b
    assert a[2]["version"] or a[2]["product"], a


# (fake services, nmap arguments, ports): version scripts that name the port
# (nmap.set_port_version) and print nothing, run by name without -sV (whose
# UDP probes would take minutes): the port rows, Service Info and each
# port's XML service (product, version, extrainfo, ostype) must match
SETS = {
    "teamspeak2-version": ("ts2", ["-sU", "-p", "U:8767", "--script", "teamspeak2-version"],
                           ["8767/udp"]),
    "mcafee-epo-agent": ("epo", ["-p", "8081", "--script", "mcafee-epo-agent"], ["8081/tcp"]),
    "skypev2-version": ("skype", ["-p", "443", "--script", "skypev2-version"], ["443/tcp"]),
}


@pytest.mark.parametrize("case", sorted(SETS))
def test_version_script_sets_port_like_nmap(case, tmp_path):
    kinds, argv, ports = SETS[case]
    res = both(kinds, ["-Pn"] + argv + ["127.0.0.1"], tmp_path)
    (a, ax), (b, bx) = res["netkit"], res["nmap"]
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)

    def view(r):
        return [re.sub(r" +", " ", l) for l in r.stdout.splitlines()
                if l.split(" ")[0] in ports or l.startswith(("|", "Service Info"))]
    assert view(a) == view(b), (a.stdout, b.stdout)
    theirs = xml_ports(bx)
    for p in ports:
        assert theirs[p][1] and theirs[p][1].get("product"), ("nmap named nothing", p, theirs)
    assert xml_ports(ax) == theirs


# nmap 7.93's own script fails on these stand-ins ("Script execution
# failed"), so netkit's is checked against what the stand-in says
OURS = {
    "ike-version": ("ike", ["-sU", "-p", "U:500"], [
        "attributes: ", "  Dead Peer Detection v1.0", "  RFC 3947 NAT-T"]),
    "bacnet-info": ("bacnet", ["-sU", "-p", "U:47808"], [
        "Vendor ID: BACnet Stack at SourceForge (260)", "Vendor Name: Lab Controls Inc",
        "Object-identifier: 1234", "Firmware: 2.1.4", "Application Software: App 9.3",
        "Object Name: LAB-BMS-1", "Model Name: LabCtrl 3000", "Description: roof air handler",
        "Location: building 4"]),
    "allseeingeye-info": ("ase", ["-sU", "-p", "U:1258"], [
        "game: mta", "port: 22003", "server name: Lab Server", "game type: Freeroam",
        "map: None", "version: 1.5n", "passworded: 0", "num players: 2", "max players: 32",
        "settings: ", "  Group: lab", "  Gamemode: freeroam", "players: ", "  player 0: ",
        "    name: alice", "    team: red", "    skin: 1", "    score: 10", "    ping: 20",
        "    time: 5", "  player 1: ", "    name: bob", "    team: red", "    skin: 1",
        "    score: 3", "    ping: 20", "    time: 5"]),
}


@pytest.mark.parametrize("case", sorted(OURS))
def test_version_script_against_stand_in(case):
    kinds, argv, want = OURS[case]
    r = run(["unshare", "--net", LOCAL, kinds, NMAP, "-Pn", "--script", case] + argv
            + ["127.0.0.1"], timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [l[2:] for l in r.stdout.splitlines() if l.startswith("|")]
    assert lines[0] == case + ": ", r.stdout
    assert [l[2:] for l in lines[1:]] == want, r.stdout


@pytest.mark.parametrize("argv", [[], ["-sV", "--version-intensity", "2"], ["-v"]])
def test_named_script_levels_like_nmap(argv):
    """A script named in --script (here by file) sees one more verbosity
    level and version intensity 9 whatever --version-intensity says (nmap
    7.93's rule: so a version script named by hand always runs)."""
    path = os.path.join(HERE, "nse", "nk-levels.nse")
    outs = [blocks(run([exe, "-sn", "-n", "--script", path] + argv, timeout=30).stdout)
            for exe in (NMAP, oracle("nmap"))]
    assert outs[0] == outs[1]
    assert ("pre", "nk-levels") in outs[1]

