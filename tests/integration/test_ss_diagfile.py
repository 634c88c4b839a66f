# SPDX-License-Identifier: Apache-2.0
"""ss -D FILE and TCPDIAG_FILE next to iproute2 6.1's ss.

The sockets are those of iproute2's testsuite/tests/ss/ssfilter.t (its
ss1.dump is binary and not shipped with us: the original's own `ss -D -a`
writes the same kind of file here, in a namespace of our own). Each of
ssfilter.t's cases then runs with both tools on that file: same output,
and the line ssfilter.t looks for is in it (blanks as one: the columns'
widths follow the widest address, which differs from the file it used)."""
import os
import re
import struct
import subprocess
import sys
import uuid

import pytest

from conftest import NETKIT_BIN, TOP, oracle, run
from ip_compare import IP

SS = oracle("ss")
NK = os.path.join(NETKIT_BIN, "ss")
HELPER = os.path.join(TOP, "tests", "integration", "ss_diagfile_ns.py")

# (arguments, what ssfilter.t's test_on looks for)
CASES = [
    (["-Htna", "dport", "=", "22"], "ESTAB 0 0 10.0.0.1:36266 10.0.0.1:22"),
    (["-Htna", "dport", "22"], "ESTAB 0 0 10.0.0.1:36266 10.0.0.1:22"),
    (["-Htna", "( dport = 22 )"], "ESTAB 0 0 10.0.0.1:36266 10.0.0.1:22"),
    (["-Htna", "src", "=", "0.0.0.0"], "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"),
    (["-Htna", "src", "0.0.0.0"], "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"),
    (["-Htna", "src", "0.0.0.0", "sport", "=", "22"], "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"),
    (["-Htna", "src", "0.0.0.0", "and", "sport", "=", "22"],
     "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"),
    (["-Htna", "src", "10.0.0.1", "and", "sport", "=", "22", "and", "dport", "=", "50312"],
     "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50312"),
    (["-Htna", "src 10.0.0.1 and sport = 22 and ( dport = 50312 )"],
     "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50312"),
    (["-Htna", "src 10.0.0.1 and ( sport = 22 and dport = 50312 )"],
     "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50312"),
    (["-Htna", "( src 10.0.0.1 and sport = 22 ) and dport = 50312"],
     "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50312"),
    (["-Htna", "( src 0.0.0.0 or src 10.0.0.1 ) and dst 10.0.0.2"],
     "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50312"),
]
DUMPS = {"plain": [], "all": ["-a"], "v4": ["-a", "-4"], "v6": ["-a", "-6"]}


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    d = tmp_path_factory.mktemp("diag")
    ns = f"nk-ssd-{uuid.uuid4().hex[:8]}"
    assert run([IP, "netns", "add", ns]).returncode == 0
    try:
        cmds = []
        for name, args in DUMPS.items():
            for tool, tag in ((SS, "o"), (NK, "n")):
                cmds.append(" ".join([tool] + args + ["-D", str(d / f"{name}.{tag}")]))
        r = run([IP, "netns", "exec", ns, sys.executable, HELPER] + cmds)
        assert r.returncode == 0, r.stderr
    finally:
        run([IP, "netns", "del", ns])
    return d


def messages(data):
    out, off = [], 0
    while off + 16 <= len(data):
        ln, typ, flags, seq, pid = struct.unpack_from("=IHHII", data, off)
        out.append((ln, typ, flags, seq, data[off + 16:off + ln]))
        off += (ln + 3) & ~3
    assert off == len(data)
    return out


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_bytes(dumps, name):
    """The same bytes as the original's but the port id (the process's):
    sequence 123456, one NLMSG_DONE per family asked."""
    a = (dumps / f"{name}.o").read_bytes()
    b = (dumps / f"{name}.n").read_bytes()
    ma, mb = messages(a), messages(b)
    assert ma == mb and ma
    assert {m[3] for m in ma} == {123456}
    assert sum(m[1] == 3 for m in ma) == (1 if name in ("v4", "v6") else 2)


def both(args, env):
    a = subprocess.run([SS] + args, env=env, capture_output=True, text=True)
    b = subprocess.run([NK] + args, env=env, capture_output=True, text=True)
    assert (b.returncode, b.stdout, b.stderr) == (a.returncode, a.stdout, a.stderr), args
    return b


@pytest.mark.parametrize("args,want", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_ssfilter_t(dumps, args, want):
    env = dict(os.environ, TCPDIAG_FILE=str(dumps / "all.o"))
    b = both(args, env)
    lines = [" ".join(l.split()) for l in b.stdout.splitlines()]
    assert want in lines


@pytest.mark.parametrize("args", [["-tn"], ["-tan"], ["-ta4"], ["-ta6"], ["-tane"], ["-uan"],
                                  ["-tan", "-o"], ["-tan", "state", "listening"]])
def test_file_like_original(dumps, args):
    """No state or family test on the file's sockets, as in iproute2."""
    env = dict(os.environ, TCPDIAG_FILE=str(dumps / "all.n"))
    both(args, env)


def test_file_errors(dumps, tmp_path):
    both(["-tn"], dict(os.environ, TCPDIAG_FILE=str(tmp_path / "none")))
    cut = tmp_path / "cut"
    cut.write_bytes((dumps / "all.o").read_bytes()[:150])
    both(["-tn"], dict(os.environ, TCPDIAG_FILE=str(cut)))
    cut.write_bytes((dumps / "all.o").read_bytes()[:8])
    both(["-tn"], dict(os.environ, TCPDIAG_FILE=str(cut)))
