# SPDX-License-Identifier: Apache-2.0
"""ss with PROC_NET_UNIX, PROC_NET_PACKET, PROC_NET_NETLINK (or PROC_ROOT):
iproute2 6.1 then reads the UNIX, PACKET and NETLINK tables from those
files, never from sock_diag. A copy of this namespace's files, with
sockets of our own in them and malformed lines added after them, is read
by both tools: the same output, and the copy's sockets are in it."""
import json
import os
import subprocess

from conftest import NETKIT_BIN, oracle, run

SS = oracle("ss")
NK = os.path.join(NETKIT_BIN, "ss")

# In a namespace of its own: sockets of each kind, then a copy of the files.
MAKE = """
import os, shutil, socket, sys
d = sys.argv[1]
lst = socket.socket(socket.AF_UNIX)
lst.bind(d + "/sock")
lst.listen()
cli = socket.socket(socket.AF_UNIX)
cli.connect(d + "/sock")
dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
dg.bind("\\0netkit-abstract")
sq = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
sq.bind("\\0")
pr = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
pr.bind(("lo", 0))
pd = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl.bind((0, 0))
for n in ("unix", "packet", "netlink"):
    shutil.copyfile("/proc/net/" + n, d + "/net/" + n)
os.unlink(d + "/sock")
"""

# Lines after the good ones: truncated, split by iproute2's 256-byte reads,
# odd states and types, a last line without its newline. iproute2 keeps a
# field sscanf did not match from the line before (its variables live on).
UNIX_BAD = ("0000000000000000: 00000002 00000000 00000000 0002 01\n"
            "0000000000000001: 00000002 00000000 00000000 0002 01 77 /peer\n"
            "0000000000000000: 00000002 00000000 00000000 0001 00 78 /st0\n"
            "0000000000000000: 00000002 00000000 00000000 0001 04 79 /closing\n"
            "0000000000000000: 00000002 00000000 00000000 0001 03 -5 /neg\n"
            "0000000000000000: 00000002 00000000 00000000 0007 01 80 /type7\n"
            "0000000000000000: 00000002 00000000 00000000 0001 01 81 /" + "a" * 300 + "\n"
            "garbage\n\n"
            "0000000000000000: 00000002 00000000 00000000 0001 01 82 /nonl")
PACKET_BAD = ("0000000000000000 3      3    86dd   1     1 0      0      90\n"
              "0000000000000000 3      2    1234   0     1 5      1000   91\n"
              "0000000000000000 3      3    0806   99    1 0      0      92\n"
              "0000000000000000 3      3    0806   1     1 0      0      93")
# iproute2 parses these into a function's uninitialised locals: only how
# many rows come out is compared for them
PACKET_WORSE = "bad\n0000000000000000 3      3\n"
NETLINK_BAD = ("00000000000000ff 99  -7         00000001 1        2        0     2        0   95\n"
               "zzz\n"
               "00000000000000fe 22  5\n"
               "00000000000000fd 0   -1         00000000 0        0        0     2        0   96\n"
               + "x" * 400 + "\n"
               "00000000000000fc 16  0          00000000 0        0        0     2        0   97")

ARGS = {
    "unix": [["-x"], ["-xa"], ["-xl"], ["-xan"], ["-xap"], ["-xae"], ["-xaH"], ["-A", "unix_dgram"],
             ["-xa", "state", "closing"], ["-xa", "src", "/peer"], ["-xa", "autobound"]],
    "packet": [["-0"], ["-0a"], ["-0ae"], ["-0an"], ["-A", "packet_raw"], ["-0", "src", ":lo"]],
    "netlink": [["-A", "netlink"], ["-A", "netlink", "-n"], ["-A", "netlink", "-e"],
                ["-A", "netlink", "src", "rtnl:kernel"]],
}


def same(args, env):
    o, n = run([SS] + args, env=env), run([NK] + args, env=env)
    assert (n.returncode, n.stdout, n.stderr.replace(NK, SS)) == \
        (o.returncode, o.stdout, o.stderr), (env, args)
    return n


def test_proc_net_local(tmp_path):
    net = tmp_path / "net"
    net.mkdir()
    r = run(["unshare", "--net", "sh", "-c",
             'ip link set lo up && exec /usr/bin/python3 -c "$0" "$@"', MAKE, str(tmp_path)])
    assert r.returncode == 0, r.stderr
    good = {n: (net / n).read_text() for n in ARGS}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "net").mkdir()
    for n, extra in (("unix", UNIX_BAD), ("packet", PACKET_BAD), ("netlink", NETLINK_BAD)):
        (bad / "net" / n).write_text(good[n] + extra)
    for root in (tmp_path, bad):
        for n, argl in ARGS.items():
            env = dict(os.environ, **{"PROC_NET_" + n.upper(): str(root / "net" / n)})
            for args in argl:
                same(args, env)
        for args in (["-a"], ["-ae"], ["-aO"], ["-A", "netlink,unix,packet", "-H"]):
            same(args, dict(os.environ, PROC_ROOT=str(root)))
    for extra in ({"PROC_NET_UNIX": "/nonexistent"}, {"PROC_NET_PACKET": str(tmp_path)},
                  {"PROC_NET_NETLINK": "/dev/null"}, {"PROC_ROOT": "/nonexistent"}):
        for args in (["-x"], ["-0"], ["-A", "netlink"]):
            same(args, dict(os.environ, **extra))
    # more sockets than iproute2 holds at once: it sorts them in batches
    big = tmp_path / "big"
    big.write_text(good["unix"].splitlines(True)[0] + "".join(
        "0000000000000000: 00000002 00000000 00000000 0001 01 %d /p%d\n" % (4000 - i, i)
        for i in range(4000)))
    same(["-xaH"], dict(os.environ, PROC_NET_UNIX=str(big)))
    # a "Peer" header: Num is the peer's inode, named from sockets listed
    # before (each sorting after the one naming it: iproute2 frees a peer
    # printed first and prints freed memory)
    peer = tmp_path / "peer"
    peer.write_text("Peer      RefCount Protocol Flags    Type St Inode Path\n"
                    "00000000: 00000002 00000000 00000000 0002 01 700 /srv\n"
                    "00000000: 00000002 00000000 00000000 0002 01 705\n"
                    "000002BC: 00000003 00000001 00000000 0001 03 701 /cli\n"
                    "000003E7: 00000001 00000002 00000000 0001 03 702\n"
                    "000002C1: 00000001 00000000 00000000 0001 03 706\n"
                    "000003E8: 00000001 00000000 00000000 0005 01 704 @seq\n")
    for args in (["-xa"], ["-xaH"], ["-xa", "state", "established"], ["-xa", "src", "/cli"]):
        same(args, dict(os.environ, PROC_NET_UNIX=str(peer)))
    worse = tmp_path / "worse"
    worse.write_text(good["packet"] + PACKET_WORSE)
    env = dict(os.environ, PROC_NET_PACKET=str(worse))
    o, n = run([SS, "-0"], env=env), run([NK, "-0"], env=env)
    assert (n.returncode, len(n.stdout.splitlines()), n.stderr) == \
        (o.returncode, len(o.stdout.splitlines()), o.stderr)
    env = dict(os.environ, PROC_ROOT=str(tmp_path))
    r = run([NK, "-xa"], env=env)
    assert str(tmp_path / "sock") in r.stdout and "@netkit-abstract" in r.stdout
    r = run([NK, "-0a"], env=env)
    assert "ip:lo" in r.stdout and "p_dgr" in r.stdout


# Sockets in a namespace of their own, and both tools run there through the
# shim: sock_diag cannot be opened, so both say so (once per table tried)
# and read /proc/net.
NODIAG = """
import json, os, socket, subprocess, sys
d, ss, nk = sys.argv[1:4]
lst = socket.socket(socket.AF_UNIX)
lst.bind(d + "/sock")
lst.listen()
cli = socket.socket(socket.AF_UNIX)
cli.connect(d + "/sock")
pr = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
pr.bind(("lo", 0))
out = []
for args in (["-xa"], ["-x"], ["-0a"], ["-a", "-A", "netlink"], ["-a", "-A", "netlink,packet,unix"],
             ["-tan"], ["-a"], ["--xdp", "-a"], ["-a", "-A", "vsock_stream"], ["-ta", "-D", "-"]):
    for exe in (ss, nk):
        r = subprocess.run([exe] + args, capture_output=True, text=True, timeout=60)
        out.append((args, r.returncode, r.stdout, r.stderr.replace(nk, ss)))
print(json.dumps(out))
"""


def test_no_sock_diag(tmp_path):
    shim = tmp_path / "shim.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(shim),
                    os.path.join(os.path.dirname(__file__), "ss_nodiag.c"), "-ldl"], check=True)
    env = dict(os.environ, LD_PRELOAD=str(shim),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    r = run(["unshare", "--net", "sh", "-c",
             'ip link set lo up && exec /usr/bin/python3 -c "$0" "$@"', NODIAG, str(tmp_path),
             SS, NK], env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for o, n in zip(out[::2], out[1::2]):
        assert n == o, o[0]
    assert str(tmp_path / "sock") in out[0][2] and "ip:lo" in out[4][2]
    assert "Cannot open netlink socket" in out[0][3]
