"""ip netns add / exec / delete with netkit, checked with iproute2, and
their errors next to iproute2's."""
import os
import uuid

from conftest import run
from ip_compare import IP


def test_netns_lifecycle(nkbin):
    ip = os.path.join(nkbin, "ip")
    name = f"nk-ipns-{uuid.uuid4().hex[:8]}"
    r = run([ip, "netns", "add", name])
    assert r.returncode == 0, r.stderr
    try:
        assert name in run([IP, "netns", "list"]).stdout.split()
        # the new namespace has only a loopback, down
        a = run([IP, "-n", name, "link"])
        assert a.stdout.startswith("1: lo: <LOOPBACK> ")
        b = run([ip, "netns", "exec", name, IP, "link"])
        assert b.returncode == 0 and b.stdout == a.stdout
        c = run([ip, "-n", name, "link", "set", "lo", "up"])
        assert c.returncode == 0
        assert "LOOPBACK,UP" in run([IP, "-n", name, "link"]).stdout
        for args in (["netns", "add", name], ["netns", "exec", name],
                     ["netns", "exec", name, "/nonexistent"], ["netns", "add", "a/b"],
                     ["netns", "add"], ["netns", "frob"]):
            o = run([IP] + args)
            n = run([ip] + args)
            assert (n.returncode, n.stderr) == (o.returncode, o.stderr), args
    finally:
        r = run([ip, "netns", "del", name])
    assert r.returncode == 0, r.stderr
    assert name not in run([IP, "netns", "list"]).stdout.split()
    for args in (["netns", "del", name], ["netns", "exec", name, "true"],
                 ["-n", name, "link"]):
        o = run([IP] + args)
        n = run([ip] + args)
        assert (n.returncode, n.stderr) == (o.returncode, o.stderr), args
