# SPDX-License-Identifier: Apache-2.0
"""route add/del: each case runs with net-tools in one fresh namespace and
with netkit in another; output, exit codes and the state read back
(route's own tables, and iproute2's detailed view: protocol, scope,
metrics) must be the same."""
import os

import pytest

from routefix import IP, ROUTE, Ns, assert_same, norm_err

BASE = """
set -e
ip link set lo up
ip link add d0 address 02:00:00:00:00:01 type veth peer name d0p address 02:00:00:00:00:02
ip link set d0 up; ip link set d0p up
ip addr add 198.18.1.1/24 dev d0
ip addr add 198.18.1.2/24 dev d0 label d0:1
ip -6 addr add 2001:db8:1::1/64 dev d0 nodad
ip route add 198.19.50.0/24 via 198.18.1.50 proto static metric 3
ip -6 route add 2001:db8:50::/64 via 2001:db8:1::50 metric 1024
"""

STATE = [[ROUTE, "-n", "-ee"], [ROUTE, "-6", "-n"],
         [IP, "-4", "-d", "route", "show", "table", "all"],
         [IP, "-d", "-6", "route", "show", "table", "all"]]

CASES = [
    ["add -net 198.19.5.0 netmask 255.255.255.0 dev d0"],
    ["add -net 198.19.6.0/24 dev d0"],
    ["add 198.19.6.0/24 dev d0"],
    ["add -net 198.19.7.0/24 gw 198.18.1.2 metric 3"],
    ["add -host 198.19.8.1 gw 198.18.1.1"],
    ["add -host 198.19.8.2 gw 198.18.1.3"],
    ["add 198.19.8.3 dev d0"],
    ["add 198.19.8.4/32 dev d0"],
    ["add -net 198.19.9.0/24 reject", "add -net 198.19.9.0/24 reject"],
    ["add -net 198.19.9.0/24 reject metric 4"],
    ["add -net 198.19.10.0/24 gw 198.18.1.3 mss 1000 window 3000 irtt 50"],
    ["add -net 198.19.10.0/24 dev d0 mtu 1500"],
    ["add default gw 198.18.1.254"],
    ["add default gw 198.18.1.254 metric 100", "add default gw 198.18.1.253"],
    ["add default gw 198.18.1.254", "add default gw 198.18.1.254"],
    ["add -net default gw 198.18.1.254 dev d0"],
    ["add -net 198.19.11.0/24 d0"],
    ["add -net 198.19.11.0/24 dev d0:1"],
    ["add -net 198.19.11.0/24 dev d0:9"],
    ["add -net 198.19.12.0/24 gw hostseven"],
    ["add -net ninenet netmask 255.255.255.0 dev d0"],
    ["add -host hostseven dev d0"],
    ["add -net 198.19.13.0/24 gw gwname dev d0"],
    ["add unknown.invalid dev d0"],
    ["add -net unknownnet dev d0"],
    ["add -net 198.19.14.0/24 gw ninenet"],
    ["add 198.19.15.0/33 dev d0"],
    ["add -net 198.19.16.0 netmask 255.0.255.0 dev d0"],
    ["add -host 198.19.17.0 netmask 255.255.0.0 dev d0"],
    ["add -net 198.19.18.1 netmask 255.255.255.0 dev d0"],
    ["add -net 198.19.19.0/24 gw 198.19.200.1"],
    ["add -net 198.19.20.0/24 metric x dev d0"],
    ["add -net 198.19.21.0/24 mss abc dev d0"],
    ["add -net 198.19.21.0/24 mss 10 dev d0"],
    ["add -net 198.19.21.0/24 window 10 dev d0"],
    ["add -net 198.19.22.0/24 dev nosuch"],
    ["add -net 198.19.23.0/24 dev d0 extra"],
    ["add -net 198.19.24.0/24 gw 198.18.1.5 gw 198.18.1.6"],
    ["add -net 198.19.25.0"],
    ["add -net 198.19.26.0/24 netmask 255.255.255.0 dev d0"],
    ["add -net 198.19.27.0/24 gw 0.0.0.0"],
    ["add -net 198.19.28.0/24 dev d0 dev d0"],
    ["add -net 198.19.29.0/24 metric"],
    ["add -net"],
    ["add"],
    ["del"],
    ["delete -net 198.19.50.0/24"],
    ["del -net 198.19.50.0 netmask 255.255.255.0"],
    ["del -net 198.19.50.0/24 gw 198.18.1.51"],
    ["del -net 198.19.50.0/24 metric 3 dev d0"],
    ["del -net 198.19.50.0/24 metric 4"],
    ["del -net 198.19.99.0/24"],
    ["add 198.19.30.5 dev d0", "del 198.19.30.5"],
    ["add -net 198.19.31.0/24 reject", "del -net 198.19.31.0/24"],
    ["add -net 198.19.31.0/24 reject", "del -net 198.19.31.0/24 reject"],
    ["add default gw 198.18.1.254", "del default"],
    ["flush"],
    ["-C add 198.19.32.1 dev d0"],
    ["-6 add 2001:db8:5::/64 dev d0"],
    ["-6 add 2001:db8:6::5 dev d0"],
    ["-6 add 2001:db8:6::6/128 gw 2001:db8:1::9 dev d0"],
    ["-6 add 2001:db8:7::/48 gw 2001:db8:1::2"],
    ["-6 add 2001:db8:8::/48 gw 2001:db8:1::2 metric 7 dev d0"],
    ["-6 add 2001:db8:8::/48 gateway 2001:db8:1::2 metric 0 device d0"],
    ["-6 add default gw 2001:db8:1::fe"],
    ["-6 add 2001:db8:9::/64 d0"],
    ["-6 add 2001:db8:9::/64 d0 metric 5"],
    ["-6 add foo::bar::baz dev d0"],
    ["-6 add 2001:db8:9::/129 dev d0"],
    ["-6 add 2001:db8:9::/64 dev nosuch"],
    ["-6 add 2001:db8:9::/64 metric x dev d0"],
    ["-6 add 2001:db8:9::/64 gw 2001:db8:1::2 gw 2001:db8:1::3"],
    ["-6 add 2001:db8:9::/64 dev d0", "-6 add 2001:db8:9::/64 dev d0"],
    ["-6 add", "-6 del"],
    ["-6 del 2001:db8:50::/64"],
    ["-6 del 2001:db8:50::/64 metric 1024"],
    ["-6 add 2001:db8:5::/64 dev d0", "-6 del 2001:db8:5::/64"],
    ["-6 add 2001:db8:5::/64 dev d0 metric 9", "-6 del 2001:db8:5::/64 metric 9 dev d0"],
    ["-6 del 2001:db8:99::/64"],
    ["-6 flush"],
    ["-A inet6 add 2001:db8:a::/64 dev d0"],
    ["add -net 198.19.33.0/24 dev d0 -n"],
    ["add 198.19.34.0/24 -net dev d0"],
    ["add -net 198.19.35.0/24 -6 dev d0"],
    ["add -host 198.19.36.1 -C dev d0"],
    ["add -net 198.19.37.0/24 dev d0 -v -e"],
    ["-v add #net 198.19.38.0/24 dev d0"],
]


@pytest.fixture
def nkroute(nkbin):
    return os.path.join(nkbin, "route")


def mask_ref6(text):
    """IPv6 Ref counts follow the namespace's own traffic (DAD, ND), and
    the order of the two veth ends' link-local routes which came up first:
    both are compared on a quiet table in test_route_show, not here."""
    lines = text.splitlines()
    rows = []
    for line in lines[2:]:
        cols = line.split()
        if len(cols) == 7:
            cols[4] = "N"
        rows.append(" ".join(cols))
    return "\n".join(lines[:2] + sorted(rows))


def state(ns):
    out = [ns.run(argv).stdout for argv in STATE]
    out[1] = mask_ref6(out[1])
    out[3] = "\n".join(sorted(out[3].splitlines()))
    return out


@pytest.mark.parametrize("lines", CASES, ids=lambda c: " ; ".join(c))
def test_change_same_as_net_tools(tmp_path, nkroute, lines):
    a = Ns(tmp_path / "a", BASE) if os.makedirs(tmp_path / "a") is None else None
    b = Ns(tmp_path / "b", BASE) if os.makedirs(tmp_path / "b") is None else None
    try:
        for line in lines:
            args = line.split()
            ra = a.run([ROUTE] + args)
            rb = b.run([nkroute] + args)
            assert_same(rb, ra, line)
        sa, sb = state(a), state(b)
        for want, got, argv in zip(sa, sb, STATE):
            assert got == want, "state after: " + " ".join(argv[1:])
    finally:
        a.close()
        b.close()


def test_state_check_can_fail(tmp_path, nkroute):
    """A route made differently shows in the compared state."""
    os.makedirs(tmp_path / "a")
    os.makedirs(tmp_path / "b")
    a, b = Ns(tmp_path / "a", BASE), Ns(tmp_path / "b", BASE)
    try:
        a.run([ROUTE, "add", "-net", "198.19.40.0/24", "dev", "d0"])
        b.sh("ip route add 198.19.40.0/24 dev d0")  # proto boot too, scope link
        assert norm_err(a.run([ROUTE, "-n"]).stdout) == b.run([ROUTE, "-n"]).stdout
        b.sh("ip route change 198.19.40.0/24 dev d0 proto static")
        assert state(a) != state(b)
    finally:
        a.close()
        b.close()
