"""The `lab` fixture: one netkit lab (lab/default.lab) for the whole test
session, brought up under a name of its own and removed at the end.

    def test_x(lab):
        r = lab.exec("client", ["ping", "-c1", lab.addr("target")])
        lab.ns("target")          # -> "nk-NAME-target", for ip -n / ip netns exec
        lab.addresses["r1"]       # -> ["198.18.1.1", "2001:db8:1::1", ...]
        lab.addr("target", 6)     # -> "2001:db8:3::10"

Lab.up(netkit, file=None) brings up another lab (a different topology,
or a second one alongside); call .down() when done.
"""
import json
import os
import secrets
import subprocess

import pytest

from conftest import NETKIT, run


class Lab:
    def __init__(self, netkit, name, file=None):
        self.netkit = netkit
        self.name = name
        self.file = file
        self.up_result = None
        self.hosts = {}
        self.addresses = {}
        self.prefixes = {}

    @classmethod
    def up(cls, netkit, file=None, name=None, timeout=120):
        name = name or "t" + secrets.token_hex(4)
        lab = cls(netkit, name, file)
        argv = [netkit, "lab", "up", "--name", name] + ([file] if file else [])
        lab.up_result = run(argv, timeout=timeout)
        if lab.up_result.returncode != 0:
            lab.down()
            raise RuntimeError(f"lab up failed: {lab.up_result.stderr}")
        lab._load()
        return lab

    def _load(self):
        r = run([self.netkit, "lab", "status", "-j", self.name], check=True)
        info = json.loads(r.stdout)[0]
        for h in info["hosts"]:
            self.hosts[h["host"]] = h
            self.prefixes[h["host"]] = list(h["addresses"])
            self.addresses[h["host"]] = [a.split("/")[0] for a in h["addresses"]]

    def ns(self, host):
        """The network namespace of a host: nk-NAME-HOST."""
        return f"nk-{self.name}-{host}"

    def addr(self, host, family=4):
        """The host's first address of a family (4 or 6)."""
        for a in self.addresses[host]:
            if (":" in a) == (family == 6):
                return a
        raise KeyError(f"{host} has no IPv{family} address")

    def exec(self, host, argv, **kw):
        """Run argv in the host (its namespace, its /etc/netns resolv.conf)."""
        return run([self.netkit, "lab", "exec", "--lab", self.name, host] + list(argv), **kw)

    def popen(self, host, argv, **kw):
        return subprocess.Popen([self.netkit, "lab", "exec", "--lab", self.name, host]
                                + list(argv), **kw)

    def down(self):
        return run([self.netkit, "lab", "down", self.name], timeout=60)


@pytest.fixture(scope="session")
def lab():
    """The default lab, up for the whole session."""
    netkit = NETKIT
    assert os.access(netkit, os.X_OK), f"{netkit} not built; run make"
    lb = Lab.up(netkit)
    try:
        yield lb
    finally:
        lb.down()
