# SPDX-License-Identifier: Apache-2.0
"""Bad arguments never crash netkit ip: every word list below ends with an
exit status of 0, 1, 2 or 255 and no sanitizer report (check.sh runs
this on the ASan+UBSan build)."""
import itertools
import os
import random

import pytest

from conftest import run
from ip_compare import Netns

WORDS = ["link", "addr", "route", "neigh", "tcpm", "netns", "show", "add", "del", "set",
         "get", "flush", "dev", "lo", "nope", "via", "1.2.3.4", "1.2.3.4/33", "::1",
         "fe80::/10", "default", "table", "all", "100", "type", "veth", "peer", "name",
         "mtu", "-1", "99999999999", "up", "down", "nexthop", "weight", "0", "proto",
         "scope", "metric", "lladdr", "zz:zz", "nud", "bogus", "label", "to", "from",
         "-j", "-p", "-s", "-d", "-br", "-o", "-4", "-6", "", "%s%n", "a" * 300]


def _check(ip, ns, args):
    r = run([ip, "-n", ns] + args, timeout=20)
    assert r.returncode in (0, 1, 2, 255), (args, r.returncode, r.stderr)
    assert "runtime error" not in r.stderr and "Sanitizer" not in r.stderr, (args, r.stderr)


@pytest.fixture(scope="module")
def junk_ns():
    with Netns() as n:
        yield n


def test_random_words(junk_ns, nkbin):
    ip = os.path.join(nkbin, "ip")
    rnd = random.Random(1234)
    for _ in range(400):
        args = [rnd.choice(WORDS) for _ in range(rnd.randint(1, 7))]
        _check(ip, junk_ns.ns, args)


def test_truncated_commands(junk_ns, nkbin):
    ip = os.path.join(nkbin, "ip")
    full = [
        "route add 203.0.113.0/24 nexthop via 198.18.0.2 weight 2 nexthop via 198.18.1.2",
        "link add vx type veth peer name vy", "addr add 198.18.9.1/24 brd + dev veth0 label veth0:z",
        "neigh add 198.18.0.50 lladdr 02:00:00:00:00:50 dev veth0 nud reachable",
        "route get 203.0.113.9 from 198.18.0.1 iif veth0", "tcp_metrics delete address 1.2.3.4",
        "-batch /nonexistent", "-n", "-family", "route show table",
    ]
    for line in full:
        words = line.split()
        for i in range(1, len(words) + 1):
            _check(ip, junk_ns.ns, words[:i])
    for a, b in itertools.product(["-j", "-o", "-br"], ["link", "addr", "route", "neigh"]):
        _check(ip, junk_ns.ns, [a, b, "show", "dev"])
