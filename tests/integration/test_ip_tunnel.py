# SPDX-License-Identifier: Apache-2.0
"""ip tunnel (the ioctl interface iproute2 6.1 uses for ipip, gre, sit,
isatap and vti) side by side in twin namespaces: every word, every
error before the kernel is asked, and the kernel's answer (this kernel
has no tunnel drivers, so each add/change/del gets its "No such
device" and show lists nothing; where the drivers exist the tunnels are
made in each namespace and listed by both)."""
import os

from conftest import run
from ip_compare import IP, fresh_ns, session

CMDS = [
    "tunnel", "tunnel show", "-6 tunnel", "tunnel add tun0 mode ipip remote 1.2.3.4",
    "tunnel add tun0 mode gre remote 1.2.3.4 local 2.2.2.2 ttl 5 key 7", "tunnel add tun0 mode sit",
    "tunnel add tun0", "tunnel add tun0 mode foo", "tunnel del tun0", "tunnel change tun0 mode ipip",
    "tunnel show tun0", "tunnel add tun0 mode ipip remote x", "tunnel help", "tunnel frob",
    "tunnel add tun0 mode ipip ttl 5 nopmtudisc", "tunnel add mode ipip",
    "tunnel add tun0 mode ipip key 5", "tunnel add tun0 mode gre remote 239.1.1.1",
    "tunnel add tun0 mode gre dev nosuch",
    "tunnel add tun0 mode gre dev va tos inherit/0x10 seq csum ikey 1.2.3.4 okey 9",
    "tunnel add tun0 mode gre tos zz", "tunnel add tun0 mode ipip mode gre",
    "tunnel add tun0 tun1 mode gre", "tunnel add gre5", "tunnel add vti5",
    "tunnel add name x mode isatap", "tunnel add tun0 mode gre key x",
    "tunnel add tun0 mode gre ttl 300", "tunnel add tun0 mode gre ttl", "tunnel a x mode vti",
    "tunnel d gre1", "tunnel ls", "tunnel show mode gre", "-4 tunnel", "tunnel show gre0",
    "tunnel show tunl0 mode ipip", "tunnel list", "tunnel",
]


def test_ip_tunnel(nkbin):
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("tun-o"), fresh_ns("tun-n")
    try:
        for x, y in zip(session(IP, a, CMDS), session(nk, b, CMDS)):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])
