# SPDX-License-Identifier: Apache-2.0
"""ip tunnel (the ioctl interface iproute2 6.1 uses for ipip, gre, sit,
isatap and vti) side by side in twin namespaces: every word, every
error before the kernel is asked, and the kernel's answer (this kernel
has no tunnel drivers, so each add/change/del gets its "No such
device" and show lists nothing; where the drivers exist the tunnels are
made in each namespace and listed by both)."""
import os
import socket
import struct
import subprocess

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


# ---- the ioctls themselves, through tnl_ioctl.c ----
# A preload shim logs every tunnel ioctl (request, socket family, ifr_name
# and the structure's bytes) and, where asked, answers SIOCGETTUNNEL,
# SIOCGETPRL and SIOCGET6RD with given bytes or the other requests with
# success: so the requests are compared byte for byte, and the printers
# and `change` (which reads the tunnel first) are reached on a kernel
# without tunnel drivers.

def v4parm(name="t1", link=0, iflags=0, oflags=0, ikey=0, okey=0, tos=0, ttl=0, frag=0x4000,
           proto=47, saddr="0.0.0.0", daddr="0.0.0.0", host_iflags=0):
    """struct ip_tunnel_parm (host_iflags: VTI_ISVTI/SIT_ISATAP, host order)."""
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 0, 0, frag, ttl, proto, 0,
                      socket.inet_aton(saddr), socket.inet_aton(daddr))
    return (name.encode().ljust(16, b"\0") + struct.pack("=i", link)
            + struct.pack("!HH", iflags | host_iflags >> 8 | (host_iflags & 0xff) << 8, oflags)
            + struct.pack("!II", ikey, okey) + iph).hex()


def v6parm(name="t1", link=0, proto=41, elim=4, hop=64, flowinfo=0, flags=0, laddr="::",
           raddr="::", iflags=0, oflags=0, ikey=0, okey=0):
    """struct ip6_tnl_parm2."""
    return (name.encode().ljust(16, b"\0") + struct.pack("=iBBBx", link, proto, elim, hop)
            + struct.pack("!I", flowinfo) + struct.pack("=I", flags)
            + socket.inet_pton(socket.AF_INET6, laddr) + socket.inet_pton(socket.AF_INET6, raddr)
            + struct.pack("!HHII", iflags, oflags, ikey, okey)).hex()


# struct ip_tunnel_6rd (2001:db8::/32, relay 10.0.0.0/8) and two PRL entries
SIXRD = "20010db8" + "00" * 12 + "0a000000" + "2000" + "0800"
PRL = "0102030401000000" + "00" * 8 + "0506070800000000" + "00" * 8
GRE_ALL = 0x2000 | 0x8000 | 0x1000  # key, csum, seq
V6 = [
    "-6 tunnel", "-6 tunnel show", "-6 tunnel ls mode ip6gre", "-6 tunnel help", "-6 tunnel frob",
    "-6 tunnel add", "-6 tunnel add mode ip6gre", "-6 tunnel add t1", "-6 tunnel a t1 mode vti6",
    "-6 tunnel add t1 mode ip6gre remote 2001:db8::1 local 2001:db8::2 key 5 tclass 0x10 "
    "flowlabel 0x12345 encaplimit none hoplimit 9 dscp inherit",
    "-6 tunnel add t1 mode ipip6 remote 2001:db8::1 ttl 0 tc inherit fl inherit encaplimit 7",
    "-6 tunnel add t1 mode ip4ip6 ikey 1.2.3.4 okey 9 iseq ocsum seq csum allow-localremote",
    "-6 tunnel add t1 allow-localremote noallow-localremote mode any/ipv6 dsfield 0xff",
    "-6 tunnel add t1 mode gre/ipv6 dev va", "-6 tunnel add t1 dev if9", "-6 tunnel add t1 dev nosuch",
    "-6 tunnel add t1 dev a/b", "-6 tunnel add t1 remote 1.2.3.4", "-6 tunnel add t1 local any",
    "-6 tunnel add t1 remote", "-6 tunnel add t1 mode ip6ip7", "-6 tunnel add t1 t2",
    "-6 tunnel add name t1 name t2", "-6 tunnel add a/b", "-6 tunnel add abcdefghijklmnopq",
    "-6 tunnel add t1 hoplimit 256", "-6 tunnel add t1 hlim inherit", "-6 tunnel add t1 tclass 0x100",
    "-6 tunnel add t1 flowlabel 0x100000", "-6 tunnel add t1 flowlabel x", "-6 tunnel add t1 dscp 5",
    "-6 tunnel add t1 key x", "-6 tunnel add t1 key -1", "-6 tunnel add t1 mode ipv6/ipv6 help",
    "-6 tunnel change t1 hoplimit 3", "-6 tunnel change mode ip6gre t1", "-6 tunnel change",
    "-6 tunnel del t1", "-6 tunnel del mode ip6gre", "-6 tunnel d t1 mode vti6",
    "-6 tunnel show t1", "-6 tunnel show t1 mode ip6gre", "-s -6 tunnel show t1",
    "tunnel add t1 mode ip6ip6 remote 2001:db8::1", "-4 tunnel add t1 mode ip6gre",
    "tunnel add mode t1 mode ip6gre", "tunnel show mode any", "-j -6 tunnel", "-0 tunnel",
]
V4 = [
    "tunnel prl", "tunnel prl dev x", "tunnel prl prl-default 1.2.3.4 dev x",
    "tunnel prl prl-nodefault 1.2 prl-delete 2.2.2.2 dev x", "tunnel prl prl-delete any dev x",
    "tunnel prl foo", "tunnel prl dev a/b", "tunnel prl prl-default", "tunnel prl prl-default x dev y",
    "tunnel 6rd", "tunnel 6rd dev sit1 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8",
    "tunnel 6rd dev sit1 6rd-reset", "tunnel 6rd dev sit1 6rd-prefix 10.0.0.0/8",
    "tunnel 6rd dev sit1 6rd-relay_prefix 2001::/8", "tunnel 6rd dev sit1 6rd-prefix 2001:db8::",
    "tunnel 6rd dev sit1 6rd-relay_prefix 10.1.2.3", "tunnel 6rd 6rd-reset", "tunnel 6rd dev sit1 x",
    "tunnel change t1 ttl 9", "tunnel change t1 mode gre key 3 seq", "tunnel change name t1",
    "tunnel add t1 mode gre remote 1.2 local 010.1", "tunnel add a/b mode gre",
    "tunnel show t1 mode gre", "tunnel show t1 mode sit", "-j tunnel", "-s tunnel",
]
GETS = [  # (SIOCGETTUNNEL answer for IPv4, for IPv6)
    (v4parm(tos=0x11, ttl=5, daddr="1.2.3.4", saddr="2.2.2.2", iflags=GRE_ALL, oflags=GRE_ALL,
            ikey=5, okey=5, link=3),
     v6parm(proto=47, link=2, elim=0, hop=0, flowinfo=0x0ff12345, flags=0x7f, laddr="2001:db8::2",
            raddr="2001:db8::1", iflags=GRE_ALL, oflags=0x3000, ikey=7, okey=8)),
    (v4parm(tos=1, frag=0, proto=4, iflags=0x2000, ikey=4),
     v6parm(proto=4, flags=0x40, iflags=0x2000, oflags=0x2000, ikey=3, okey=3)),
    (v4parm(tos=0x10, proto=41, host_iflags=0x0001, daddr="10.0.0.1"),
     v6parm(proto=0, flags=0x3, iflags=0x9000)),
    (v4parm(tos=0x12, proto=50, oflags=0x2000, okey=1), v6parm(proto=50, flags=0x14)),
    (v4parm(proto=0, saddr="9.9.9.9"), v6parm(proto=137, hop=255, elim=255)),
]


def _ioctl_run(tool, ns, cmd, env):
    log = f"/tmp/nk-tnl-{os.getpid()}.log"
    if os.path.exists(log):
        os.unlink(log)
    r = run([tool, "-n", ns] + cmd.split(), env=dict(env, NK_TNL_LOG=log))
    sent = open(log).read() if os.path.exists(log) else ""
    if os.path.exists(log):
        os.unlink(log)
    return r.returncode, r.stdout, r.stderr, sent


def test_ip_tunnel_ioctls(nkbin, tmp_path):
    shim = tmp_path / "tnl.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(shim),
                    os.path.join(os.path.dirname(__file__), "tnl_ioctl.c"), "-ldl"], check=True)
    base = dict(os.environ, LD_PRELOAD=str(shim),
                ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    # every command as the kernel answers it, and those that reached the
    # kernel as if it said yes; then show and change of each family
    # against each answer (the first two with -j, -o and -r too)
    runs = [({}, V6 + V4), ({"NK_TNL_OK": "1"}, None)]
    v6 = [c for c in V6 if "show" in c or "change" in c]
    v4 = [c for c in V4 if "show" in c or "change" in c]
    for i, (g4, g6) in enumerate(GETS):
        opts = ["", "-j ", "-o ", "-r "] if i < 2 else [""]
        runs.append(({"NK_TNL_GET": g4, "NK_TNL_6RD": SIXRD, "NK_TNL_PRL": PRL},
                     [o + c for c in v4 for o in opts]))
        runs.append(({"NK_TNL_GET": g6}, [o + c for c in v6 for o in opts]))
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("tnl-o"), fresh_ns("tnl-n")
    diffs, seen = [], []
    try:
        for e, cmds in runs:
            for cmd in seen if cmds is None else cmds:
                x = _ioctl_run(IP, a, cmd, dict(base, **e))
                y = _ioctl_run(nk, b, cmd, dict(base, **e))
                if x[3] and not e:
                    seen.append(cmd)
                if y != x:
                    diffs.append((e, cmd, x, y))
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])
    assert not diffs, diffs[:3]
    assert len(seen) > 25  # the shim saw the requests
