# SPDX-License-Identifier: Apache-2.0
"""netkit ip's show commands against iproute2 6.1, byte for byte: on the
host's own tables (read-only) and in namespaces holding many kinds of
objects (tests/integration/ip_setup.sh)."""
import json
import os

import pytest

from conftest import run
from ip_compare import IP, Netns, compare, mask_text

SHOW = [
    "link", "link show", "-d link", "-j link", "-j -p link", "-br link",
    "-j -br link", "-o link", "link show up", "l",
    "addr", "a", "addr sh", "-br addr", "-j addr", "-j -p addr", "-o addr",
    "-4 addr", "-6 addr", "-family inet -br address show", "-j -6 addr",
    "-d addr", "-0 addr", "-family link addr",
    "route", "r", "route show table all", "-j route show table all",
    "-6 route", "-4 route", "-d route", "route show table local",
    "-j -p route show table all", "-o route show table all",
    "neigh", "n", "-j neigh", "-4 neigh", "-6 neigh", "neigh show nud all", "-br neigh",
    "-j -br neigh", "route show table all type local", "-o neigh", "-s route",
    "-c=always link", "-c=always addr", "-c=always -br addr", "-c=always route",
    "-c=always neigh", "-c=never link", "-N route", "-N addr", "-N -d link",
    "-N route show table all",
]

ERRORS = [
    "link show dev nope", "route show table nope",
    "-x link", "frob", "addr show dev nope", "neigh show dev nope",
    "route show 1.2.3.4/33", "-family foo link", "route get 1.2.3.4 foo",
]

STATS = ["-s link", "-s -s link", "-j -s link", "-j -p -s link show",
         "-j -s -s link", "-h -s link", "-s addr", "-j -s addr"]


@pytest.mark.hostns
@pytest.mark.parametrize("args", SHOW + ERRORS)
def test_host_show(nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"))


@pytest.mark.hostns
@pytest.mark.parametrize("args", STATS)
def test_host_stats(nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"), counters=True)


@pytest.fixture(scope="module")
def lab_ns():
    with Netns() as n:
        yield n


NS_SHOW = SHOW + [
    "link show dev veth0", "link show veth1", "link show master br0",
    "link show type veth", "-d link show mv0", "-d link show dum1",
    "-j -d link show mv0", "-d link show veth0", "link show group default",
    "addr show dev dum0", "addr show label dum0:1", "addr show scope link",
    "addr show to 198.18.0.0/24", "-j -br addr", "-br -6 addr",
    "route show table 100", "route show table all type unicast",
    "route show dev veth0", "route show proto kernel", "route show 203.0.113.0/24",
    "route show match 203.0.113.7", "route show root 203.0.0.0/16",
    "route show default", "route show via 198.18.0.2", "route show src 198.18.0.1",
    "route show metric 100", "route show scope link", "-6 route show table all",
    "route show 2001:db8:10::/48", "-6 route show 2001:db8:10::/48",
    "route get 198.18.0.2", "route get 203.0.115.9", "-j route get 203.0.113.5",
    "route get 2001:db8:10::1", "route get 127.0.0.1", "-j -p route get 127.0.0.1",
    "route get 203.0.113.5 from 198.18.0.1", "route get fibmatch 203.0.113.5",
    "route get 198.18.0.2 connected",
    # default/any: no RTA_DST, asked as IPv4 with length 0; a prefix length
    # other than a host's warns and asks the host; a bad word names the family
    "route get default", "route get to any", "-4 route get default", "-6 route get any",
    "-j route get default", "route get 203.0.113.0/24", "-6 route get 2001:db8:10::1/64",
    "route get xyz", "route get 1.2.3.08", "-6 route get 1.2.3.4", "route get default/0",
    # one named link: fetched alone (the kernel's whole message, whatever
    # -4/-6 says); ip link prints link/ether lines under -4/-6 too
    "-6 addr show dev veth0", "-4 addr show dev vpeer", "-6 link show veth0", "-4 link",
    "-6 link", "-d link show veth1", "-j -d link show dum1", "-br link show dum1",
    "addr show dev mv0 up", "link show dev veth1 master br0", "-o addr show dev dum0",
    "neigh show dev veth0", "neigh show proxy", "-j neigh show proxy",
    "neigh show nud stale", "neigh show 198.18.0.0/24", "neigh show nud permanent",
    "-j -p neigh show nud all",
]


@pytest.mark.parametrize("args", NS_SHOW + ERRORS)
def test_netns_show(lab_ns, nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"), netns=lab_ns.ns)


@pytest.mark.parametrize("args", STATS + ["-s neigh", "-s -s -d link show veth1",
                                          "-s link show dev veth0", "-s -6 addr show dev veth0",
                                          "-j -s -s link show vpeer"])
def test_netns_stats(lab_ns, nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"), netns=lab_ns.ns, counters=True)


@pytest.mark.parametrize("args", ["link", "addr", "route show table all", "neigh"])
def test_json_always_valid(lab_ns, nkbin, args):
    for extra in (["-j"], ["-j", "-p"], ["-j", "-s", "-d"]):
        r = run([os.path.join(nkbin, "ip"), "-n", lab_ns.ns] + extra + args.split())
        assert r.returncode == 0
        json.loads(r.stdout)


def test_json_valid_on_error(lab_ns, nkbin):
    # iproute2 prints a lone "[" here; netkit closes the document
    r = run([os.path.join(nkbin, "ip"), "-n", lab_ns.ns, "-j", "route", "show",
             "table", "99"])
    assert json.loads(r.stdout) == []
    o = run([IP, "-n", lab_ns.ns, "-j", "route", "show", "table", "99"])
    assert r.stderr == o.stderr


def test_abbreviations(lab_ns, nkbin):
    ip = os.path.join(nkbin, "ip")
    for short, full in [("a", "address"), ("r", "route"), ("n", "neighbor"),
                        ("l", "link"), ("addr sh", "address show"),
                        ("ro li", "route list"), ("neighbour", "neigh")]:
        a = run([ip, "-n", lab_ns.ns] + short.split())
        b = run([ip, "-n", lab_ns.ns] + full.split())
        assert mask_text(a.stdout) == mask_text(b.stdout) and a.returncode == 0


def test_batch(lab_ns, nkbin, tmp_path):
    f = tmp_path / "cmds"
    # link commands last: iproute2 keeps their family (link) for the rest
    # of a batch, a quirk netkit does not copy
    f.write_text("addr show dev veth0\n# comment\n\nroute show table 100\nneigh\n"
                 "link show nope\nlink show lo\n")
    for extra in ([], ["-force"]):
        compare(extra + ["-batch", str(f)], os.path.join(nkbin, "ip"), netns=lab_ns.ns)


def test_netns_list(lab_ns, nkbin):
    # /run/netns is shared with whatever else runs on the machine: compare
    # only the lines of this test's namespaces
    ip = os.path.join(nkbin, "ip")
    mine = (lab_ns.ns, lab_ns.peer)
    for extra in ([], ["-j"]):
        a = run([IP] + extra + ["netns", "list"])
        b = run([ip] + extra + ["netns", "list"])
        assert a.returncode == b.returncode == 0
        if extra:
            ja = [e for e in json.loads(a.stdout) if e["name"] in mine]
            jb = [e for e in json.loads(b.stdout) if e["name"] in mine]
            assert sorted(jb, key=str) == sorted(ja, key=str) and len(ja) == 2
        else:
            la = sorted(x for x in a.stdout.splitlines() if x.split()[0] in mine)
            lb = sorted(x for x in b.stdout.splitlines() if x.split()[0] in mine)
            assert lb == la and len(la) == 2
