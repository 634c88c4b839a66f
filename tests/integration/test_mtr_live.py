# SPDX-License-Identifier: Apache-2.0
"""netkit mtr beyond report layout: Paris probing on an ECMP path, the
unprivileged modes, the live screen in tmux, a dead DNS server, and speed
against mtr 0.95."""
import json
import os
import sys
import re
import subprocess
import time

import pytest

from conftest import oracle
from mtrfix import path, ecmp, hop_names, report_rows, mtr_view  # noqa: F401

V4 = "198.18.3.10"
V6 = "2001:db8:3::10"
MTR = oracle("mtr")
NOBODY = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]


def extra_lines(out):
    """Lines of a report that list a second address of a hop."""
    _, rows = report_rows(out)
    return [r for r in rows if r.startswith("        ")]


@pytest.mark.parametrize("proto", ["-u", "-T"])
def test_ecmp_paris(ecmp, nkbin, proto):
    """mtr's per-probe flows show two addresses at the balanced hops;
    netkit's constant flow shows one path, no loss, and the same hop count."""
    # -G 1: mtr 0.95 waits its whole grace time (5 s) after the last cycle
    # even with every answer in (within milliseconds on this lab's paths)
    args = ["-r", "-n", "-c", "16", "-i", "0.05", "-G", "1", proto, V4]
    ours = ecmp.run([f"{nkbin}/mtr"] + args)
    theirs = ecmp.run([MTR] + args)
    assert ours.returncode == 0, ours.stderr
    assert len(hop_names(ours.stdout)) == len(hop_names(theirs.stdout)) == 4
    assert extra_lines(theirs.stdout), theirs.stdout  # the ECMP path is real
    assert extra_lines(ours.stdout) == []
    assert " 0.0%" in report_rows(ours.stdout)[1][1]
    # and without Paris netkit sees the balancing as mtr does
    classic = ecmp.run([f"{nkbin}/mtr", "--no-paris"] + args)
    assert extra_lines(classic.stdout)


def test_json_layout_ecmp(ecmp, nkbin):
    """--json on a balanced path is mtr's document too: one "host" per hop
    (the hop's first address; which of the two balanced routers that is
    depends on the run, so they are masked), measured times masked."""
    args = ["--json", "-n", "-u", "--no-paris", "-c", "8", "-i", "0.05", "-G", "1", V4]
    ours = ecmp.run([f"{nkbin}/mtr"] + args)
    theirs = ecmp.run([MTR] + args[:3] + args[4:])

    def mask(s):
        s = re.sub(r"198\.18\.1[23]\.2", "R2", s)
        return re.sub(r"\d+\.\d+", "N", s)
    assert ours.returncode == 0, ours.stderr
    assert mask(mtr_view(ours.stdout, theirs.stdout)) == mask(theirs.stdout)


def test_ecmp_flows(ecmp, nkbin):
    # the kernel hashes each flow onto a path with a seed of its own: with 4
    # flows all took one path in 1 run of 8 (failed in a full run); with 16,
    # 1 in 32,768
    r = ecmp.run([f"{nkbin}/mtr", "--json", "-n", "-u", "--flows", "16", "-c", "32", "-i", "0.05",
                  V4])
    assert r.returncode == 0, r.stderr
    flows = json.loads(r.stdout)["report"]["flows"]
    assert len(flows) == 16
    second = set()
    for f in flows:
        hosts = [h["host"] for h in f["hubs"]]
        assert len(hosts) == 4 and hosts[-1] == V4
        assert all(len(h["addrs"]) == 1 for h in f["hubs"])
        second.add(hosts[1])
    # sixteen flows over two equal paths: both are seen
    assert second == {"198.18.12.2", "198.18.13.2"}


@pytest.mark.parametrize("args,mode", [
    ([V4], "ICMP datagram socket"),
    (["-u", V4], "UDP socket with IP_RECVERR"),
    (["-6", V6], "ICMP datagram socket"),
    (["-6", "-u", V6], "UDP socket with IP_RECVERR"),
])
def test_unprivileged(path, nkbin, args, mode):
    cmd = NOBODY + [f"{nkbin}/mtr", "-r", "-n", "-c", "3", "-i", "0.2"] + args
    r = path.run(cmd)
    assert r.returncode == 0, r.stderr
    assert mode in r.stderr
    root = path.run([MTR, "-r", "-n", "-c", "2", "-i", "0.2"] + args)
    assert hop_names(r.stdout) == hop_names(root.stdout)
    assert all(" 0.0%" in row for row in report_rows(r.stdout)[1])


def test_unprivileged_no_ping_group(path, nkbin):
    path.run(["sysctl", "-qw", "net.ipv4.ping_group_range=1 0"])
    try:
        r = path.run(NOBODY + [f"{nkbin}/mtr", "-r", "-n", "-c", "2", "-i", "0.2", V4])
    finally:
        path.run(["sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"])
    assert r.returncode == 0, r.stderr
    assert "UDP socket with IP_RECVERR" in r.stderr
    assert hop_names(r.stdout)[-1] == V4


@pytest.mark.parametrize("args", [["-T", V4], ["-T", "-P", "22", V4], ["-6", "-T", V6]])
def test_unprivileged_tcp(path, nkbin, args):
    r = path.run(NOBODY + [f"{nkbin}/mtr", "-r", "-n", "-c", "3", "-i", "0.2"] + args)
    assert r.returncode == 0, r.stderr
    assert "TCP connect() per probe with IP_RECVERR" in r.stderr
    root = path.run([MTR, "-r", "-n", "-c", "2", "-i", "0.2"] + args)
    assert hop_names(r.stdout) == hop_names(root.stdout)
    assert all(" 0.0%" in row for row in report_rows(r.stdout)[1])


def test_forced_dgram_as_root(path, nkbin):
    r = path.run([f"{nkbin}/mtr", "--unprivileged", "-r", "-n", "-c", "2", "-i", "0.2", V4])
    assert "ICMP datagram socket" in r.stderr
    assert hop_names(r.stdout)[-1] == V4


def test_dead_dns_never_stalls(path, nkbin):
    """With the resolver unreachable, names and AS data just stay numbers;
    the run takes as long as without DNS (mtr stalls here)."""
    conf = path.resolv_conf()
    with open(conf) as f:
        saved = f.read()
    with open(conf, "w") as f:
        f.write("nameserver 198.18.3.99\n")
    try:
        t0 = time.monotonic()
        r = path.run([f"{nkbin}/mtr", "-r", "-z", "-c", "3", "-i", "0.2", V4], timeout=30)
        took = time.monotonic() - t0
    finally:
        with open(conf, "w") as f:
            f.write(saved)
    assert r.returncode == 0, r.stderr
    assert hop_names(r.stdout)[-1] == V4
    assert "AS???" in r.stdout
    assert took < 5.0


def tmux(*args):
    return subprocess.run(["tmux"] + list(args), capture_output=True, text=True, timeout=10)


def screen(session):
    return tmux("capture-pane", "-p", "-t", session).stdout


def wait_for(session, pattern, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = screen(session)
        if re.search(pattern, s, re.M):
            return s
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} never appeared:\n{screen(session)}")


def test_live_screen(path, nkbin):
    session = f"nkmtr{os.getpid()}"
    cmd = " ".join(path.ns() + [f"{nkbin}/mtr", "-i", "0.2", V4])
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "24", cmd)
    try:
        s = wait_for(session, r"^ 3\. target\.lab .* 0\.0%")
        assert "My traceroute  [v0.95]" in s
        assert "Keys:  Help   Display mode   Restart statistics   Order of fields   quit" in s
        assert re.search(r"Packets +Pings", s)
        sent = int(re.search(r"^ 1\. r1\.lab +\S+ +(\d+)", s, re.M).group(1))
        s = wait_for(session, r"^ 1\. r1\.lab +\S+ +(?!%d\b)\d+ " % sent)  # it updates
        tmux("send-keys", "-t", session, "n")
        wait_for(session, r"^ 1\. 198\.18\.1\.1 ")
        tmux("send-keys", "-t", session, "n", "z")
        wait_for(session, r"^ 1\. AS64501  r1\.lab")
        tmux("send-keys", "-t", session, "j")
        wait_for(session, r"Drop +Rcv +Avg +Gmean +Jttr +Javg +Jmax +Jint")
        tmux("send-keys", "-t", session, "j", "d")
        wait_for(session, r"Last +\d+ pings")
        tmux("send-keys", "-t", session, "d")
        wait_for(session, r"^Scale:")
        tmux("send-keys", "-t", session, "d", "p")
        s1 = wait_for(session, r"\[paused\]")
        time.sleep(1.0)
        row = re.search(r"^ 1\. .*$", screen(session), re.M).group(0)
        assert row == re.search(r"^ 1\. .*$", s1, re.M).group(0)  # frozen
        tmux("send-keys", "-t", session, " ", "r")
        wait_for(session, r"^ 1\. AS64501  r1\.lab +0\.0% +[1-3] ")  # restarted
        tmux("send-keys", "-t", session, "u")
        wait_for(session, r"^ 3\. AS64503  target\.lab")
        tmux("send-keys", "-t", session, "q")
        end = time.monotonic() + 5
        while time.monotonic() < end and tmux("has-session", "-t", session).returncode == 0:
            time.sleep(0.1)
        assert tmux("has-session", "-t", session).returncode != 0
    finally:
        tmux("kill-session", "-t", session)


def test_report_and_screen_agree(path, nkbin):
    """The screen's last frame of a counted run shows the numbers report
    mode prints for the same settings (both read one statistics record;
    on a lossless path the counts are deterministic)."""
    session = f"nkmtrs{os.getpid()}"
    args = ["-n", "-c", "5", "-i", "0.1", "-o", "LSRD", V4]
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "24")
    try:
        tmux("set-option", "-t", session, "remain-on-exit", "on")
        tmux("set-window-option", "-t", session, "alternate-screen", "off")
        cmd = " ".join(path.ns() + [f"{nkbin}/mtr", "-t"] + args)
        tmux("respawn-pane", "-k", "-t", session, cmd)
        s = wait_for(session, r"^ 3\. 198\.18\.3\.10 .*\n", 15)
        end = time.monotonic() + 10
        while time.monotonic() < end and "Pane is dead" not in s:
            time.sleep(0.2)
            s = screen(session)
        rows = re.findall(r"^ (\d)\. (\S+) +(.*)$", s, re.M)
    finally:
        tmux("kill-session", "-t", session)
    r = path.run([f"{nkbin}/mtr", "-r"] + args)
    report = [(row.split()[0].split(".")[0], row.split()[1], " ".join(row.split()[2:]))
              for row in report_rows(r.stdout)[1]]
    screen_rows = [(a, b, " ".join(c.split())) for a, b, c in rows]
    assert screen_rows == report
    assert report[-1] == ("3", V4, "0.0% 5 5 0")


def wall(cmd, runs=5):
    """Median wall time and total CPU time (user + system) of the runs."""
    import resource
    times = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        t0 = time.monotonic()
        subprocess.run(cmd, capture_output=True, timeout=60)
        times.append(time.monotonic() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return sorted(times)[len(times) // 2], cpu


def test_speed_vs_mtr(path, nkbin):
    """-r -c 10 -i 0.1: within 1.2 x mtr's wall time, and no more CPU (the
    CPU is compared on the optimised build: the sanitisers' own cost is not
    netkit's)."""
    import conftest
    args = ["-r", "-n", "-c", "10", "-i", "0.1", V4]
    ours, _ = wall(path.ns() + [f"{nkbin}/mtr"] + args, 3)
    theirs, cpu_theirs = wall(path.ns() + [MTR] + args, 3)
    assert ours <= 1.2 * theirs, (ours, theirs)
    plain = os.path.join(conftest.TOP, "build", "bin", "mtr")
    _, cpu_ours = wall(path.ns() + [plain] + args, 3)
    assert cpu_ours <= cpu_theirs + 0.01, (cpu_ours, cpu_theirs)


def test_seed_line_on_screen(path, nkbin):
    """`mtr -4 -b -y 2 -o "S R D A" HOST` verbatim, on a terminal: the live
    screen with IP info, names with addresses and the four columns."""
    session = f"nkmtrseed{os.getpid()}"
    cmd = " ".join(path.ns() + [f"{nkbin}/mtr", "-4", "-b", "-y", "2", "-o", "'S R D A'", V4])
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20", cmd)
    try:
        s = wait_for(session, r"^ 3\. ZZ  target\.lab \(198\.18\.3\.10\) +\d+ +\d+ +0 +\d+\.\d$")
        # as in mtr, the "Packets  Pings" banner is wider than these columns
        # and wraps into the header line
        assert re.search(r"^ngsst +Snt +Rcv +Drop +Avg$", s, re.M), s
        assert re.search(r"^ 1\. ZZ  r1\.lab \(198\.18\.1\.1\) ", s, re.M)
        tmux("send-keys", "-t", session, "q")
    finally:
        tmux("kill-session", "-t", session)


def live(path, binary, session, args, y=30):
    cmd = " ".join(path.ns() + [binary] + args)
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", str(y), cmd)


def snt(session, hop):
    m = re.search(rf"^ {hop}\. \S+ +\S+ +(\d+) ", screen(session), re.M)
    return int(m.group(1)) if m else None


def wait_snt(session, hop, at_least, timeout=15):
    """The screen's Snt for hop reaches at_least. The original mtr's pane
    stayed blank for 15 s about once in three full runs (2026-12-07; never
    alone, not understood): the oracle, only it, is started once more."""
    for attempt in (1, 2):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            n = snt(session, hop)
            if n is not None and n >= at_least:
                return n
            time.sleep(0.1)
        if attempt == 1 and "netkit" not in session and not screen(session).strip():
            print(f"wait_snt: the original's pane {session} stayed blank; started again",
                  file=sys.stderr)
            tmux("respawn-pane", "-k", "-t", session)
            continue
        break
    raise AssertionError(f"hop {hop} never reached {at_least} sent:\n{screen(session)}")


@pytest.mark.parametrize("tool", ["netkit", "mtr"])
def test_proto_keys_keep_statistics(path, nkbin, tool):
    """u and t switch to UDP / TCP and back; the counts go on (mtr does not
    restart its statistics), and probes in flight at the switch are not
    counted as lost (no loss on this path)."""
    session = f"nkmtrut{tool}{os.getpid()}"
    live(path, f"{nkbin}/mtr" if tool == "netkit" else MTR, session, ["-n", "-i", "0.1", V4])
    try:
        before = wait_snt(session, 3, 10)
        for k in ["u", "t", "u", "t", "t"]:
            tmux("send-keys", "-t", session, k)
            time.sleep(0.4)
            n = snt(session, 3)
            assert n is not None and n >= before, (k, before, screen(session))
            before = n
        wait_snt(session, 3, before + 5)
        rows = re.findall(r"^ \d\. \S+ +(\S+)", screen(session), re.M)
        assert rows[:2] == ["0.0%", "0.0%"], screen(session)
    finally:
        tmux("kill-session", "-t", session)


PROMPTS = {"s": ("Change Packet Size: 64", "Size Range: 28-4470, < 0:random."),
           "b": ("Ping Bit Pattern: 0", "Pattern Range: 0(0x00)-255(0xff), <0 random."),
           "i": ("Interval : 0", ""),
           "f": ("First TTL: 1", ""),
           "m": ("Max TTL: 30", ""),
           "Q": ("Type of Service(tos): 0",
                 "default 0x00, min cost 0x02, rel 0x04,, thr 0x08, low del 0x10...")}


def prompt(session, key):
    tmux("send-keys", "-t", session, key)
    first = PROMPTS[key][0].split(":")[0]
    s = wait_for(session, rf"^{re.escape(first)} ?:")
    lines = s.splitlines()
    return lines[2].rstrip(), lines[3].rstrip()


def test_prompt_keys(path, nkbin):
    """mtr's s b i f m Q prompts, side by side with mtr: the same prompt
    lines, typed values taken, out-of-range ones refused; f and m change
    the hops shown; c does nothing in mtr's curses screen; the help screen
    is mtr's."""
    shots = {}
    for tool, binary in (("netkit", f"{nkbin}/mtr"), ("mtr", MTR)):
        session = f"nkmtrpk{tool}{os.getpid()}"
        live(path, binary, session, ["-n", "-i", "0.2", V4])
        got = shots[tool] = {}
        try:
            wait_snt(session, 3, 2)
            for k in PROMPTS:
                got[k] = prompt(session, k)
                tmux("send-keys", "-t", session, "Enter")
            # set, then read back from the prompt
            for k, typed, want in (("s", "100", "100"), ("b", "7", "7"), ("b", "300", "random"),
                                   ("b", "-1", "random"), ("Q", "16", "16"), ("Q", "999", "0"),
                                   ("i", "2", "2"), ("i", "-1", "2"), ("i", "1", "1"),
                                   ("f", "31", "1"), ("m", "0", "30")):
                tmux("send-keys", "-t", session, k)
                time.sleep(0.2)
                tmux("send-keys", "-t", session, *typed, "Enter")
                line = prompt(session, k)[0]
                value = int(line.rsplit(" ", 1)[1])
                # random: a negative number (mtr draws one in -256..-511 each cycle)
                got[k + typed] = "random" if want == "random" and value < 0 else str(value)
                assert got[k + typed] == want, (tool, k, typed, line)
                tmux("send-keys", "-t", session, "Enter")
            # f 2: hop 1 goes; m 2: hop 3 goes; the counts of hop 2 go on
            tmux("send-keys", "-t", session, "i", "0", ".", "2", "Enter")
            n2 = wait_snt(session, 2, 1)
            tmux("send-keys", "-t", session, "f", "2", "Enter")
            wait_for(session, r"^ 2\. 198\.18\.12\.2 ")
            assert not re.search(r"^ 1\. ", screen(session), re.M)
            tmux("send-keys", "-t", session, "f", "1", "Enter", "m", "2", "Enter")
            s = wait_for(session, r"^ 1\. 198\.18\.1\.1 ")
            time.sleep(1.0)
            s = screen(session)
            assert re.search(r"^ 2\. 198\.18\.12\.2 ", s, re.M) and \
                not re.search(r"^ 3\. ", s, re.M), s
            assert snt(session, 2) >= n2
            tmux("send-keys", "-t", session, "m", "3", "0", "Enter", "c")
            wait_for(session, r"^ 3\. 198\.18\.3\.10 ")
            tmux("send-keys", "-t", session, "h")
            got["help"] = wait_for(session, r"press any key").splitlines()[2:]
        finally:
            tmux("kill-session", "-t", session)
    assert shots["netkit"] == shots["mtr"]
    assert shots["netkit"]["s"] == PROMPTS["s"]


@pytest.mark.parametrize("typed", ["-1", "300"])
def test_random_bitpattern(path, nkbin, typed):
    """After b sets a random pattern (a negative number, or one above 255),
    the b prompt shows a new random number each cycle, -256..-510, as
    mtr 0.95 draws them; side by side with mtr."""
    for tool, binary in (("netkit", f"{nkbin}/mtr"), ("mtr", MTR)):
        session = f"nkmtrbp{tool}{os.getpid()}"
        live(path, binary, session, ["-n", "-i", "0.2", V4])
        try:
            wait_snt(session, 3, 2)
            values = []
            for _ in range(4):
                line = prompt(session, "b")[0]
                values.append(int(line.rsplit(" ", 1)[1]))
                tmux("send-keys", "-t", session, *typed, "Enter")
                time.sleep(0.6)  # a few cycles
            assert values[0] == 0, (tool, values)
            assert all(-510 <= v <= -256 for v in values[1:]), (tool, values)
            assert len(set(values[1:])) > 1, (tool, values)
        finally:
            tmux("kill-session", "-t", session)


@pytest.mark.parametrize("size,message", [("5000", "Unexpected mtr-packet error"),
                                          ("9001", "mtr-packet reported invalid argument")])
def test_size_key_refused(path, nkbin, size, message):
    """The s key takes any number, as mtr's; one mtr cannot send (above the
    link's MTU of 1500, above 9000) ends the program with mtr's message and
    exit status 1 once the screen is closed; side by side with mtr."""
    ends = {}
    for tool, binary in (("netkit", f"{nkbin}/mtr"), ("mtr", MTR)):
        session = f"nkmtrsz{tool}{os.getpid()}"
        tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "24")
        try:
            tmux("set-option", "-t", session, "remain-on-exit", "on")
            tmux("set-window-option", "-t", session, "alternate-screen", "off")
            cmd = " ".join(path.ns() + [binary, "-t", "-n", "-i", "0.2", V4]) + "; echo rc=$?"
            tmux("respawn-pane", "-k", "-t", session, cmd)
            wait_snt(session, 3, 2)
            prompt(session, "s")
            tmux("send-keys", "-t", session, *size, "Enter")
            s = wait_for(session, r"^rc=\d+", 15)
            ends[tool] = [l.replace(binary, "mtr") for l in s.splitlines()
                          if "mtr-packet" in l or l.startswith("rc=")]
        finally:
            tmux("kill-session", "-t", session)
    assert ends["netkit"] == ends["mtr"] == [f"mtr: {message}", "rc=1"]


def test_random_size_per_cycle(path, nkbin):
    """A negative size at the s prompt: each cycle one random size, 28 up
    to -size - 1, for all its probes, as mtr 0.95 draws it; the probes are
    caught on r1 (side by side with mtr)."""
    script = os.path.join(os.path.dirname(__file__), "probe_sizes.py")
    for tool, binary in (("netkit", f"{nkbin}/mtr"), ("mtr", MTR)):
        session = f"nkmtrrs{tool}{os.getpid()}"
        live(path, binary, session, ["-n", "-i", "0.2", V4])
        try:
            wait_snt(session, 3, 2)
            prompt(session, "s")
            tmux("send-keys", "-t", session, "-", "1", "0", "0", "Enter")
            time.sleep(0.5)
            p = subprocess.Popen(path.ns("r1") + ["/usr/bin/python3", script, "eth0", "3"],
                                 stdout=subprocess.PIPE, text=True)
            assert p.stdout.readline().strip() == "ready"
            seen = json.loads(p.communicate(timeout=20)[0])
        finally:
            tmux("kill-session", "-t", session)
        # one cycle: TTLs 1, 2, 3 (the first one caught may start midway)
        cycles, cur = [], []
        for size, ttl in seen:
            if ttl == 1 and cur:
                cycles.append(cur)
                cur = []
            cur.append(size)
        cycles = cycles[1:]
        assert len(cycles) >= 8, (tool, seen)
        assert all(len(set(c)) == 1 for c in cycles), (tool, cycles)
        sizes = [c[0] for c in cycles]
        assert all(28 <= s <= 99 for s in sizes), (tool, sizes)
        assert len(set(sizes)) > 2, (tool, sizes)
