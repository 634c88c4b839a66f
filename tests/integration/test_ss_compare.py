# SPDX-License-Identifier: Apache-2.0
"""netkit ss against iproute2 6.1's ss, side by side on the same network
namespace: sockets of every kind and state (listening, established,
time-wait, syn-sent towards a dropped port, UDP, UNIX, raw, packet,
netlink), every option, and a table of filter expressions, good and bad.

Both tools run with argv[0] = "ss", so even getopt's messages match. A
namespace changes while it is looked at (timers tick, the tools' own
netlink sockets come and go), so the original runs before and after
netkit and netkit must equal one of the two runs."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest

from conftest import NETKIT_BIN, oracle

HERE = os.path.dirname(__file__)
SS = oracle("ss")
NK = os.path.join(NETKIT_BIN, "ss")


def run_ss(path, args, stdin=None, timeout=60):
    r = subprocess.run(["ss"] + args, executable=path, capture_output=True,
                       timeout=timeout, stdin=stdin, text=True)
    return r.returncode, r.stdout, r.stderr


@pytest.fixture(scope="module")
def sockets():
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "ss_sockets.py")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert line.strip() == "ready"
    time.sleep(0.3)
    yield p
    p.stdin.close()
    p.wait(timeout=10)


def same(args, norm=None):
    """netkit's (rc, stdout, stderr) equals one of two runs of the original."""
    norm = norm or (lambda x: x)
    a = run_ss(SS, args)
    n = run_ss(NK, args)
    b = run_ss(SS, args)
    got = tuple(norm(x) if isinstance(x, str) else x for x in n)
    want = [tuple(norm(x) if isinstance(x, str) else x for x in o) for o in (a, b)]
    if got not in want:
        import difflib
        diff = "\n".join(difflib.unified_diff(want[0][1].splitlines(), got[1].splitlines(),
                                              "iproute2", "netkit", lineterm=""))
        raise AssertionError(f"ss {' '.join(args)}: rc {want[0][0]} vs {got[0]}\n"
                             f"stderr {want[0][2]!r} vs {got[2]!r}\n{diff}")


def loose(text):
    """For outputs with live counters (timers, rtt, rates): numbers and
    the padding that depends on their width are masked. A timer that is
    due prints an empty time in both tools ("timer:(on,,1)"), so the
    time left is masked whole: due in one run, not in the other."""
    text = re.sub(r"timer:\((\w+),[^,)]*,", r"timer:(\1,T,", text)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    return re.sub(r"[ \t]+", " ", text)


def no_own_netlink(text):
    """Drop each tool's own sock_diag socket (a different pid every run)."""
    lines = [l for l in text.splitlines() if not re.search(r"tcpdiag:ss/\d+|\s4:[1-9]\d*\s", l)]
    return re.sub(r"[ \t]+", " ", "\n".join(lines))


EXACT = [
    "-tan", "-ta", "-t", "-tn", "-tln", "-tl", "-uan", "-ua", "-u", "-ul",
    "-xa", "-xan", "-x", "-xl", "-0a", "-0an", "-0", "-wa", "-wan", "-w",
    "-4tan", "-6tan", "-4uan", "-6uan", "-Htan", "-Otan", "-tanp", "-tanpO", "-tanT",
    "-xanp", "-uanp", "-0anp", "-wanp", "-tle", "-te state established", "-tleO", "-uae", "-xae",
    "-0ae", "-0ab", "-0aeO", "-xam", "-0am", "-uam", "-wae",
    "-ta --tos", "-ta --cgroup", "-ta --inet-sockopt", "-ta --inet-sockopt -O",
    "-Ma", "-da", "-Sa", "-Mae",
    "-A tcp,udp", "-A inet -a", "-A unix_stream", "-A unix_dgram -a", "-A unix_seqpacket -a",
    "-A all,!tcp", "-A packet_raw -a", "-A packet_dgram -a", "-A raw -a", "-A tcp -A udp -n",
    "-f inet", "-f inet6 -a", "-f link", "-f unix", "-f unix -a", "--vsock", "--tipc", "--xdp",
    "-4 -6 -t", "-l -4", "-a -6 -n",
    "-p -r --tcp state established", "-p -r --tcp state listening",
    "-t state established state listening", "-t exclude established", "-t excl listening",
    "-t state connected", "-t state synchronized", "-t state bucket", "-t state big",
    "-t state all", "-ta state time-wait", "-ta state syn-sent", "-u state unconnected",
    "-t state closed", "-t state close", "-t state syn-rcv", "-t state fin-wait-1",
    "-x state listening", "-a state unknown",
    "--tcp --all --numeric", "--udp --listening", "--processes --tcp", "--resolve --tcp",
    "--unix --all", "--packet --all", "--raw --all", "--ipv4 --tcp --all",
    "--ipv6 --tcp --all", "--no-header -t", "--oneline -ta", "--extended -tl",
    "--memory -ta", "--query=tcp", "--socket=udp -a", "--family=inet", "--threads -ta",
    "--dccp -a", "--sctp -a", "--mptcp -a", "--listening --numeric -t",
    # md5keys: iproute2 6.1 prints the keys ahead of the table (its printf)
    "-tlni sport = :179", "-tlnim sport = :179", "-tli sport = :bgp", "-6tlni sport = :179",
    # failures, as iproute2 fails
    "-Z", "-z", "-q",  # -V, -v: test_cli.test_versions_* "--bogus", "-f foo", "-A foo", "state bogus", "state",
    "-t state", "-F /nonexistent/file", "-N nkss-no-such-ns", "-f", "-A",
]


@pytest.mark.parametrize("args", EXACT)
def test_option_exact(sockets, args):
    same(args.split())


# Outputs with live values (timers, rtt, pacing rates, memory counters).
LOOSE = ["-tai", "-tmi", "-taiO", "-tao", "-taoe", "-tanoi", "-tami", "--info -ta",
         "--options -ta", "-ti state syn-sent", "-uai", "-Mai", "-a -f netlink",
         "-an -f netlink", "-a -f netlink -e", "-a -f netlink -m", "-an", "-a", "-ae",
         "-tae", "-taeO", "-tane", "--extended -ta", "--listening --numeric"]


@pytest.mark.parametrize("args", LOOSE)
def test_option_loose(sockets, args):
    same(args.split(), norm=lambda t: loose(no_own_netlink(t)))


def test_summary(sockets):
    # "Total" counts every socket, the tools' own included
    same(["-s"], norm=lambda t: re.sub(r"Total: \d+", "Total: N", t))
    same(["--summary", "-t"], norm=lambda t: re.sub(r"Total: \d+", "Total: N", t))


def test_seed_lines(sockets):
    same(["-p", "-r", "--tcp", "state", "established"])
    same(["-p", "-r", "--tcp", "state", "listening"])
    same(["-at", "( dport = :22 or sport = :22 )"])


FILTERS = open(os.path.join(HERE, "ss_filters.txt")).read().splitlines()


@pytest.mark.parametrize("expr", [f for f in FILTERS if f and not f.startswith("#")])
def test_filter(sockets, expr):
    same(["-tan"] + expr.split())
    same(["-uan"] + expr.split())


def test_filter_quoted_whole(sockets):
    # one argument holding the whole expression, as from a shell quote
    for expr in ["( dport = :22 or sport = :22 )", "sport >= :8080 and dport != :22",
                 "! src 127.0.0.1", "dst [::1] or dst 10.9.8.7"]:
        same(["-tan", expr])


def test_filter_unix_packet_netlink(sockets):
    for args in [["-xa", "src", "unix:/tmp/nkss-*"], ["-xa", "src", "unix:@nkss*"],
                 ["-xa", "autobound"], ["-xa", "not", "autobound"],
                 ["-0a", "src", "link:ip"], ["-0a", "src", "link:*:lo"],
                 ["-xa", "sport", "=", ":0"]]:
        same(args)
    same(["-a", "-f", "netlink", "src", "netlink:kernel"], norm=no_own_netlink)
    same(["-a", "-f", "netlink", "src", "netlink:rtnl"], norm=no_own_netlink)


def test_filter_file(sockets, tmp_path):
    f = tmp_path / "filter"
    f.write_text("# a comment\n( dport = :22 or dport = :8080 )\nsport > :1000\n")
    same(["-tn", "-F", str(f)])
    same(["-tnF", str(f)])
    f.write_text("dport = :22\n0 this line is skipped by iproute2\n")
    same(["-tn", "-F", str(f)])
    f.write_text("dport = :22 )\n")
    same(["-tn", "-F", str(f)])


def chain(terms):
    """A filter file of "or"-joined terms, one per line (iproute2 reads
    lines of at most 1023 bytes)."""
    return "\nor ".join(terms) + "\n"


@pytest.mark.parametrize("args", [["-tan"], ["-uan"], ["-tlnp"], ["-tanoe"], ["-tani"],
                                  ["-4tan"], ["-6uan"]])
def test_filter_too_long_for_the_kernel(sockets, tmp_path, args):
    """3,400 terms make 68,000 bytes of bytecode, more than a netlink
    attribute holds: iproute2's request fails to send and it filters
    /proc/net/{tcp,udp}{,6} in user space, quietly; netkit sent it cut
    short and printed "RTNETLINK answers: Invalid argument" twice over an
    empty table. The last terms match the fixture's sockets."""
    f = tmp_path / "filter"
    f.write_text(chain([f"sport = :{40000 + i}" for i in range(3400)]
                       + ["sport = :9999", "dport = :9999", "sport = :53", "sport = :5353",
                          "sport = :123"]))
    same(args + ["-F", str(f)], norm=loose if "o" in args[0] or "i" in args[0] else None)


@pytest.mark.parametrize("what", ["not", "!", "(", "( sport = :1 or"])
def test_filter_nesting_like_bison(sockets, tmp_path, what):
    """iproute2's bison stack holds 10000 entries: 9995 "!" or "(" (3331
    "( x or") around a condition parse, one more is bison's "memory
    exhausted" (usage, exit 255); 100,000 crashed netkit's compiler."""
    per = 3 if " " in what else 1
    ok = (9999 - 4) // per
    for n in (ok, ok + 1, 100000):
        close = "\n)" * n if what.startswith("(") else ""
        (tmp_path / "f").write_text(f"{what}\n" * n + "sport = :9999" + close + "\n")
        same(["-tan", "-F", str(tmp_path / "f")])


def test_filter_chain_of_any_length(sockets, tmp_path):
    """A chain is as deep as one term: 100,000 "or" terms (iproute2 6.1
    crashes on them, so it sees the same filter cut to what still goes to
    /proc) list every socket whose port is in the chain."""
    f, g = tmp_path / "f", tmp_path / "g"
    f.write_text(chain([f"sport = :{i % 65535 + 1}" for i in range(100000)]))
    g.write_text(chain(["sport >= :1"] + ["sport = :1"] * 3400))
    n = run_ss(NK, ["-tan", "-F", str(f)])
    want = [run_ss(SS, ["-tan", "-F", str(g)]) for _ in range(2)]
    assert n[0] == 0 and n in want


def test_filter_stdin(sockets):
    a = subprocess.run(["ss", "-tn", "-F", "-"], executable=SS, input="sport = :22\n",
                       capture_output=True, text=True)
    b = subprocess.run(["ss", "-tn", "-F", "-"], executable=NK, input="sport = :22\n",
                       capture_output=True, text=True)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_help(sockets):
    a = run_ss(SS, ["-h"])
    n = run_ss(NK, ["-h"])
    assert n[0] == a[0] == 0
    # iproute2's text first, then the grammar netkit documents
    assert n[1].startswith(a[1])
    assert "EXPRESSION :=" in n[1] and "--json" in n[1]


def test_netns_option(sockets):
    name = "nkss-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"],
                       check=True)
        srv = subprocess.Popen(["ip", "netns", "exec", name, sys.executable, "-c",
                                "import socket,sys;s=socket.socket();"
                                "s.bind(('127.0.0.1',4321));s.listen();"
                                "print('ok',flush=True);sys.stdin.read()"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert srv.stdout.readline().strip() == "ok"
        same(["-N", name, "-tln"])
        same(["-N", name, "-s"], norm=lambda t: re.sub(r"Total: \d+", "Total: N", t))
        assert "127.0.0.1:4321" in run_ss(NK, ["-N", name, "-tln"])[1]
        srv.stdin.close()
        srv.wait(timeout=10)
    finally:
        subprocess.run(["ip", "netns", "del", name])


def pair(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen()
    c = socket.create_connection(("127.0.0.1", port))
    a, _ = srv.accept()
    return srv, c, a


def test_kill(sockets):
    outs = []
    for tool in (SS, NK):
        srv, c, a = pair(47001)
        r = run_ss(tool, ["-K", "-tn", "dport", "=", ":47001"])
        after = run_ss(SS, ["-tnH", "dport", "=", ":47001"])
        assert after[1] == ""
        with pytest.raises(OSError):
            c.send(b"x" * 10)
            c.recv(1)
        outs.append((r[0], re.sub(r":\d{5} ", ":PORT ", r[1]), r[2]))
        for s in (srv, c, a):
            s.close()
    assert outs[0] == outs[1]


def test_events(sockets):
    outs = []
    for tool in (SS, NK):
        # stdbuf: iproute2 prints through stdio and would lose its
        # buffer when terminated
        argv = (["stdbuf", "-oL"] if tool == SS else []) + [tool, "-E", "-tn", "-H"]
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        srv, c, a = pair(47002)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()
        a.close()
        srv.close()
        time.sleep(0.5)
        p.terminate()
        out = p.communicate(timeout=10)[0]
        outs.append(sorted(re.sub(r":\d{5}\b", ":PORT", l).split() for l in out.splitlines()
                           if "47002" in l))
    assert outs[0] and outs[0] == outs[1]


def test_diag_dump(sockets, tmp_path):
    f = tmp_path / "dump"
    r = run_ss(NK, ["-D", str(f)])
    assert r[0] == 0 and f.stat().st_size > 0
    # the original reads netkit's dump back as it reads its own (up to
    # the first NLMSG_DONE: the IPv4 sockets; test_ss_diagfile.py compares
    # the bytes)
    g = tmp_path / "orig"
    assert run_ss(SS, ["-D", str(g)])[0] == 0
    outs = []
    for dump in (f, g):
        env = dict(os.environ, TCPDIAG_FILE=str(dump))
        a = subprocess.run(["ss", "-tn"], executable=SS, env=env, capture_output=True, text=True)
        assert a.returncode == 0
        outs.append(a.stdout)
    assert outs[0] == outs[1]
    assert outs[0] == "".join(l for l in run_ss(SS, ["-tn4"])[1].splitlines(True))
    same(["-D", "/nonexistent/dir/file"])
    same(["-u", "-D", str(tmp_path / "x")])


def test_json(sockets):
    text = run_ss(NK, ["-tan"])[1].splitlines()[1:]
    r = run_ss(NK, ["-tan", "-j"])
    assert r[0] == 0
    doc = json.loads(r[1])
    assert isinstance(doc, list) and len(doc) == len(text)
    for obj, line in zip(doc, text):
        assert obj["state"] == line.split()[0]
        # the text's "[v6]:port" and "*" are JSON's plain address, a
        # number and null (doc/ss.8.scd)
        for side, field in (("local", 3), ("peer", 4)):
            a, port = obj[side]["address"], obj[side]["port"]
            assert not a.startswith("[") and (port is None or isinstance(port, int))
            a = f"[{a}]" if ":" in a else a
            assert f"{a}:{'*' if port is None else port}" == line.split()[field]
    pretty = run_ss(NK, ["-tan", "--json-pretty"])[1]
    assert json.loads(pretty) == doc and "\n    " in pretty
    nd = run_ss(NK, ["-tan", "--ndjson"])[1].splitlines()
    assert [json.loads(l) for l in nd] == doc


def test_json_congestion_control(sockets):
    """-i's congestion-control details are in -j too: a BBR connection's
    bbr:(bw,mrtt,pacing_gain,cwnd_gain), which iproute2's ss -i prints, as
    an object with those keys (bw in bits/s, mrtt in ms)."""
    srv = socket.socket(socket.AF_INET6)
    srv.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"bbr")
    srv.bind(("::1", 0))
    srv.listen()
    cli = socket.socket(socket.AF_INET6)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"bbr")
    cli.connect(srv.getsockname()[:2])
    acc, _ = srv.accept()
    cli.sendall(b"x" * 100000)
    acc.recv(100000)
    port = srv.getsockname()[1]
    try:
        args = ["-tni", "sport", "=", f":{port}"]
        text = run_ss(SS, args)[1]
        doc = json.loads(run_ss(NK, args + ["-j"])[1])
    finally:
        for s in (acc, cli, srv):
            s.close()
    keys = re.findall(r"bbr:\(([^)]*)\)", text)
    assert len(keys) == len(doc) == 1, text
    bbr = doc[0]["tcp_info"]["bbr"]
    assert sorted(bbr) == sorted(kv.split(":")[0] for kv in keys[0].split(","))
    assert doc[0]["tcp_info"]["cong_alg"] == "bbr"
    assert all(isinstance(v, (int, float)) for v in bbr.values())
    assert doc[0]["local"] == {"address": "::1", "port": port}


def test_json_details(sockets):
    doc = json.loads(run_ss(NK, ["-tanpeimo", "--json"])[1])
    est = [o for o in doc if o["state"] == "ESTAB"]
    assert est
    for o in est:
        assert o["users"][0]["name"].startswith("python")
        assert "inode" in o and "tcp_info" in o and "skmem" in o
    doc = json.loads(run_ss(NK, ["-s", "-j"])[1])
    assert doc["summary"]["tcp"]["estab"] >= 1
    doc = json.loads(run_ss(NK, ["-xa0", "-j"])[1])
    assert {o["netid"] for o in doc} >= {"u_str", "u_dgr", "p_raw"}
    doc = json.loads(run_ss(NK, ["-4tlni", "-j", "sport", "=", ":179"])[1])
    assert doc[0]["md5keys"] == [
        {"addr": "10.0.0.0", "prefixlen": 8, "key": "a\\040b\\054c\\134d\\001\\377"},
        {"addr": "127.0.0.1", "prefixlen": 32, "key": "secret"}]


# -r names the ports of RPC programs from rpcbind's table (RPCBPROC_DUMP
# over /var/run/rpcbind.sock, as Debian's iproute2 6.1 built with libtirpc
# asks). A fake rpcbind answers in a private mount namespace: wildcard
# TCP/UDP mappings name ports of the fixture's sockets, the last mapping of
# a port wins (nfs_acl over nfs), specific addresses and "local" are no names.
RPC_TABLE = [
    [100000, 4, "tcp6", "::.0.111"], [100000, 4, "local", "/run/rpcbind.sock"],
    [100003, 3, "tcp", "0.0.0.0.31.144"], [100227, 3, "tcp", "0.0.0.0.31.144"],
    [100005, 3, "udp", "0.0.0.0.20.233"], [100024, 1, "tcp6", "::.39.15"],
    [100021, 4, "tcp", "127.0.0.1.0.22"], [100011, 1, "udp6", "::.0.53"],
    [100024, 1, "udp", "0.0.0.0.0.123"], [100021, 4, "udp", "::1.0.5.201"],
]


def rpc_compare(args, frag=0, norm=None):
    cmds = [[SS] + args, [NK] + args, [SS] + args]
    r = subprocess.run(["unshare", "--mount", sys.executable,
                        os.path.join(HERE, "fake_rpcbind.py"), "--run", json.dumps(RPC_TABLE),
                        str(frag), json.dumps(cmds)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    a, n, b = (tuple(x) for x in json.loads(r.stdout))
    norm = norm or (lambda x: x)
    got = tuple(norm(x) if isinstance(x, str) else x for x in n)
    want = [tuple(norm(x) if isinstance(x, str) else x for x in o) for o in (a, b)]
    assert got in want, f"ss {' '.join(args)}:\n{a[1]}\nnetkit:\n{n[1]}"
    return n


@pytest.mark.parametrize("args", ["-r -ta", "-r -ua", "-r -a", "-rp --tcp state listening",
                                  "-r -tan", "-ta", "-r -xa"])
def test_resolve_rpc(sockets, args):
    # each tool's own RPC client socket (iproute2 never closes it) shows in
    # the UNIX tables with its own inode, at a place of the kernel's hash
    # order, and netlink sockets come and go
    # and the fake's end of the connection may not be closed yet
    def norm(t):
        return "\n".join(sorted(l for l in loose(no_own_netlink(t)).splitlines()
                                 if not re.search(r"ESTAB.*/run/rpcbind\.sock", l)))
    if "-x" not in args and args != "-r -a":
        norm = None
    out = rpc_compare(args.split(), norm=norm)[1]
    if args in ("-r -ta", "-r -a"):
        assert "rpc.nfs_acl" in out and "rpc.status" in out and "rpc.nfs " not in out
    if args == "-r -ua":
        assert "rpc.mountd" in out and "rpc.rquotad" in out


def test_resolve_rpc_fragments(sockets):
    # a reply in 7-byte fragments is joined before it is read
    assert "rpc.nfs_acl" in rpc_compare(["-r", "-ta"], frag=7)[1]


@pytest.mark.parametrize("shim_src", ["ss_fdsize0.c", "ss_nostatx.c"])
@pytest.mark.parametrize("args", ["-tanp", "-uanp", "-xanp", "-tanpT"])
def test_procs_fallbacks(sockets, tmp_path, args, shim_src):
    """-p on other systems, through a shim: before Linux 6.2 /proc/PID/fd
    has size 0, not its count of fds (the directory must be read), and a
    seccomp filter may refuse statx (the links must be read)."""
    shim = tmp_path / "shim.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(shim),
                    os.path.join(HERE, shim_src), "-ldl"], check=True)
    env = dict(os.environ, LD_PRELOAD=str(shim),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    a = run_ss(SS, args.split())
    r = subprocess.run(["ss"] + args.split(), executable=NK, capture_output=True, text=True,
                       timeout=60, env=env)
    b = run_ss(SS, args.split())
    assert "users:" in a[1]
    assert (r.returncode, r.stdout, r.stderr) in (a, b), r.stdout
