# SPDX-License-Identifier: Apache-2.0
"""Helpers for comparing netkit route with net-tools' route side by side.

Every command runs through `ip netns exec NS` in a namespace of its own,
under a private mount namespace where /etc/hosts, /etc/networks and
/etc/resolv.conf are the test's files: names resolve from known data, and
DNS (a closed port on the namespace's loopback) fails at once, as
net-tools then falls back to numbers."""
import os
import re
import subprocess
import uuid

from conftest import oracle, run

ROUTE = oracle("route")
IP = oracle("ip")

HOSTS = """127.0.0.1 localhost
198.18.7.7 hostseven
198.18.1.254 gwname
198.18.9.0 ninehost
2001:db8:3::5 host6
2001:db8:1::fe gw6
2001:db8:1:: net6
"""
NETWORKS = """default 0.0.0.0
loopback 127.0.0.0
link-local 169.254.0.0
ninenet 198.18.9.0
sevnet 198.18.70
"""
RESOLV = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"

# Many kinds of routes: several tables, host routes, gateways, metrics,
# reject/blackhole/throw, local/broadcast/multicast, multipath, IPv6 ones.
SETUP = """
set -e
sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
ip link set lo up
ip link add d0 address 02:00:00:00:00:01 type veth peer name d0p address 02:00:00:00:00:02
ip link add averylongname15 address 02:00:00:00:00:03 type veth peer name alp address 02:00:00:00:00:04
for l in d0 d0p averylongname15 alp; do ip link set $l up; done
ip addr add 198.18.1.1/24 dev d0
ip addr add 198.18.2.1/16 dev averylongname15
ip route add default via 198.18.1.254
ip route add 198.18.9.0/24 via 198.18.1.2 metric 5
ip route add 198.18.9.0/25 via 198.18.1.3
ip route add 198.18.7.7 via 198.18.1.4
ip route add 198.18.8.8 dev d0
ip route add 127.0.0.0/8 dev d0 metric 7
ip route add 169.254.0.0/16 dev d0
ip route add 198.18.70.0/24 dev d0 mtu 1400 advmss 1300 window 5000 rtt 80ms
ip route add unreachable 198.19.66.0/24
ip route add prohibit 198.19.67.0/24
ip route add blackhole 198.19.68.0/24
ip route add throw 198.19.69.0/24
ip route add local 198.19.70.1 dev d0 table main
ip route add broadcast 198.19.71.255 dev d0 table main
ip route add 198.19.80.0/24 via 198.18.1.9 table 100
ip route add 198.19.81.0/24 via 198.18.1.9 table 4000
ip route add 198.19.82.0/24 nexthop via 198.18.1.5 dev d0 nexthop via 198.18.2.5 dev averylongname15
ip route add 198.19.83.0/24 via 198.18.1.6 dev d0 onlink
ip route add 198.19.84.0/24 dev d0 tos 0x10
ip route add 198.19.84.0/24 dev averylongname15 metric 3
ip route add 224.0.0.0/4 dev d0
ip route add 198.19.90.0/24 via 198.18.1.7 dev d0 proto static
ip route add 198.19.91.0/24 via 198.18.1.7 dev d0 metric 4294967295
ip route add 198.19.92.0/24 via 198.18.1.7 dev d0 proto 99
ip route add 0.0.0.0/1 via 198.18.1.254 metric 9
ip nexthop add id 10 via 198.18.1.11 dev d0
ip nexthop add id 11 via 198.18.1.12 dev d0
ip nexthop add id 12 group 10/11
ip route add 198.19.93.0/24 nhid 10
ip route add 198.19.96.0/24 nhid 12
ip -6 addr add 2001:db8:1::1/64 dev d0 nodad
ip route add 198.19.94.0/24 via inet6 2001:db8:1::77 dev d0
ip -6 route add default via 2001:db8:1::fe
ip -6 route add 2001:db8:2::/48 via 2001:db8:1::2 metric 10
ip -6 route add 2001:db8:3::5/128 dev d0
ip -6 route add unreachable 2001:db8:4::/48
ip -6 route add prohibit 2001:db8:5::/48
ip -6 route add blackhole 2001:db8:6::/48
ip -6 route add 2001:db8:7::/48 via 2001:db8:1::3 table 100
ip -6 route add local 2001:db8:8::1 dev d0
ip -6 route add 2001:db8:9::/64 nexthop via 2001:db8:1::5 nexthop via 2001:db8:1::6
ip -6 route add 2001:db8:a::/64 dev d0 expires 3000
ip -6 route add 2001:db8:b::/64 dev d0 metric 4294967295
"""


class Ns:
    """A network namespace of our own, with the test's name databases."""

    def __init__(self, tmp, setup=None):
        self.name = "nk-route-" + uuid.uuid4().hex[:10]
        self.files = {}
        for fname, text in (("hosts", HOSTS), ("networks", NETWORKS),
                            ("resolv.conf", RESOLV)):
            path = os.path.join(str(tmp), fname)
            with open(path, "w") as f:
                f.write(text)
            self.files[fname] = path
        subprocess.run([IP, "netns", "add", self.name], check=True)
        if setup:
            r = self.sh(setup)
            if r.returncode:
                self.close()
            assert r.returncode == 0, r.stderr

    def close(self):
        subprocess.run([IP, "netns", "del", self.name])

    def _wrap(self, argv):
        binds = " && ".join(f"mount --bind {p} /etc/{n}"
                            for n, p in self.files.items())
        return [IP, "netns", "exec", self.name, "sh", "-c",
                binds + ' && exec "$@"', "sh"] + list(argv)

    def run(self, argv, timeout=120):
        return run(self._wrap(argv), timeout=timeout)

    def sh(self, script):
        return self.run(["bash", "-c", script])


def norm_err(text):
    """getopt names the program by argv[0]; the paths differ."""
    return re.sub(r"^\S*route: ", "route: ", text, flags=re.M)


def compare(ns, nkroute, args, timeout=120, tries=4):
    """Run `route ARGS` with both; return (netkit, net-tools) results.
    IPv6 Ref counts move with the namespace's own traffic (neighbour
    discovery, DAD timers), so a difference is retried a few times."""
    for _ in range(tries):
        a = ns.run([nkroute] + args, timeout=timeout)
        b = ns.run([ROUTE] + args, timeout=timeout)
        if a.stdout == b.stdout:
            break
    return a, b


def assert_same(a, b, what):
    assert a.stdout == b.stdout, f"{what}: stdout differs"
    assert norm_err(a.stderr) == norm_err(b.stderr), f"{what}: stderr differs"
    assert a.returncode == b.returncode, f"{what}: exit code differs"
