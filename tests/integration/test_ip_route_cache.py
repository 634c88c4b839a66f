# SPDX-License-Identifier: Apache-2.0
"""ip route show cache: the route exceptions a Path MTU message leaves
(IPv4 and IPv6), which the kernel dumps only when asked for them
(RTM_F_CLONED), against iproute2. Three namespaces: a -- r -- b, the
r--b link with MTU 1300; a pings b with 1400-byte packets."""
import os
import subprocess
import time
import uuid

import pytest

from conftest import run
from ip_compare import IP, compare

SETUP = """
link add a0 netns {a} type veth peer name r0 netns {r}
link add r1 netns {r} type veth peer name b0 netns {b}
-n {a} link set a0 up
-n {a} addr add 198.18.5.1/24 dev a0
-n {a} addr add 2001:db8:5::1/64 dev a0 nodad
-n {r} link set r0 up
-n {r} link set r1 up mtu 1300
-n {b} link set b0 up mtu 1300
-n {r} addr add 198.18.5.2/24 dev r0
-n {r} addr add 198.18.6.1/24 dev r1
-n {r} addr add 2001:db8:5::2/64 dev r0 nodad
-n {r} addr add 2001:db8:6::1/64 dev r1 nodad
-n {b} addr add 198.18.6.2/24 dev b0
-n {b} addr add 2001:db8:6::2/64 dev b0 nodad
-n {a} route add 198.18.6.0/24 via 198.18.5.2
-n {a} route add 2001:db8:6::/64 via 2001:db8:5::2
-n {a} route add 203.0.113.0/24 via 198.18.5.2 proto static
-n {b} route add default via 198.18.6.1
-n {b} route add default via 2001:db8:6::1
"""


@pytest.fixture(scope="module")
def pmtu():
    tag = uuid.uuid4().hex[:8]
    ns = {k: f"nk-pmtu{k}-{tag}" for k in "arb"}
    for n in ns.values():
        subprocess.run([IP, "netns", "add", n], check=True)
    try:
        for line in SETUP.strip().splitlines():
            subprocess.run([IP] + line.format(**ns).split(), check=True)
        subprocess.run([IP, "netns", "exec", ns["r"], "sysctl", "-qw",
                        "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"], check=True)
        time.sleep(1)
        for fam, dst in (("-4", "198.18.6.2"), ("-6", "2001:db8:6::2")):
            for _ in range(3):  # the first may go before the neighbours are known
                run(["ip", "netns", "exec", ns["a"], "ping", fam, "-c1", "-W1", "-M", "do",
                     "-s", "1400", dst])
        yield ns["a"]
    finally:
        for n in ns.values():
            subprocess.run([IP, "netns", "del", n])


def test_exceptions_exist(pmtu):
    """The comparisons below mean something only if there are exceptions."""
    out = run([IP, "-n", pmtu, "route", "show", "table", "all", "cache"]).stdout
    assert "198.18.6.2 via 198.18.5.2" in out and "mtu 1300" in out
    assert "2001:db8:6::2 via 2001:db8:5::2" in out


@pytest.mark.parametrize("args", [
    "route show cache", "-6 route show cache", "route show table all cache",
    "route show cache dev a0", "-6 route show cache dev a0", "route show cache proto kernel",
    "route show cached", "route show c", "route show clo", "route show table all",
    "-d route show cache", "-o route show cache",
    "route show cache 198.18.6.2", "-6 route show cache root 2001:db8:6::/64",
])
def test_cache(pmtu, nkbin, args):
    compare(args.split(), os.path.join(nkbin, "ip"), netns=pmtu)


def test_cache_json(pmtu, nkbin):
    # expires counts down between the two runs: compared by shape
    compare("-j route show table all cache".split(), os.path.join(nkbin, "ip"), netns=pmtu,
            counters=True)
