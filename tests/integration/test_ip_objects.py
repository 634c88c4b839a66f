# SPDX-License-Identifier: Apache-2.0
"""ip netconf, ip addrlabel, ip maddress: the same commands in two fresh
namespaces, one driven by iproute2's ip and one by netkit's; every
command's exit code, stdout and stderr must agree."""
import os

from conftest import run
from ip_compare import IP, fresh_ns, session

# fixed link-layer addresses: the IPv6 solicited-node groups follow them
SETUP = ["link set va address 02:00:00:00:00:0a", "link set vb address 02:00:00:00:00:0b",
         "link set va up", "link set vb up", "addr add 192.0.2.1/24 dev va"]

NETCONF = [
    "netconf", "netconf show", "netconf list", "-4 netconf", "-6 netconf", "-j netconf",
    "netconf show dev va", "-j netconf show dev lo", "-4 netconf show dev va",
    "-6 -j netconf show dev va", "netconf show dev nosuch", "netconf show dev", "netconf frob",
    "netconf help", "-0 netconf",
]
ADDRLABEL = [
    "addrlabel", "-j addrlabel", "addrlabel list", "addrlabel add prefix 2001:db8::/32 label 99",
    "addrlabel add prefix 2001:db8::/32 label 99",
    "addrlabel add prefix 2001:db8:1::/48 label 100 dev va",
    "addrlabel add prefix 2001:db8:2::1 label 7 frob", "addrlabel add prefix 2001:db8:3::/48",
    "addrlabel add label 5", "addrlabel add prefix bad label 5",
    "addrlabel add prefix 2001:db8:3::/48 label x",
    "addrlabel add prefix 2001:db8:3::/48 label 5 dev nosuch",
    "addrlabel add prefix 10.0.0.0/8 label 5", "-6 addrlabel add prefix 10.0.0.0/8 label 5",
    "addrlabel add prefix", "addrlabel show", "-j addrlabel show", "-4 addrlabel",
    "addrlabel show x", "addrlabel del prefix 2001:db8::/32 label 99",
    "addrlabel del prefix 2001:db8::/32 label 99", "addrlabel", "addrlabel flush x",
    "addrlabel flush", "addrlabel", "addrlabel frob", "addrlabel help",
]
MADDR = [
    "maddr", "maddr show dev va", "maddr list va", "-4 maddr", "-6 maddr", "-0 maddr",
    "-j maddr", "-o maddr", "maddr add 01:00:5e:01:02:03 dev va",
    "maddr add 01:00:5e:01:02:03 dev va", "maddr show dev va",
    "maddr add address 33:33:00:00:00:09 dev va", "maddr add zz dev va",
    "maddr add 01:00:5e:01:02:04", "maddr add dev vb", "maddr add 01:00:5e:01:02:04 dev nosuch",
    "maddr show dev va dev vb", "maddr show va vb", "maddr show nosuch", "-j maddr show dev va",
    "maddr del 01:00:5e:01:02:03 dev va", "maddr del 01:00:5e:01:02:03 dev va",
    "maddr show dev va", "maddr frob", "maddr help",
]


def _settle(ns):
    """Wait until the kernel has joined each veth's IPv6 solicited-node
    group (its link-local address comes a moment after the link is up)."""
    import time
    for _ in range(100):
        out = run([IP, "-n", ns, "maddr"]).stdout
        if "ff02::1:ff00:a" in out and "ff02::1:ff00:b" in out:
            return
        time.sleep(0.05)


def _both(nkbin, cmds, sysctls=()):
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("obj-o", SETUP), fresh_ns("obj-n", SETUP)
    try:
        for ns in (a, b):
            for path, value in sysctls:
                run([IP, "netns", "exec", ns, "sh", "-c", f"echo {value} > {path}"])
            _settle(ns)
        for x, y in zip(session(IP, a, cmds), session(nk, b, cmds)):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])


def test_netconf(nkbin):
    _both(nkbin, NETCONF, [("/proc/sys/net/ipv4/conf/va/forwarding", 1),
                           ("/proc/sys/net/ipv4/conf/vb/rp_filter", 2),
                           ("/proc/sys/net/ipv6/conf/va/forwarding", 1)])


def test_addrlabel(nkbin):
    _both(nkbin, ADDRLABEL)


def test_maddr(nkbin):
    _both(nkbin, MADDR)


NTABLE = [
    "ntable", "ntable show", "ntbl", "ntable show dev va", "ntable show dev none",
    "ntable show name arp_cache", "ntable show name arp_cache dev va", "-4 ntable",
    "-6 ntable show dev lo", "-j ntable", "-j -p ntable show dev va", "-o ntable show dev vb",
    "ntable show frob", "ntable show dev nosuch", "ntable show dev", "ntable frob", "ntable help",
    "-0 ntable",
]


def test_ntable(nkbin):
    """In one namespace: each table's reachable time is drawn at random,
    per namespace, and drawn again now and then, and a device's refcnt
    moves while the kernel makes its first IPv6 neighbours: both masked."""
    import re
    nk = os.path.join(nkbin, "ip")
    ns = fresh_ns("ntable", SETUP)

    def mask(t):
        return re.sub(r'((?:reachable|refcnt)"?:? ?)\d+', r"\1N", t)
    try:
        for cmd in NTABLE:
            o = run([IP, "-n", ns] + cmd.split())
            n = run([nk, "-n", ns] + cmd.split())
            assert (n.returncode, n.stderr, mask(n.stdout)) == \
                (o.returncode, o.stderr, mask(o.stdout)), cmd
    finally:
        run([IP, "netns", "del", ns])


NTABLE_STATS = [
    "-s ntable", "-s ntable show name arp_cache", "-s -j ntable show name ndisc_cache",
    "-s -o ntable show dev lo", "-s -s ntable show dev none", "-s -4 ntable show name arp_cache",
]
# what moves between two runs: counters of tables every namespace shares,
# the times of their last flush and rehash, the entries, random values
_NT_MOVING = ("entries", "hash_rnd", "allocs", "destroys", "hash_grows", "res_failed",
              "lookups", "hits", "rcv_probes_mcast", "rcv_probes_ucast", "periodic_gc_runs",
              "forced_gc_runs", "table_fulls", "reachable", "refcnt")


def test_ntable_stats(nkbin):
    """ip -s ntable: each table's config and counters as iproute2 6.1
    prints them (text, -j, -o); the values that move are masked, their
    words and places are not."""
    import re
    nk = os.path.join(nkbin, "ip")
    ns = fresh_ns("ntstat", SETUP)

    def mask(t):
        t = re.sub(r'(last_(?:flush|rand)"?:? ?"?)[0-9: -]+|\(error\)', r"\1T", t)
        return re.sub(r'((?:%s)"?:? ?)\d+' % "|".join(_NT_MOVING), r"\1N", t)
    try:
        seen = 0
        for cmd in NTABLE_STATS:
            o = run([IP, "-n", ns] + cmd.split())
            n = run([nk, "-n", ns] + cmd.split())
            seen += "stats" in o.stdout or '"allocs"' in o.stdout
            assert (n.returncode, n.stderr, mask(n.stdout)) == \
                (o.returncode, o.stderr, mask(o.stdout)), cmd
        assert seen >= 3
    finally:
        run([IP, "netns", "del", ns])


NTABLE_CHANGE = [
    "ntable change", "ntable change dev va", "ntable change name arp_cache",
    "ntable change name arp_cache queue x", "ntable change name arp_cache thresh1 x",
    "ntable change name arp_cache gc_int x", "ntable change name arp_cache dev nosuch queue 5",
    "ntable change name arp_cache frob 1", "ntable change name arp_cache frob",
    "ntable change name arp_cache name x", "ntable change name arp_cache queue",
    "ntable change name arp_cache dev va queue 7 app_probes 2 locktime 500",
    "ntable change name arp_cache thresh1 64 gc_int 15000", "ntable change name frob queue 4",
    "ntable chg name ndisc_cache dev va base_reachable 20000 retrans 500 gc_stale 30000 "
    "delay_probe 2000 ucast_probes 4 mcast_probes 2 anycast_delay 500 proxy_delay 400 "
    "proxy_queue 32",
    "-6 ntable change name ndisc_cache dev vb queue 9", "-4 ntable change name ndisc_cache dev vb queue 9",
    "ntable show dev va", "ntable show dev vb",
]


def test_ntable_change(nkbin):
    """ip ntable change side by side in twin namespaces (a table's own
    thresholds can change only in the first namespace: both print the
    kernel's refusal); then each shows its tables, reachable masked."""
    import re
    nk = os.path.join(nkbin, "ip")
    a, b = fresh_ns("ntc-o", SETUP), fresh_ns("ntc-n", SETUP)

    def mask(rows):
        return [(c, rc, re.sub(r"((?:reachable|refcnt) )\d+", r"\1N", o), e)
                for c, rc, o, e in rows]
    try:
        for x, y in zip(mask(session(IP, a, NTABLE_CHANGE)), mask(session(nk, b, NTABLE_CHANGE))):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])


NEIGH_GET = [
    "neigh get 192.0.2.2 dev va",
    "-j neigh get 192.0.2.2 dev va",
    "--json neigh get 192.0.2.2 dev va",
    "neigh get 192.0.2.3 dev va",
    "neigh get 192.0.2.2",
    "neigh get dev va",
    "neigh get 192.0.2.2 dev nosuch",
    "neigh get to 192.0.2.2 dev va",
    "neigh get 192.0.2.2 192.0.2.3 dev va",
    "neigh get proxy 192.0.2.2",
    "neigh get proxy 192.0.2.9",
    "neigh get bad dev va",
    "-s neigh get 192.0.2.2 dev va",
    "neigh get",
    "-6 neigh get 2001:db8::2 dev va",
    "-4 neigh get 2001:db8::2 dev va",
    "neigh get 192.0.2.2 dev",
]


def test_neigh_get(nkbin):
    """ip neigh get (text even with -j, as iproute2 6.1) side by side in
    twin namespaces; -s's ages in seconds are masked."""
    import re
    nk = os.path.join(nkbin, "ip")
    setup = ["neigh add 192.0.2.2 lladdr 02:00:00:00:00:01 dev va",
             "neigh add 2001:db8::2 lladdr 02:00:00:00:00:02 dev va nud permanent",
             "neigh add proxy 192.0.2.9 dev va"]
    a, b = fresh_ns("ng-o", SETUP + setup), fresh_ns("ng-n", SETUP + setup)

    def mask(rows):
        return [(c, rc, re.sub(r"used \d+/\d+/\d+", "used N", o), e) for c, rc, o, e in rows]
    try:
        for x, y in zip(mask(session(IP, a, NEIGH_GET)), mask(session(nk, b, NEIGH_GET))):
            assert y == x, x[0]
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])
