# SPDX-License-Identifier: Apache-2.0
"""ip link add of kinds whose options netkit does not parse yet: where
the kernel has no such driver, iproute2 sends the request and prints the
kernel's refusal; netkit must print the same words with the same exit
code, and make nothing. Kinds the kernel does have are skipped here
(iproute2 then makes the link; netkit says it does not parse them)."""
import os
import re

from conftest import run
from ip_compare import IP, fresh_ns, session

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


VXLAN = [
    "link add vx0 type vxlan id 42 dstport 4789 remote 192.0.2.9 local 192.0.2.1 dev va ttl 5",
    "link add vx1 type vxlan id 43 dstport 0 group 239.1.1.1 dev va nolearning",
    "link add vx2 type vxlan vni 44 remote 2001:db8::1 dstport 4790 srcport 1000 2000 tos inherit df set flowlabel 0x123 ageing 0 maxaddress 50 noudpcsum udp6zerocsumtx udp6zerocsumrx proxy rsc l2miss l3miss",
    "link add vx3 type vxlan external dstport 4789",
    "link add vx4 type vxlan id 45 ttl auto tos 0x10 df inherit",
    "link add vx5 type vxlan id 46 dstport 4789 ttl inherit gbp",
    "link add vx6 type vxlan id 47 gpe external",
    "link add vx6 type vxlan id 47 gpe",
    "link add vx7 type vxlan id 48 dstport 1 local 2001:db8::5 remcsumtx remcsumrx",
    "link add vx8 type vxlan external id 5",
    "link add vx8 type vxlan dstport 1",
    "link add vx8 type vxlan id 5 group 239.1.1.1",
    "link add vx8 type vxlan id 5 group 10.1.1.1 dev va",
    "link add vx8 type vxlan id 5 remote 239.1.1.1",
    "link add vx8 type vxlan id 5 remote 1.1.1.1 group 239.1.1.1",
    "link add vx8 type vxlan id 16777216",
    "link add vx8 type vxlan id 5 id 6",
    "link add vx8 type vxlan id 5 ttl 300",
    "link add vx8 type vxlan id 5 ttl x",
    "link add vx8 type vxlan id 5 df maybe",
    "link add vx8 type vxlan id 5 flowlabel 0x100000",
    "link add vx8 type vxlan id 5 srcport 1",
    "link add vx8 type vxlan id 5 srcport 1 x",
    "link add vx8 type vxlan id 5 dstport 70000",
    "link add vx8 type vxlan id 5 dev nosuch",
    "link add vx8 type vxlan id 5 frob",
    "link add vx8 type vxlan id 5 learning learning",
    "link add vx8 type vxlan id 5 local bad",
    "link add vx8 type vxlan help",
    "link add vx8 type vxlan id",
    "-6 link add vx9 type vxlan id 49 dstport 4789",
    "-4 link add vx10 type vxlan id 50 dstport 4789",
    "link add vx11 type vxlan id 51 dstport 4789 ageing none maxaddress unlimited tos 0 ttl 0 noproxy norsc nol2miss nol3miss noremcsumtx noexternal",
]
VXLAN += [f"{o}link show {d}" for d in ("vx0", "vx1", "vx2", "vx3", "vx4", "vx5", "vx6",
                                        "vx7", "vx9", "vx10", "vx11")
          for o in ("-d ", "-d -j ")]
VXLAN += ["link set vx0 type vxlan ttl 9", "-d link show vx0", "link set vx0 type vxlan frob"]


def test_vxlan(nkbin):
    """vxlan links made, shown (-d, -j) and refused side by side in twin
    namespaces; the kernel draws each link's MAC address, which is masked.
    Where the kernel has no vxlan driver both print its refusal."""
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("vx-o", ["link set va up"]), fresh_ns("vx-n", ["link set va up"])

    def mask(rows):
        return [(c, rc, re.sub(r'(link/ether |"address":")[0-9a-f:]+', r"\1X", out), err)
                for c, rc, out, err in rows]
    try:
        for x, y in zip(mask(session(IP, a, VXLAN)), mask(session(nk, b, VXLAN))):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])
