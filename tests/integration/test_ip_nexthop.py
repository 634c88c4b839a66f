# SPDX-License-Identifier: Apache-2.0
"""ip nexthop, and routes through nexthop objects (nhid): the same
commands in two fresh namespaces, one driven by iproute2's ip and one by
netkit's; every command's exit code, stdout and stderr must agree."""
import os
import re

from conftest import run
from ip_compare import IP, fresh_ns, session

SETUP = ["link set va up", "link set vb up", "addr add 192.0.2.1/24 dev va",
         "addr add 2001:db8::1/64 dev va nodad"]

ADD = [
    "nexthop add id 1 via 192.0.2.2 dev va", "nexthop add id 2 via 2001:db8::2 dev va",
    "nexthop add id 3 dev va", "nexthop add id 4 blackhole", "nexthop add id 5 group 1/3",
    "nexthop add id 6 group 1,5/3,2", "nexthop add id 7 via 192.0.2.3 dev va onlink proto static",
    "nexthop add id 8 fdb via 192.0.2.9", "nexthop add id 9 fdb group 8",
    "nexthop add id 10 group 1 type resilient buckets 8 idle_timer 10",
    "nexthop add id 11 via 192.0.2.2 dev va scope link", "nexthop add id 12 dev va via 2001:db8::3",
    "-6 nexthop add id 13 blackhole", "nexthop add id 14 group 1,256/3 type mpath",
    "nexthop add id 15 via 192.0.2.4 dev vb",
    "nexthop add id 16 group 1/3 type resilient buckets x",
    "nexthop add id 16 group 1/3 type resilient idle_timer 99999999999",
    "nexthop add id 16 group 1/3 type frob", "nexthop add id 16 group 1,0",
    "nexthop add id 16 group 1,257", "nexthop add id 16 group x", "nexthop add id 16 group 1/",
    "nexthop add id 16 via 192.0.2.2 dev nosuch", "nexthop add id 16 via bad dev va",
    "nexthop add id 16 via", "nexthop add id 1 via 192.0.2.2 dev va",
    "nexthop add id 17 via 192.0.2.2 dev va proto 99",
]
SHOW = [
    "nexthop", "-d nexthop", "-j nexthop", "-j -p nexthop", "-o nexthop", "-N -d nexthop",
    "nexthop show id 5", "-j nexthop show id 5", "nexthop get id 5", "-j nexthop get id 6",
    "nexthop show dev va", "nexthop show dev vb", "nexthop show groups", "nexthop show fdb",
    "nexthop show protocol 4", "nexthop show protocol static", "nexthop show master va",
    "nexthop show master nosuch", "-6 nexthop show", "-4 nexthop show", "nexthop list",
    "nexthop lst groups", "nexthop show dev",
]
ROUTES = [
    "route add 198.51.100.0/24 nhid 5", "route add 198.51.101.0/24 nhid 4",
    "route add 198.51.102.0/24 nhid 99", "route add 198.51.103.0/24 nhid 1 metric 5",
    "route add 198.51.104.0/24 nhid x", "-6 route add 2001:db8:5::/48 nhid 2", "route",
    "-6 route", "-j route", "-d route", "-d -j route",
    "-d route get 198.51.103.1",
]
CHANGE = [
    "nexthop replace id 5 group 1", "nexthop replace id 20 via 192.0.2.5 dev va",
    "nexthop show id 5", "nexthop del id 1", "nexthop", "route", "nexthop flush dev va",
    "nexthop", "nexthop flush protocol 99", "nexthop flush", "nexthop", "nexthop flush",
    "nexthop add id 1 frob", "nexthop add id x", "nexthop add via 1.2.3.4",
    "nexthop del id 99", "nexthop get id 99", "nexthop get", "nexthop get foo",
    "nexthop show id x", "nexthop show frob", "nexthop frob", "nexthop help", "nexthop add id",
]


def test_nexthop_side_by_side(nkbin):
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("nh-o", SETUP), fresh_ns("nh-n", SETUP)
    try:
        cmds = ADD + SHOW + ROUTES + CHANGE
        for x, y in zip(session(IP, a, cmds), session(nk, b, cmds)):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])


BUCKETS = [
    "nexthop bucket",
    "nexthop bucket show",
    "nexthop bucket list nhid 2",
    "nexthop bucket show id 10",
    "nexthop bucket show dev vb",
    "nexthop bucket show id 11 dev va",
    "-j nexthop bucket",
    "nexthop bucket get id 10 index 1",
    "-j nexthop bucket get id 10 index 1",
    "nexthop bucket get id 10",
    "nexthop bucket get index 1",
    "nexthop bucket get id 10 index 99",
    "nexthop bucket get id 99 index 1",
    "nexthop bucket show frob",
    "nexthop bucket show id x",
    "nexthop bucket show nhid x",
    "nexthop bucket show dev nosuch",
    "nexthop bucket frob",
    "nexthop bucket get id 10 index x",
    "nexthop bucket get id 10 index 70000",
    "nexthop bucket show id",
]


def test_nexthop_buckets(nkbin):
    """ip nexthop bucket list/get of resilient groups side by side in twin
    namespaces; each bucket's idle time moves, and is masked."""
    nk = os.path.join(nkbin, "ip")
    setup = SETUP + ["nexthop add id 1 dev va", "nexthop add id 2 dev vb",
                     "nexthop add id 10 group 1/2 type resilient buckets 4 idle_timer 10",
                     "nexthop add id 11 group 1 type resilient buckets 2"]
    a, b = fresh_ns("nhb-o", setup), fresh_ns("nhb-n", setup)

    def mask(rows):
        return [(c, rc, re.sub(r'idle_time"?:? ?[0-9.e+-]+', "idle_time N", o), e)
                for c, rc, o, e in rows]
    try:
        for x, y in zip(mask(session(IP, a, BUCKETS)), mask(session(nk, b, BUCKETS))):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])
