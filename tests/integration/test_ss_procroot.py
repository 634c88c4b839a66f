# SPDX-License-Identifier: Apache-2.0
"""ss with PROC_ROOT and the PROC_NET_* variables: iproute2 6.1 then reads
the TCP, UDP and RAW tables, the summary and the ephemeral port range
from those files instead of asking sock_diag. A copy of this namespace's
files, with sockets of our own in them, is read by both tools: the same
output, and the copy's sockets are in it."""
import os

from conftest import NETKIT_BIN, oracle, run

SS = oracle("ss")
NK = os.path.join(NETKIT_BIN, "ss")
FILES = ["tcp", "tcp6", "udp", "udp6", "raw", "raw6", "sockstat", "sockstat6", "snmp"]
ARGS = [["-tan"], ["-uan"], ["-wan"], ["-s"], ["-tn", "state", "established"], ["-tanH"],
        ["-tln"], ["-atun"], ["-tan", "dport", "=", "2222"], ["-ta", "-6"], ["-tanp"],
        ["-tane"], ["-tani"], ["-tanr"], ["-4tan"]]


# In a namespace of its own (loopback up there, not here): sockets, then
# a copy of the /proc/net files that list them.
MAKE = """
import shutil, socket, sys
lst = socket.socket()
lst.bind(("127.0.0.1", 2222))
lst.listen()
cli = socket.create_connection(("127.0.0.1", 2222))
acc, _ = lst.accept()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 5353))
l6 = socket.socket(socket.AF_INET6)
l6.bind(("::1", 8080))
l6.listen()
for n in sys.argv[2:]:
    shutil.copyfile("/proc/net/" + n, sys.argv[1] + "/" + n)
"""


def test_proc_root(tmp_path):
    net = tmp_path / "net"
    net.mkdir()
    r = run(["unshare", "--net", "sh", "-c",
             'ip link set lo up && exec /usr/bin/python3 -c "$0" "$@"', MAKE, str(net)] + FILES)
    assert r.returncode == 0, r.stderr
    envs = [{"PROC_ROOT": str(tmp_path)}, {"PROC_NET_TCP": str(net / "tcp")},
            {"PROC_NET_TCP": "/nonexistent"}, {"PROC_ROOT": "/nonexistent"},
            {"PROC_NET_UDP": str(net / "udp"), "PROC_NET_SOCKSTAT": str(net / "sockstat"),
             "PROC_NET_SNMP": str(net / "snmp")}]
    for extra in envs:
        env = dict(os.environ, **extra)
        for args in ARGS:
            if "PROC_ROOT" not in extra and "-s" in args:
                continue  # the live tables: they move between the two runs
            # With the live TCP table, timers tick between the runs (39sec
            # then 40sec): netkit's run is taken between two of iproute2's
            # and must equal one of them.
            live = "PROC_ROOT" not in extra and extra.get("PROC_NET_TCP") != str(net / "tcp")
            o = run([SS] + args, env=env)
            n = run([NK] + args, env=env)
            want = [(o.returncode, o.stdout, o.stderr)]
            if live:
                o2 = run([SS] + args, env=env)
                want.append((o2.returncode, o2.stdout, o2.stderr))
            assert (n.returncode, n.stdout, n.stderr.replace(NK, SS)) in want, (extra, args)
    r = run([NK, "-tan"], env=dict(os.environ, PROC_ROOT=str(tmp_path)))
    assert "127.0.0.1:2222" in r.stdout and "[::1]:8080" in r.stdout
