# SPDX-License-Identifier: Apache-2.0
"""ip link add of kinds whose options netkit does not parse yet: where
the kernel has no such driver, iproute2 sends the request and prints the
kernel's refusal; netkit must print the same words with the same exit
code, and make nothing. Kinds the kernel does have are skipped here
(iproute2 then makes the link; netkit says it does not parse them)."""
import os

from conftest import run
from ip_compare import IP, fresh_ns

KINDS = [
    "dummy", "bareudp dstport 6635 ethertype ipv4", "xfrm dev lo if_id 0xf",
    "gre local 1.1.1.1 remote 2.2.2.2", "gretap local 1.1.1.1 remote 2.2.2.2",
    "ip6gre local 2001:db8::1 remote 2001:db8::2", "geneve id 5 remote 1.2.3.4",
    "vrf table 10", "bond mode 802.3ad", "vlan id 5", "ipvlan mode l2", "ipvtap mode l2",
    "ipip remote 1.2.3.4", "sit remote 1.2.3.4", "ip6tnl mode ip6ip6", "nlmon", "wireguard",
    "frobnic", "macvtap mode bridge",
]


def test_unparsed_kinds_reach_the_kernel(nkbin):
    nk = os.path.join(nkbin, "ip")
    ns = fresh_ns("kinds")
    compared = 0
    try:
        before = run([IP, "-n", ns, "-o", "link"]).stdout
        for k in KINDS:
            args = ["-n", ns, "link", "add", "xx", "type"] + k.split()
            o = run([IP] + args)
            if o.returncode == 0:
                run([IP, "-n", ns, "link", "del", "xx"])
                continue
            n = run([nk] + args)
            assert (n.returncode, n.stderr, n.stdout) == (o.returncode, o.stderr, o.stdout), k
            assert run([IP, "-n", ns, "-o", "link"]).stdout == before, k
            compared += 1
        assert compared >= 5
    finally:
        run([IP, "netns", "del", ns])
