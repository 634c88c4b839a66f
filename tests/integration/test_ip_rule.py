# SPDX-License-Identifier: Apache-2.0
"""ip rule: the same commands in two fresh namespaces, one driven by
iproute2's ip and one by netkit's; every command's exit code, stdout and
stderr must be the same (the rules themselves are then the same too, as
each tool lists its own). Saved dumps are restored by the other tool."""
import os
import subprocess

from conftest import run
from ip_compare import IP, fresh_ns, session

ADD = [
    "rule add not from 10.0.0.0/8 to 192.168.1.1 tos 0x10 fwmark 0x5/0xff iif lo oif va "
    "uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 tun_id 7 pref 100 table 50 "
    "suppress_prefixlength 8 suppress_ifgroup 3 realms 1/2 protocol static",
    "rule add l3mdev pref 200", "rule add goto 300 pref 250", "rule add goto 7 pref 251",
    "rule add nop pref 300", "rule add prohibit pref 301", "rule add from 1.2.3.4 blackhole",
    "rule add fwmark 7 table 1000 pref 400", "rule add fwmark 0/0xf table 1000 pref 401",
    "rule add from 0/8 to 1.2.3.0/24 pref 402 unreachable",
    "rule add iif lo oif vb table local pref 403 protocol 99",
    "rule add realms 5 pref 404", "rule add nat 1.2.3.4 pref 405",
    "rule add to 5.6.7.8 pref 406 type throw", "rule add sport 1-2 pref 407 ipproto 200",
    "rule add dsfield 0x10 pref 408", "rule add lookup main pref 409 sup_pl 0 sup_group 0",
    "rule add to 1.2.3.4 iif nosuchdev table 5", "rule add pref 410 table 4000000",
    "-6 rule add from 2001:db8::/32 dsfield AF11 table 1000",
    "-6 rule add to 2001:db8::1 pref 5 iif va", "-6 rule add pref 6 ipproto ipv6-icmp dport 8",
]
SHOW = [
    "rule", "-d rule", "-j rule", "-j -p rule", "-N rule", "-o rule", "-6 rule", "-j -6 rule",
    "-d -6 rule", "rule list", "rule lst", "rule show pref 100", "rule show table 1000",
    "rule show from 10.0.0.0/8", "rule show not", "rule show fwmark 5/0xff",
    "rule show fwmark 7", "rule show iif lo", "rule show dev lo", "rule show oif vb",
    "rule show l3mdev", "rule show uidrange 100-200", "rule show ipproto tcp",
    "rule show sport 80", "rule show dport 1000-2000", "rule show to 1.2.3.0/24",
    "rule show 1.2.3.0/25", "rule show protocol static", "rule show tos 0x10",
    "rule show lookup main", "rule list table local", "-4 rule show dsfield 0x10",
    "-6 rule show to 2001:db8::1", "-6 rule show from 2001:db8::/16", "-6 rule show dsfield AF11",
    "-j rule show table 1000", "rule show from all", "rule show table 4000000",
]
CHANGE = [
    "rule del pref 100", "rule del fwmark 7", "rule del from 1.2.3.4 blackhole", "rule del nop",
    "-6 rule del pref 5", "rule flush protocol 99", "rule flush table 1000", "rule",
    "-6 rule flush", "-6 rule", "rule flush", "rule", "rule add pref 10", "rule add pref 10",
    "rule del pref 77", "rule add tos 0x03", "rule add from 2001:db8::1",
]
BAD = [
    "add pref x", "add from", "add from 1.2.3.4/40", "add to bad", "add fwmark x",
    "add fwmark 1/x", "add tos 0x300", "add uidrange 5", "add sport a", "add ipproto foo",
    "add table foo", "add suppress_prefixlength -1", "add suppress_ifgroup foo",
    "add realms foo", "add protocol foo", "add goto x", "add frob", "add type frob",
    "add iif a/b", "add tun_id x", "show frob", "show pref x", "show table foo", "save x",
    "flush x", "frob", "help", "add", "del", "add type", "add goto", "show from", "show pref",
    "add nat x",
]


def _ns(tag):
    return fresh_ns("rule-" + tag)


def test_rule_side_by_side(nkbin):
    nk = os.path.join(nkbin, "ip")
    a, b = _ns("o"), _ns("n")
    try:
        cmds = ADD + SHOW + CHANGE + ["rule " + x for x in BAD] + ["-6 rule add from 1.2.3.4"]
        sa = session(IP, a, cmds)
        sb = session(nk, b, cmds)
        for x, y in zip(sa, sb):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])


def test_rule_save_restore(nkbin, tmp_path):
    """ip rule save from each tool, restored by each; restore's errors."""
    nk = os.path.join(nkbin, "ip")
    src = _ns("s")
    try:
        for cmd in ("rule add from 1.2.3.4 table 10 pref 10 protocol static",
                    "rule add to 5.6.7.0/24 table 11 pref 11 fwmark 3/7",
                    "rule add iif va table 12 pref 12 protocol boot"):
            assert run([IP, "-n", src] + cmd.split()).returncode == 0
        dumps = {}
        for name, tool in (("iproute2", IP), ("netkit", nk)):
            f = tmp_path / f"{name}.bin"
            with open(f, "wb") as fh:
                r = subprocess.run([tool, "-n", src, "rule", "save"], stdout=fh)
            assert r.returncode == 0
            dumps[name] = f.read_bytes()
        # the same messages; only the dump's sequence and port numbers differ
        assert dumps["netkit"][:4] == dumps["iproute2"][:4]
        assert len(dumps["netkit"]) == len(dumps["iproute2"])
        for t in ("prot", "tbl"):
            o = run([IP, "-n", src, "rule", "save", "table", "10"])
            n = run([nk, "-n", src, "rule", "save", "table", "10"])
            assert (n.returncode, n.stderr) == (o.returncode, o.stderr), t
        bad = {"empty": b"", "junk": b"xxxxxxxxxxxx", "cut": dumps["iproute2"][:30]}
        results = {}
        for tool in (IP, nk):
            res = []
            for dump in list(dumps.values()) + list(bad.values()):
                ns = _ns("r")
                try:
                    run([tool, "-n", ns, "rule", "flush"])
                    f = tmp_path / "in.bin"
                    f.write_bytes(dump)
                    with open(f, "rb") as fh:
                        r = subprocess.run([tool, "-n", ns, "rule", "restore"], stdin=fh,
                                           capture_output=True, text=True)
                    with open(f, "rb") as fh:  # twice: duplicates, as iproute2 makes them
                        r2 = subprocess.run([tool, "-n", ns, "rule", "restore"], stdin=fh,
                                            capture_output=True, text=True)
                    res.append((r.returncode, r.stderr, r2.returncode,
                                run([IP, "-n", ns, "rule"]).stdout))
                finally:
                    run([IP, "netns", "del", ns])
            results[tool] = res
        assert results[nk] == results[IP]
        assert "lookup 11" in results[IP][0][3]
    finally:
        run([IP, "netns", "del", src])
