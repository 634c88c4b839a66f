"""nmap's options as nmap 7.93 reads them, netkit side by side with it:
unique prefixes of long options (getopt_long_only's rules, its ambiguity
message), time specifications with units and nmap's checks of them, and
the evasion and scan-type options (-sW, -sM, --scanflags, -g, --ttl,
--data*, --badsum, -S, -e, -f/--mtu, -D, --ip-options) checked on the
wire at the target. Packets go only into the lab's namespaces."""
import os
import re

import pytest

from conftest import NETKIT_BIN, oracle, run
from test_nmap_lab import hosts_of, scan_both

NMAP = os.path.join(NETKIT_BIN, "nmap")


def parse_only(tool, argv):
    """Run with -sL -n and no target reachable: only the command line is
    read (nothing is sent); stdout/stderr without the banner lines."""
    r = run([tool, "-n", "-sL"] + argv + ["198.18.3.10"], timeout=30)
    text = (r.stdout + r.stderr).replace(tool, "nmap")
    keep = [l for l in text.splitlines()
            if not l.startswith(("Starting ", "Nmap done", "Nmap scan report",
                                 "Read data files", "WARNING: No targets"))]
    return r.returncode, keep


CMDLINES = [
    # unique prefixes, single and double dash, with =
    ["--top-port", "10"], ["--reas"], ["-reas"], ["--rea"], ["--max-rtt", "500ms"],
    ["--tim", "4"], ["--timing=insane"], ["-top", "3"], ["--vv"],
    # ambiguous prefixes and the errors that name the full option
    ["--max", "3"], ["--max=3"], ["--o"], ["-re", "x"], ["-sc"], ["-ve"], ["-no"],
    ["-p=22"], ["--reas=x"], ["--nosuch"],
    # time units everywhere nmap takes them, and its checks
    ["--host-timeout", "30m"], ["--host-timeout", "1.5H"], ["--host-timeout", "-1"],
    ["--host-timeout", "5s5"], ["--scan-delay", "500ms"], ["--scan-delay", "100"],
    ["--scan-delay", "1e3"], ["--max-scan-delay", "100"], ["--max-scan-delay", "2S"],
    ["--max-rtt-timeout", "50"], ["--max-rtt-timeout", "4ms"], ["--max-rtt-timeout", "19ms"],
    ["--max-rtt-timeout", "50.5"], ["--min-rtt-timeout", "99"], ["--min-rtt-timeout", "-1"],
    ["--initial-rtt-timeout", "0"], ["--initial-rtt-timeout", "2s"],
    ["--stats-every", "5s5"], ["--stats-every", "1m"],
]


@pytest.mark.parametrize("argv", CMDLINES, ids=lambda a: " ".join(a))
def test_cmdline_like_nmap(argv):
    assert parse_only(NMAP, argv) == parse_only(oracle("nmap"), argv)


@pytest.mark.parametrize("argv", [
    ["--top-port", "8", "--reas"], ["-top", "8", "-reason", "--max-rtt", "300ms"],
], ids=lambda a: " ".join(a))
def test_prefixes_scan_like_nmap(lab, tmp_path, argv):
    res = scan_both(lab, tmp_path, argv, [lab.addr("target")])
    ours, theirs = (hosts_of(res[n][1] + ".xml") for n in ("netkit", "nmap"))
    assert ours == theirs


def scaninfo(path):
    import xml.etree.ElementTree as ET
    return [dict(s.attrib) for s in ET.parse(path).getroot().iter("scaninfo")]


SCAN_PORTS = ["-p", "22,80,81,8081,8083"]


@pytest.mark.parametrize("argv", [
    ["-sW"], ["-sM"], ["--scanflags", "FINACK"], ["--scanflags", "SYNFIN"],
    ["--scanflags", "synack"], ["--scanflags", "FOO"], ["-sA", "--scanflags", "FIN"],
    ["-sF", "--scanflags", "0x29"], ["-sW", "--scanflags", "PSH"], ["-sM", "-sU", "-p", "U:53,T:22,81"],
], ids=lambda a: " ".join(a))
def test_scan_types_like_nmap(lab, tmp_path, argv):
    """Window (the RST's window), Maimon (FIN/ACK) and --scanflags (the
    type reads the answers): the same states and reasons as nmap, and the
    same <scaninfo> (type, scanflags in nmap's order)."""
    ports = [] if "-p" in argv else SCAN_PORTS
    res = scan_both(lab, tmp_path, ["-Pn", "--reason"] + ports + argv, [lab.addr("target")])
    ours, theirs = (hosts_of(res[n][1] + ".xml") for n in ("netkit", "nmap"))
    assert ours == theirs
    assert scaninfo(res["netkit"][1] + ".xml") == scaninfo(res["nmap"][1] + ".xml")


@pytest.mark.parametrize("argv", [
    ["--scanflags", "3x"], ["--scanflags", "0x1ff"], ["--scanflags", "256"], ["-sS", "-sW"],
    ["-sM", "-sA"], ["-sT", "-sX"],
], ids=lambda a: " ".join(a))
def test_scan_type_errors_like_nmap(argv):
    # with -sL these would fail on -sL's own rule first: use -p and no -sL
    def go(tool):
        r = run([tool, "-n", "-Pn", "-p", "1"] + argv, timeout=30)
        return r.returncode, [l for l in (r.stdout + r.stderr).splitlines()
                              if not l.startswith(("Starting ", "Nmap done", "WARNING: No"))]
    assert go(NMAP) == go(oracle("nmap"))
