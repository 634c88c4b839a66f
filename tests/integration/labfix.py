# SPDX-License-Identifier: Apache-2.0
"""The `lab` fixture: one netkit lab (lab/default.lab) for the whole test
session, brought up under a name of its own and removed at the end.

    def test_x(lab):
        r = lab.exec("client", ["ping", "-c1", lab.addr("target")])
        lab.ns("target")          # -> "nk-NAME-target", for ip -n / ip netns exec
        lab.addresses["r1"]       # -> ["198.18.1.1", "2001:db8:1::1", ...]
        lab.addr("target", 6)     # -> "2001:db8:3::10"

Lab.up(netkit, file=None) brings up another lab (a different topology,
or a second one alongside); call .down() when done. Each lab a session
makes records the session's pid; the next session's fixture takes down the
labs of sessions that died without doing so.
"""
import json
import os
import secrets
import subprocess

import pytest

from conftest import NETKIT, run


OWNER = "pytest-owner"  # in /run/netkit/lab/NAME/: "PID STARTTIME" of the session


def _proc_start(pid):
    """A process's start time (clock ticks since boot), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def reap_orphans(netkit):
    """Take down labs that a test session made and did not live to remove
    (killed by a timeout, ^C twice): their session process is gone."""
    base = "/run/netkit/lab"
    for name in (os.listdir(base) if os.path.isdir(base) else []):
        try:
            with open(os.path.join(base, name, OWNER)) as f:
                pid, start = f.read().split()
        except (OSError, ValueError):
            continue  # not made by a test session: not ours to judge
        if _proc_start(int(pid)) != start:
            run([netkit, "lab", "down", name], timeout=60)


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
        with open(f"/run/netkit/lab/{name}/{OWNER}", "w") as f:
            f.write(f"{os.getpid()} {_proc_start(os.getpid())}\n")
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
    reap_orphans(netkit)
    lb = Lab.up(netkit)
    try:
        yield lb
    finally:
        lb.down()
