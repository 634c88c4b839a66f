# SPDX-License-Identifier: Apache-2.0
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


def test_netns_ids(nkbin):
    """ip netns set / list-id / identify / pids, and the ids in
    `ip netns list`, next to iproute2's."""
    ip = os.path.join(nkbin, "ip")
    tag = uuid.uuid4().hex[:8]
    a, b = f"nk-ida-{tag}", f"nk-idb-{tag}"
    nsid = 1000 + int(tag[:4], 16) % 50000
    for n in (a, b):
        assert run([IP, "netns", "add", n]).returncode == 0
    try:
        r = run([ip, "netns", "set", a, str(nsid)])
        assert (r.returncode, r.stderr) == (0, "")
        assert f"{a} (id: {nsid})" in run([IP, "netns", "list"]).stdout.splitlines()
        assert run([ip, "netns", "set", b, "auto"]).returncode == 0
        # ids seen from inside a: both named, one given by a's own "auto"
        assert run([ip, "-n", a, "netns", "set", b, "7"]).returncode == 0
        assert run([ip, "-n", a, "netns", "set", a, "auto"]).returncode == 0

        def mine(text):
            return [l for l in text.splitlines() if tag in l or "iproute2" not in l]
        for args in (["netns"], ["netns", "list"], ["-j", "netns"], ["netns", "list-id"],
                     ["-j", "netns", "list-id"], ["netns", "list-id", "nsid", str(nsid)],
                     ["netns", "list-id", "target-nsid", str(nsid)],
                     ["-j", "netns", "list-id", "target-nsid", str(nsid)],
                     ["-n", a, "netns"], ["-n", a, "netns", "list-id"],
                     ["netns", "set", a, "5"], ["netns", "set", a, "-3"],
                     ["netns", "set", a, "x"], ["netns", "set", a], ["netns", "set"],
                     ["netns", "set", f"nk-none-{tag}", "5"],
                     ["netns", "list-id", "target-nsid", "x"], ["netns", "list-id", "foo"],
                     ["netns", "list-id", "nsid"], ["netns", "identify"],
                     ["netns", "identify", "1", "2"], ["netns", "identify", "abc"],
                     ["netns", "identify", "999999999"], ["netns", "pids"],
                     ["netns", "pids", f"nk-none-{tag}"], ["netns", "pids", a, "b"],
                     ["netns", "exec", a, IP, "netns", "identify"],
                     ["netns", "exec", b, ip, "netns", "identify"]):
            o, n = run([IP] + args), run([ip] + args)
            assert (n.returncode, n.stderr) == (o.returncode, o.stderr), args
            if args[0] == "-j" and "{" in o.stdout:
                import json
                keep = lambda d: [x for x in d if tag in x.get("name", tag)]  # noqa: E731
                assert keep(json.loads(n.stdout)) == keep(json.loads(o.stdout)), args
            else:
                assert mine(n.stdout) == mine(o.stdout), args
        # a process inside a: both tools find it
        import subprocess
        p = subprocess.Popen([IP, "netns", "exec", a, "sleep", "5"])
        try:
            import time
            for _ in range(50):
                if str(p.pid) in run([IP, "netns", "pids", a]).stdout.split():
                    break
                time.sleep(0.05)
            o, n = run([IP, "netns", "pids", a]), run([ip, "netns", "pids", a])
            assert str(p.pid) in n.stdout.split() and n.stdout == o.stdout
        finally:
            p.kill()
            p.wait()
    finally:
        for n in (a, b):
            run([IP, "netns", "del", n])


def test_netns_attach_and_monitor(nkbin):
    """ip netns attach NAME PID and ip netns monitor, next to iproute2's
    (iproute2's monitor under stdbuf -oL: its printf is block-buffered on a
    pipe). Other users make namespaces meanwhile: only ours are compared."""
    import subprocess
    import time
    ip = os.path.join(nkbin, "ip")
    tag = uuid.uuid4().hex[:8]
    import threading
    mons = [subprocess.Popen(argv + ["netns", "monitor"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for argv in (["stdbuf", "-oL", IP], [ip])]
    seen = [[], []]

    def reader(i):
        for line in mons[i].stdout:
            seen[i].append(line.rstrip("\n"))
    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in (0, 1)]
    for t in threads:
        t.start()
    sleeper = subprocess.Popen(["unshare", "--net", "sleep", "30"])
    names = [f"nk-att{i}-{tag}" for i in range(4)]
    probes = []
    try:
        # both monitors are watching once each has seen a probe name come
        for i in range(50):
            probe = f"nk-probe{i}-{tag}"
            probes.append(probe)
            run([IP, "netns", "add", probe])
            run([IP, "netns", "del", probe])
            time.sleep(0.2)
            if all(any(probe in ln for ln in s) for s in seen):
                break
        pid = str(sleeper.pid)
        for tool, n in ((IP, names[0]), (ip, names[1])):
            r = run([tool, "netns", "attach", n, pid])
            assert (r.returncode, r.stderr) == (0, "")
        for n in names[:2]:
            assert pid in run([IP, "netns", "pids", n]).stdout.split()
        for args in (["netns", "attach"], ["netns", "attach", names[2]],
                     ["netns", "attach", names[2], "x"], ["netns", "attach", names[2], "0"],
                     ["netns", "attach", names[2], "999999999"],
                     ["netns", "attach", "a/b", pid], ["netns", "attach", names[0], pid]):
            o, n = run([IP] + args), run([ip] + args)
            assert (n.returncode, n.stderr) == (o.returncode, o.stderr), args
        run([IP, "netns", "add", names[3]])
        for n in (names[0], names[1], names[3]):
            run([IP, "netns", "del", n])
        for _ in range(50):
            if all(f"delete {names[3]}" in s for s in seen):
                break
            time.sleep(0.1)
    finally:
        sleeper.kill()
        sleeper.wait()
        for m in mons:
            m.terminate()
            m.wait(timeout=10)
        for t in threads:
            t.join(timeout=10)
        for n in names:
            run([IP, "netns", "del", n])
    outs = [[ln for ln in s if tag in ln and "probe" not in ln] for s in seen]
    assert outs[0] == outs[1]
    assert f"add {names[3]}" in outs[0] and f"delete {names[1]}" in outs[0]
