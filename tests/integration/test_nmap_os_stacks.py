# SPDX-License-Identifier: Apache-2.0
"""nmap -O on the stacks of lab/osstacks.sh (Linux in several sysctl
configurations, user-mode Linux 6.1, lwIP, LWIPv6, gVisor's netstack, Slirp,
pasta, ns-3, EDK II firmware), netkit side by side with nmap
7.93 (-O -d): every test value that is deterministic for a stack is equal,
and netkit names each stack's family from its own knowledge (data/os), or
says it does not know: never a wrong family. nmap's verdicts are printed
beside netkit's (pytest -s). Packets go only into that lab's namespaces.

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q -s \\
        -p no:cacheprovider tests/integration/test_nmap_os_stacks.py
"""
import json
import os
import re
import sys

import pytest

from conftest import NETKIT, NETKIT_BIN, TOP, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
FAMILY = {"linux": "Linux", "lwip": "lwIP", "lwipv6": "LWIPv6", "gvisor": "gVisor",
          "slirp": "Slirp", "pasta": "passt", "uml": "Linux", "ns3": "ns-3",
          "edk2": "EDK II"}
# values that vary from try to try on one stack (not compared; SS varies on
# lwIP and gVisor only, which echo the request's IP ID: VARIES below)
RATES = {("SEQ", "SP"), ("SEQ", "ISR"), ("SEQ", "TS"), ("SEQ", "GCD"),
         ("SCAN", "CU"),
         ("SCAN", "TM"), ("SCAN", "D"), ("SCAN", "NK"), ("SCAN", "V"), ("SCAN", "P"),
         ("SCAN", "E")}

# per stack, what is not deterministic there. lwIP and gVisor echo the echo
# request's IP ID, so II (and SS, there or not with it: seen on gVisor in
# one run of ~10) follow the prober's random IDs. LWIPv6
# copies the request's TTL into its echo reply (IE.T is the prober's random
# TTL less the hops) and its port unreachable carries uninitialised memory
# in the unused word (U1.UN: 0xBEBE, 0x8F00, 0x1008F00 seen). Slirp answers
# U1 only now and then (its port unreachable waits on a host socket's
# error): with it the distance is known (DS, DC, T), without it not (TG).
# pasta answers neither U1 nor IE: nmap 7.93 then prints DC=I without DS
# when it probes pasta among other hosts, nothing when it probes it alone.
VARIES = {"lwip": {("SEQ", "II"), ("SEQ", "SS")}, "gvisor": {("SEQ", "II"), ("SEQ", "SS")},
          "lwipv6": {("IE", "T"), ("U1", "UN")},
          "slirp": {("U1", "*"), ("SCAN", "DS"), ("SCAN", "DC"), ("SCAN", "G"),
                    ("SCAN", "CU"), ("*", "TG")},
          "pasta": {("SCAN", "DC")}}


def drop_varying(fp, kind):
    for test, attr in VARIES.get(kind, ()):
        if test == "*":  # the TTL guessed or exact: compared as one
            for t in fp.values():
                if attr in t:
                    t["T"] = t.pop(attr)
        elif attr == "*":
            fp.pop(test, None)
        else:
            fp.get(test, {}).pop(attr, None)
    return fp


@pytest.fixture(scope="module")
def stacks():
    name = f"os{os.getpid() % 100000}"
    script = os.path.join(TOP, "lab", "osstacks.sh")
    env = dict(os.environ, NETKIT=NETKIT)
    r = run([script, "up", name], env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    try:
        hosts = [l.split() for l in run([script, "hosts", name], env=env).stdout.splitlines()]
        yield name, hosts
    finally:
        run([script, "down", name], env=env)


def scan(lab, tool, addrs, extra=()):
    argv = ["ip", "netns", "exec", f"nk-{lab}-client", tool, "-O", "-d", "-Pn", "-n", "-sS",
            "-p", "22,80", "--max-os-tries", "1"] + list(extra) + addrs
    r = run(argv, timeout=300)
    assert r.returncode == 0, (tool, r.stderr)
    return {m.group(1): m.group(2) for m in
            re.finditer(r"Nmap scan report for (\S+)\n(.*?)(?=Nmap scan report for |\Z)",
                        r.stdout, re.S)}


def fingerprint(text):
    """{test: {attr: value}}: nmap wraps an ideal fingerprint in OS: lines
    and shows a non-ideal one (no UDP answer, say) a test a line."""
    s = "".join(l[3:] for l in text.splitlines() if l.startswith("OS:")) or \
        "".join(l for l in text.splitlines() if re.match(r"(SCAN|SEQ|OPS|WIN|ECN|T\d|U1|IE)\(", l))
    return {n: dict(kv.split("=", 1) for kv in b.split("%") if kv)
            for n, b in re.findall(r"([A-Z0-9]+)\(([^)]*)\)", s)}


def verdict(text):
    """The family netkit or nmap names, or None."""
    m = re.search(r"^OS details: (.*)$", text, re.M) or \
        re.search(r"^netkit: OS family (\S+),", text, re.M) or \
        re.search(r"^Aggressive OS guesses: ([^,(\n]*)", text, re.M)
    return m.group(1).strip() if m else None


def named(addr, kind, cfg, ours, theirs):
    """netkit's verdict on addr, printed beside nmap's; for edk2 (no open
    port) nmap -d's reason is checked first (netkit's too, unmatched: below)."""
    if kind == "edk2":
        assert "OS fingerprint not ideal because: Missing an open TCP port so results " \
            "incomplete" in theirs[addr], theirs[addr]
    said = verdict(ours[addr])
    print(f"{addr} {kind} {cfg}: netkit {said or 'unknown'}; "
          f"nmap {verdict(theirs[addr]) or 'no match'}")
    return said


def hosts6(lab):
    """lab/osstacks.sh's IPv6 hosts: [address, kind, configuration]."""
    env = dict(os.environ, NETKIT=NETKIT)
    return [l.split() for l in run([os.path.join(TOP, "lab", "osstacks.sh"), "hosts6", lab],
                                   env=env).stdout.splitlines()]


def test_stacks_like_nmap_and_named_right(stacks, tmp_path):
    lab, hosts = stacks
    kinds = {h[1] for h in hosts}
    assert {"linux", "lwip"} <= kinds, hosts  # gVisor needs Go and Debian's gVisor sources
    addrs = [h[0] for h in hosts]
    theirs = scan(lab, oracle("nmap"), addrs, ["--osscan-guess"])
    ours = scan(lab, NMAP, addrs, ["-v", "-oJ", str(tmp_path / "nk.json")])
    evidence = {o["addr"]: o["os"] for o in map(json.loads, open(tmp_path / "nk.json"))}
    # pasta answers a SYN once its own connect() on the host side is done:
    # on a loaded machine netkit's scan of 17 hosts missed its open port
    # once in ~10 runs (nmap's did not: noticed, issue 12); such a host is
    # scanned again alone
    for addr, kind, _ in hosts:
        if kind == "pasta" and "SEQ" not in fingerprint(ours[addr]):
            again = tmp_path / f"again-{addr}.json"
            ours[addr] = scan(lab, NMAP, [addr], ["-v", "-oJ", str(again)])[addr]
            evidence[addr] = json.loads(open(again).readline())["os"]
    bad = []
    for addr, kind, cfg in hosts:
        nk = drop_varying(fingerprint(ours[addr]), kind)
        nm = drop_varying(fingerprint(theirs[addr]), kind)
        assert set(nk) == set(nm), (addr, sorted(nk), sorted(nm))
        for test in nm:
            a, b = dict(nk[test]), nm[test]
            a.pop("NK", None)
            assert set(a) == set(b), (addr, test, sorted(a.items()), sorted(b.items()))
            for k in b:
                if (test, k) not in RATES and a[k] != b[k]:
                    bad.append((addr, kind, cfg, test, k, a[k], b[k]))
        said = named(addr, kind, cfg, ours, theirs)
        # every stack here is in data/os: the right family, never another
        assert said is not None, ours[addr]
        assert said.startswith(FAMILY[kind]), (addr, said)
        # -oJ: the same verdict with its evidence
        ev = evidence[addr]
        assert ev["verdict"] in ("exact", "family") and ev["family"] == FAMILY[kind], ev
        assert ev["supported_by"] and ev["matches"], ev
        if ev["verdict"] == "family":  # how often such answers were right
            c = ev["calibration"]
            assert 0 < c["right_lower95"] <= c["right"] / c["cases"] <= 1, c
    assert not bad, bad


def knowledge_without(top, family, observations, db):
    """A --datadir under TOP whose os/DB is built (scripts/os-dbgen.py) from
    data/os/OBSERVATIONS without FAMILY's blocks; returns its path."""
    obs = open(os.path.join(TOP, "data", "os", observations)).read().split("\n\n")
    d = top / "os"
    d.mkdir(parents=True)
    kept = [b for b in obs if f"| {family} |" not in b]
    assert len(kept) < len(obs), family
    (d / observations).write_text("\n\n".join(kept))
    r = run(["/usr/bin/python3", os.path.join(TOP, "scripts", "os-dbgen.py"),
             str(d / observations), str(d / db)])
    assert r.returncode == 0, r.stderr
    return str(top)


def test_unseen_family_is_unknown(stacks, tmp_path):
    """Each family left out of the knowledge (data/os/os-db regenerated
    without its observations, given with --datadir): a host of it is
    "unknown", even with --osscan-guess: no OS details, no guesses, never
    another family's name; -v says the nearest stacks and the differences."""
    lab, hosts = stacks
    one = {}
    for addr, kind, _ in hosts:
        one.setdefault(kind, addr)
    for kind, addr in sorted(one.items()):
        datadir = knowledge_without(tmp_path / kind, FAMILY[kind], "observations", "os-db")
        text = scan(lab, NMAP, [addr], ["-v", "--osscan-guess", "--datadir", datadir])[addr]
        assert "No exact OS matches for host" in text, (kind, text)
        assert "OS details:" not in text and "Aggressive OS guesses" not in text, (kind, text)
        if kind == "edk2":  # as nmap -d words it (checked against nmap above)
            assert "OS fingerprint not ideal because: Missing an open TCP port so results " \
                "incomplete" in text, text
        assert re.search(r"^netkit: OS unknown: a stack none of its \d+ known ones matches; "
                         r"nearest: .*; differing in .+", text, re.M), (kind, text)


# IPv6 (-6 -O): per stack, what varies from run to run in its replies
# beyond what test_nmap_os6.features() leaves out
VARIES6 = {}


def test_stacks6_like_nmap_and_named_right(stacks):
    """-6 -O on the stacks that speak IPv6 here (lab/osstacks.sh hosts6:
    Linux in its sysctl configurations, user-mode Linux 6.1, LWIPv6,
    gVisor), all in one run each: nmap 7.93's replies and netkit's are
    alike probe by probe (test_nmap_os6.features), and netkit names each
    stack's family from its own IPv6 observations (data/os/observations6),
    where nmap 7.93 names none."""
    from osfix import fingerprint as fp6
    from test_nmap_os6 import features
    lab, _ = stacks
    hosts = hosts6(lab)
    kinds = {h[1] for h in hosts}
    assert "linux" in kinds and "lwipv6" in kinds, hosts
    addrs = [h[0] for h in hosts]
    theirs = scan(lab, oracle("nmap"), addrs, ["-6"])
    ours = scan(lab, NMAP, addrs, ["-6", "-v"])

    def unlike(hosts, ours, theirs):
        bad = []
        for addr, kind, cfg in hosts:
            nk, nm = fp6(ours[addr]), fp6(theirs[addr])
            assert set(nk) == set(nm), (addr, kind, sorted(nk), sorted(nm))
            for probe in nm:
                if probe in ("SCAN", "EXTRA"):
                    continue
                a, b = features(nk[probe]["P"]), features(nm[probe]["P"])
                for k in VARIES6.get(kind, {}).get(probe, ()):
                    a.pop(k, None), b.pop(k, None)
                if a != b:
                    bad.append((addr, kind, cfg, probe, a, b))
        return bad

    for addr, kind, cfg in hosts:
        said = named(addr, kind, cfg, ours, theirs)
        assert said is not None and said.startswith(FAMILY[kind]), (addr, kind, ours[addr])
    bad = unlike(hosts, ours, theirs)
    if bad:
        # A stack's one reply can differ from run to run (CI saw the host
        # kernel's S5 SYN-ACK once with flow label 0 in netkit's run, not in
        # nmap's): the hosts that differed are scanned again by both tools,
        # and a real difference fails both tries.
        print("first try:", bad, file=sys.stderr)
        again = [h for h in hosts if h[0] in {b[0] for b in bad}]
        addrs = [h[0] for h in again]
        bad = unlike(again, scan(lab, NMAP, addrs, ["-6", "-v"]),
                     scan(lab, oracle("nmap"), addrs, ["-6"]))
    assert not bad, bad


def test_unseen_family_is_unknown6(stacks, tmp_path):
    """-6 -O with each IPv6 family left out of the knowledge (os-db6
    regenerated without its observations, given with --datadir): a host of
    it is "unknown", even with --osscan-guess, never another family."""
    lab, _ = stacks
    hosts = hosts6(lab)
    one = {}
    for addr, kind, _ in hosts:
        one.setdefault(FAMILY[kind], addr)
    for fam, addr in sorted(one.items()):
        datadir = knowledge_without(tmp_path / fam, fam, "observations6", "os-db6")
        text = scan(lab, NMAP, [addr], ["-6", "-v", "--osscan-guess", "--datadir",
                                        datadir])[addr]
        assert "No OS matches for host" in text, (fam, text)
        assert "OS details:" not in text and "Aggressive OS guesses" not in text, (fam, text)
        assert re.search(r"^netkit: OS unknown: a stack none of its \d+ known ones matches; "
                         r"nearest: .*; differing in .+", text, re.M), (fam, text)
