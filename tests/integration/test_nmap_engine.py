# SPDX-License-Identifier: Apache-2.0
"""The nmap scanning engine against nmap 7.93 in the lab: host states and
reasons for every discovery option, port states and reasons for every
scan type, IPv4 and IPv6, ARP and neighbour discovery on the LAN, as root
and as an ordinary user (setpriv), the ping sweep of a /16, a lossy path,
rate limits and dead DNS servers. Both tools scan the same lab targets in
the same run; results are compared from their XML. Packets go only into
the lab's namespaces."""
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT_BIN, oracle

NMAP = os.path.join(NETKIT_BIN, "nmap")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all", "--"]


def parse(xml):
    """{addr: (state, reason, {(proto, port): (state, reason)}, mac)}"""
    root = ET.fromstring(xml)
    out = {}
    for h in root.iter("host"):
        addrs = {a.get("addrtype"): a.get("addr") for a in h.iter("address")}
        addr = addrs.get("ipv4") or addrs.get("ipv6")
        st = h.find("status")
        ports = {(p.get("protocol"), int(p.get("portid"))):
                 (p.find("state").get("state"), p.find("state").get("reason"))
                 for p in h.iter("port")}
        out[addr] = (st.get("state"), st.get("reason"), ports, addrs.get("mac"))
    return out


def scan(lab, tool, argv, host="client", prefix=(), timeout=600):
    r = lab.exec(host, list(prefix) + [tool] + argv + ["-oX", "-"], timeout=timeout)
    assert r.returncode == 0, (tool, argv, r.stderr)
    return parse(r.stdout)


def both(lab, argv, **kw):
    return scan(lab, NMAP, argv, **kw), scan(lab, oracle("nmap"), argv, **kw)


def agree(lab, argv, check, tries=3, **kw):
    """Run both tools and check(ours, theirs). Some reasons hang on timing
    that neither tool controls (when the kernel gives up resolving an
    absent neighbour, ICMPv6 error rate limits), and nmap itself differs
    between runs there; so a disagreement counts only if it shows again in
    each of `tries` runs."""
    for i in range(tries):
        ours, theirs = both(lab, argv, **kw)
        try:
            check(ours, theirs)
            return ours, theirs
        except AssertionError:
            if i == tries - 1:
                raise


def lan(lab, fam=4):
    return [lab.addr("target", fam), lab.addr("web", fam), lab.addr("db", fam)]


PORTS = "21-23,53,80,443,5432,6379,8080-8083,11211"


@pytest.mark.parametrize("fam", [4, 6])
@pytest.mark.parametrize("kind", ["-sS", "-sT", "-sA", "-sF", "-sN", "-sX"])
def test_tcp_scan_states_and_reasons(lab, kind, fam):
    argv = [kind, "-p", PORTS, "-n", "--reason"] + (["-6"] if fam == 6 else [])

    def check(ours, theirs):
        assert ours.keys() == theirs.keys()
        for addr in theirs:
            assert ours[addr][0] == theirs[addr][0], addr
            t = dict(theirs[addr][2])
            key = ("tcp", 8083)
            if kind == "-sT" and t.get(key) == ("filtered", "no-response") and \
                    ours[addr][2].get(key) == ("filtered", "admin-prohibited"):
                t[key] = ours[addr][2][key]  # nmap's own miss: test_connect_admin_prohibited
            assert ours[addr][2] == t, (addr, kind)

    agree(lab, argv + lan(lab, fam), check)


# nmap's connect scan sees the ICMP error of a -sT probe only when the
# kernel's SYN retransmit (~1 s) fails hard before nmap's probe expires,
# so with its default timing nmap says admin-prohibited or no-response
# about half the time each; with --min-rtt-timeout 1500ms it always sees it.
def connect_8083(lab, fam, extra=()):
    return ["-sT", "-p", "8081,8083", "-n", "-Pn", "--reason", *extra,
            lab.addr("target", fam)] + (["-6"] if fam == 6 else [])


@pytest.mark.parametrize("fam", [4, 6])
def test_connect_admin_prohibited(lab, fam):
    """-sT on 8083, which the target rejects with ICMP admin-prohibited.
    With a probe timeout past the kernel's SYN retransmit nmap always
    sees the error: both tools must agree. With default timing the error
    arrives while connect() still holds the socket and stays a soft error:
    netkit must still report nmap's reason (IPv4 host-unreach, IPv6
    admin-prohibited) in every run, where nmap itself often misses it."""
    ours, theirs = both(lab, connect_8083(lab, fam, ["--min-rtt-timeout", "1500ms"]))
    (o,), (t,) = ours.values(), theirs.values()
    assert o[2] == t[2]
    want = t[2][("tcp", 8083)]
    assert want == ("filtered", "host-unreach" if fam == 4 else "admin-prohibited")
    # default timing: netkit's three runs each compared with nmap's one (a
    # run of nmap says one of two things here, each run of netkit the same)
    (t,) = scan(lab, oracle("nmap"), connect_8083(lab, fam)).values()
    assert t[2][("tcp", 8083)] in (want, ("filtered", "no-response"))
    for _ in range(3):
        (o,) = scan(lab, NMAP, connect_8083(lab, fam)).values()
        assert o[2][("tcp", 8083)] == want
        assert o[2][("tcp", 8081)] == t[2][("tcp", 8081)] == ("filtered", "no-response")


def test_all_ports(lab):
    """-sS -p-: every port, with the target's nftables drops and rejects."""
    argv = ["-sS", "-p-", "-n", "-Pn", "--reason", lab.addr("target")]
    ours, theirs = both(lab, argv)
    (o,), (t,) = ours.values(), theirs.values()
    assert o[2] == t[2]
    states = {s for s, _ in o[2].values()}
    assert states == {"open", "filtered"}  # the closed ones are the extraports


@pytest.mark.parametrize("fam", [4, 6])
def test_udp_states(lab, fam):
    """-sU with payloads: DNS and memcached answer, so they are open."""
    argv = ["-sU", "-p", "53,69,123,161,11211,40000", "-n", "-Pn", "--reason",
            lab.addr("target", fam)] + (["-6"] if fam == 6 else [])
    ours, theirs = both(lab, argv)
    (o,), (t,) = ours.values(), theirs.values()
    assert {k: v[0] for k, v in o[2].items()} == {k: v[0] for k, v in t[2].items()}
    assert o[2][("udp", 53)][0] == "open"


@pytest.mark.parametrize("fam", [4, 6])
def test_ip_protocol_scan(lab, fam):
    argv = ["-sO", "-p", "1,2,6,17,47,58,103", "-n", lab.addr("target", fam)] + \
        (["-6"] if fam == 6 else [])
    ours, theirs = both(lab, argv)
    (o,), (t,) = ours.values(), theirs.values()
    assert {k: v[0] for k, v in o[2].items()} == {k: v[0] for k, v in t[2].items()}


# one probe type each: the reason is deterministic, so it must match too
@pytest.mark.parametrize("opt", ["-PE", "-PP", "-PM", "-PS", "-PS22,80", "-PA", "-PA443",
                                 "-PU", "-PU53"])
def test_discovery_probe(lab, opt):
    # the slow host loses ~5 % of round trips, so either tool may miss it in
    # one run (CI saw nmap -PE miss it once): a difference must repeat
    argv = ["-sn", "-n", opt] + lan(lab) + ["198.18.3.99", lab.addr("slow")]

    def check(ours, theirs):
        assert {a: h[:2] for a, h in ours.items()} == {a: h[:2] for a, h in theirs.items()}
    agree(lab, argv, check)


@pytest.mark.parametrize("fam", [4, 6])
def test_default_discovery(lab, fam):
    """nmap's default probes from a routed host: same hosts up and down."""
    argv = ["-sn", "-n"] + (["-6"] if fam == 6 else []) + lan(lab, fam)
    argv += ["198.18.3.99"] if fam == 4 else ["2001:db8:3::99"]
    ours, theirs = both(lab, argv)
    assert {a: h[0] for a, h in ours.items()} == {a: h[0] for a, h in theirs.items()}


@pytest.mark.parametrize("fam", [4, 6])
def test_arp_and_nd_on_the_lan(lab, fam):
    """From a host on the LAN: ARP (IPv4) or ND (IPv6), with the MACs."""
    targets = [lab.addr("target", fam), lab.addr("db", fam)]
    targets.append("198.18.3.99" if fam == 4 else "2001:db8:3::99")
    argv = ["-sn", "-n"] + (["-6"] if fam == 6 else []) + targets
    ours, theirs = both(lab, argv, host="web")
    assert ours == theirs
    assert ours[targets[0]][1] == ("arp-response" if fam == 4 else "nd-response")


def test_disable_arp_ping(lab):
    argv = ["-sn", "-n", "--disable-arp-ping", "-PE", lab.addr("target"), lab.addr("db")]
    ours, theirs = both(lab, argv, host="web")
    assert {a: h[:2] for a, h in ours.items()} == {a: h[:2] for a, h in theirs.items()}
    assert {h[1] for h in ours.values()} == {"echo-reply"}


def test_skip_discovery(lab):
    argv = ["-Pn", "-n", "-p", "22,81", "198.18.3.99", lab.addr("target")]
    ours, theirs = both(lab, argv)
    assert ours == theirs
    assert ours["198.18.3.99"][1] == "user-set"


@pytest.mark.parametrize("fam", [4, 6])
def test_skip_discovery_on_the_lan(lab, fam):
    """-Pn from a host on the LAN: nmap still resolves each target's MAC
    (ARP / ND) for its raw probes; one that answers is up with
    arp-response / nd-response (reason_ttl 0), one that does not is down
    and left out of the output. --send-ip and --disable-arp-ping skip
    that: every host is up, user-set."""
    dead = "198.18.3.99" if fam == 4 else "2001:db8:3::99"
    base = ["-Pn", "-n", "-p", "22,81", lab.addr("target", fam), dead] + \
        (["-6"] if fam == 6 else [])
    ours, theirs = both(lab, base, host="web")
    assert ours == theirs
    assert list(ours) == [lab.addr("target", fam)]
    assert ours[lab.addr("target", fam)][1] == ("arp-response" if fam == 4 else "nd-response")
    ttl = lambda tool: re.findall(r'<status state="up" reason="[a-z-]+" reason_ttl="(\d+)"',
                                  lab.exec("web", [tool] + base + ["-oX", "-"]).stdout)
    assert ttl(NMAP) == ttl(oracle("nmap"))
    for opt in ("--send-ip", "--disable-arp-ping"):
        ours, theirs = both(lab, base + [opt], host="web")
        # (nmap also shows the MAC it saw on the replies; netkit does not)
        strip = lambda r: {a: h[:3] for a, h in r.items()}
        assert strip(ours) == strip(theirs)
        assert ours[dead][1] == "user-set"


@pytest.mark.parametrize("argv", [
    ["-p", "22,53,80,81,8081,8083"],
    ["-sn"],
    ["-sT", "-p", "22,80,81", "-Pn"],
], ids=lambda a: " ".join(a))
def test_unprivileged(lab, argv):
    """An ordinary user: connect scan and connect pings, as nmap falls back."""
    argv = argv + ["-n", lab.addr("target"), "198.18.3.99"]

    def check(ours, theirs):
        assert {a: (h[0], h[2]) for a, h in ours.items()} == \
            {a: (h[0], h[2]) for a, h in theirs.items()}

    agree(lab, argv, check, prefix=NOBODY)


@pytest.mark.parametrize("who,argv", [
    ("nobody", ["-sn", "198.18.3.0/24"]),
    ("nobody", ["-Pn", "-p", "22,80", "198.18.3.0/26"]),
    ("root", ["-sT", "-Pn", "-p", "22,80", "198.18.3.0/26"]),
    ("root", ["-sT", "-Pn", "-p", "22,80", "198.18.3.0/28"]),
], ids=lambda a: a if isinstance(a, str) else " ".join(a))
def test_connect_scan_of_absent_hosts_as_fast_as_nmap(lab, who, argv):
    """Connect scans and connect pings of a LAN where most addresses are
    absent (each connect to one waits for ARP to fail, ~3 s): no slower
    than nmap, the same hosts up and the same port states. Timeouts used
    to halve the window, so the connects went one at a time (a /24 sweep
    as an ordinary user took 100-160 s, nmap 2.5 s). On a loaded machine
    one run of either can be late by seconds (netkit 3.8 s vs nmap 2.7 s
    once in a full run): when netkit's is the slower, both run again, up
    to three times, and each tool's fastest run is compared (a tool
    slower by design stays slower in every run)."""
    pre = NOBODY if who == "nobody" else []
    took = {"nmap": [], "netkit": []}
    res = {}
    for _ in range(3):
        for name, tool in (("nmap", oracle("nmap")), ("netkit", NMAP)):
            t0 = time.monotonic()
            try:
                res[name] = scan(lab, tool, argv + ["-n"], prefix=pre, timeout=60)
            except subprocess.TimeoutExpired:
                pytest.fail(f"{name} still running after 60 s")
            took[name].append(time.monotonic() - t0)
        if min(took["netkit"]) <= min(took["nmap"]):
            break
    ours, theirs = res["netkit"], res["nmap"]
    # the states; a reason only where nmap's does not hang on when the
    # kernel gave up an absent neighbour (no-response or host-unreach)
    st = lambda r: {a: (h[0], {p: s[0] for p, s in h[2].items()}) for a, h in r.items()}
    assert st(ours) == st(theirs)
    for a, h in theirs.items():
        for p, (s, why) in h[2].items():
            if why not in ("no-response", "host-unreach"):
                assert ours[a][2][p][1] == why, (a, p)
    assert min(took["netkit"]) <= min(took["nmap"]), took


@pytest.mark.parametrize("argv", [
    ["-sn", "-n", "198.18.3.0/24"],
    ["-6", "-sn", "-n", "2001:db8:3::/120"],
], ids=lambda a: " ".join(a))
def test_ping_sweep_latency_is_each_hosts_own(lab, argv):
    """A ping sweep's 'Host is up (X latency)' is each host's own round
    trip, as nmap's: tens of microseconds to the LAN here. Probes stamped
    with the loop pass's time and replies with their batch's made every
    host show the time a batch of 256 took (1.6-2.1 ms, all the same).
    nmap runs first, so the routers' neighbour caches are warm for both."""
    def latencies(tool):
        r = lab.exec("client", [tool] + argv, timeout=60)
        assert r.returncode == 0, r.stderr
        return dict(re.findall(r"scan report for (\S+)\nHost is up \((\S+)s latency\)",
                               r.stdout))
    med = lambda d: sorted(float(v) for v in d.values())[len(d) // 2]
    for i in range(3):  # a loaded machine may delay one run's replies
        theirs = latencies(oracle("nmap"))
        ours = latencies(NMAP)
        assert ours.keys() == theirs.keys() and len(ours) == 5
        if med(ours) <= max(3 * med(theirs), 0.0002) or i == 2:
            break
    assert med(ours) <= max(3 * med(theirs), 0.0002), (ours, theirs)


def test_connect_packet_trace_like_nmap(lab):
    """--packet-trace of a connect scan: nmap's CONN lines, one when each
    connect() starts and one for its outcome (times left out)."""
    argv = ["-sT", "-Pn", "-n", "-p", "22,81,8081", "--packet-trace",
            lab.addr("target"), lab.addr("web")]
    lines = lambda r: sorted(re.sub(r"\(\d+\.\d+s\) ", "", ln)
                             for ln in r.stdout.splitlines() if ln.startswith("CONN "))
    ours = lab.exec("client", [NMAP] + argv, timeout=60)
    theirs = lab.exec("client", [oracle("nmap")] + argv, timeout=60)
    assert ours.returncode == theirs.returncode == 0
    assert lines(ours) == lines(theirs)
    assert "CONN TCP localhost > %s:22 => Connected" % lab.addr("target") in lines(ours)


def test_unprivileged_raw_scan_refused(lab):
    argv = ["-sS", "-p", "22", lab.addr("target")]
    ours = lab.exec("client", NOBODY + [NMAP] + argv, timeout=60)
    theirs = lab.exec("client", NOBODY + [oracle("nmap")] + argv, timeout=60)
    assert ours.returncode == theirs.returncode != 0
    assert "requires root privileges" in ours.stdout + ours.stderr


def test_ping_sweep_of_a_slash16(lab):
    """Every one of the 65,536 sweep addresses answers: all found."""
    r = lab.exec("client", [NMAP, "-sn", "-n", "198.19.0.0/16"], timeout=300)
    assert r.returncode == 0, r.stderr
    assert "65536 IP addresses (65536 hosts up)" in r.stdout


def test_lossy_path(lab):
    """Behind the impaired link (loss both ways): every port still gets its
    real state, as nmap finds it, not 'filtered' for the lost probes."""
    argv = ["-sS", "-p", "1-3000", "-n", "-Pn", lab.addr("slow")]
    ours, theirs = both(lab, argv)
    (o,), (t,) = ours.values(), theirs.values()
    assert o[2] == t[2]
    assert o[0] == "up"


def test_lossy_path_never_stalls(lab):
    """A SYN scan of 10,000 ports behind the impaired link: the window's
    first burst loses many probes to a full buffer (the slow host's RSTs
    wait out the link's delay in a bounded socket budget), and reading
    that burst's loss as a rate limit used to double the send delay to its
    1 s cap: most runs then crawled at one probe a second for minutes.
    Three runs in a row, each with every port in the state nmap gives it
    (nmap's own 10,000-port run takes ~40 s here, so it scans the first
    1,000 of them, side by side). The time is bounded against nmap's in the
    same test, as a loaded machine slows both (a fixed 8 s failed once at
    load 6-10, 13.1 s): the median of netkit's three 10,000-port runs
    within nmap's 1,000 ports (or 8 s, if more), no run past 60 s. Both
    take seconds unloaded (netkit ~0.7 s, nmap ~4 s); the stall took
    minutes."""
    host = lab.addr("slow")

    def states(argv, timeout):
        """{(state, reason): ports} of one run, listed or summed up."""
        r = lab.exec("client", argv + ["-n", host, "-oX", "-"], timeout=timeout,
                     stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        out = {}
        for p in ET.fromstring(r.stdout).iter("port"):
            k = (p.find("state").get("state"), p.find("state").get("reason"))
            out[k] = out.get(k, 0) + 1
        for x in ET.fromstring(r.stdout).iter("extraports"):
            for why in x.iter("extrareasons"):
                k = (x.get("state"), why.get("reason"))
                out[k] = out.get(k, 0) + int(why.get("count"))
        return out

    t0 = time.monotonic()
    theirs = states([oracle("nmap"), "-p", "1-1000"], 120)
    nmap_took = time.monotonic() - t0
    assert sum(theirs.values()) == 1000 and len(theirs) == 1, theirs
    took = []
    for _ in range(3):
        t0 = time.monotonic()
        try:
            ours = states([NMAP, "-p", "1-10000"], 60)
        except subprocess.TimeoutExpired:
            pytest.fail("the scan stalled (still running after 60 s)")
        took.append(time.monotonic() - t0)
        assert ours == {k: 10 * v for k, v in theirs.items()}
    assert sorted(took)[1] < max(8, nmap_took), (took, nmap_took)


def test_max_rate_is_respected(lab):
    t0 = time.monotonic()
    r = lab.exec("client", [NMAP, "-sS", "-Pn", "-n", "-p", "1-400", "--max-rate", "200",
                            lab.addr("target")], timeout=120)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t0 >= 1.8  # 400 probes at 200/s
    assert re.search(r"22/tcp +open", r.stdout)


def test_dead_dns_server_costs_seconds(lab):
    """Reverse lookups against a server that never answers time out in
    parallel: seconds for a whole group, not a timeout per host."""
    t0 = time.monotonic()
    r = lab.exec("client", [NMAP, "-sn", "-R", "--dns-servers", "198.18.3.99",
                            "198.18.3.0/26"], timeout=120)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t0 < 10
    assert "64 IP addresses" in r.stdout


def test_reverse_dns_names(lab):
    argv = ["-sn", "-R"] + lan(lab)
    ours = lab.exec("client", [NMAP] + argv, timeout=60).stdout
    theirs = lab.exec("client", [oracle("nmap")] + argv, timeout=60).stdout
    names = lambda s: sorted(re.findall(r"Nmap scan report for (\S+ \(\S+\))", s))
    assert names(ours) == names(theirs)
    assert "target.lab (%s)" % lab.addr("target") in names(ours)


def test_list_scan(lab):
    """-sL lists the targets with their names and marks none up."""
    argv = ["-sL", lab.addr("target"), "198.18.3.99"]
    ours = lab.exec("client", [NMAP] + argv, timeout=60)
    theirs = lab.exec("client", [oracle("nmap")] + argv, timeout=60)
    assert ours.returncode == 0, ours.stderr
    reports = lambda s: [l for l in s.splitlines() if l.startswith("Nmap scan report")]
    assert reports(ours.stdout) == reports(theirs.stdout)
    assert "(0 hosts up)" in ours.stdout


def test_dead_range_sweep(lab):
    """Addresses that never answer (a blackhole on r1): the sweep ends in
    seconds with every host down, as nmap's verdict (nmap itself takes
    minutes here)."""
    ns = lab.ns("r1")
    subprocess.run(["ip", "-n", ns, "route", "add", "blackhole", "198.18.200.0/24"], check=True)
    try:
        t0 = time.monotonic()
        r = lab.exec("client", [NMAP, "-sn", "-n", "198.18.200.0/24"], timeout=120)
        assert r.returncode == 0, r.stderr
        assert time.monotonic() - t0 < 10
        assert "256 IP addresses (0 hosts up)" in r.stdout
    finally:
        subprocess.run(["ip", "-n", ns, "route", "del", "blackhole", "198.18.200.0/24"])


def no_route(argv):
    """Run in a fresh namespace whose only route is loopback's."""
    return subprocess.run(["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"',
                           "sh"] + argv, capture_output=True, text=True, timeout=120)


def body(out):
    lines = [l for l in out.splitlines() if not l.startswith("Starting ")]
    lines = [re.sub(r" \([0-9.]+s latency\)", "", l) for l in lines]
    return [re.sub(r"scanned in [0-9.]+ seconds", "scanned", l) for l in lines]


@pytest.mark.parametrize("argv", [
    ["-Pn", "-p80", "198.18.9.9"],
    ["-Pn", "-sU", "-p53", "198.18.9.9"],
    ["-sn", "198.18.9.9"],
    ["-sT", "-p80", "198.18.9.9"],
    ["-Pn", "-p80", "127.0.0.1", "198.18.9.0/31"],
    ["-Pn", "-p80", "-6", "2001:db8::1"],
], ids=" ".join)
def test_no_route_skips_target(argv):
    """No route to a target that raw packets would go to: nmap says
    "failed to determine route", skips it (not counted, a skipped <target>
    line in XML) and exits 0; netkit the same, instead of scanning it."""
    ours = no_route([NMAP, "-n"] + argv)
    theirs = no_route([oracle("nmap"), "-n"] + argv)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert ours.stderr == theirs.stderr
    assert "failed to determine route" in ours.stderr
    assert body(ours.stdout) == body(theirs.stdout)
    ours = no_route([NMAP, "-n", "-oX", "-"] + argv)
    theirs = no_route([oracle("nmap"), "-n", "-oX", "-"] + argv)
    assert parse(ours.stdout) == parse(theirs.stdout)
    skipped = [t.attrib for t in ET.fromstring(ours.stdout).iter("target")]
    assert skipped and skipped == [t.attrib for t in ET.fromstring(theirs.stdout).iter("target")]
    tot = [r.find("hosts").attrib for r in ET.fromstring(ours.stdout).iter("runstats")]
    assert tot == [r.find("hosts").attrib for r in ET.fromstring(theirs.stdout).iter("runstats")]


def test_no_route_connect_scan_still_tries():
    """-Pn -sT sends no raw packet, so nmap does not look the route up:
    the connect fails with net-unreach and the port is filtered."""
    argv = ["-n", "-Pn", "-sT", "-p80", "--reason", "198.18.9.9"]
    ours = no_route([NMAP] + argv)
    theirs = no_route([oracle("nmap")] + argv)
    assert ours.returncode == theirs.returncode == 0
    assert ours.stderr == theirs.stderr == ""
    assert body(ours.stdout) == body(theirs.stdout)
    assert "80/tcp filtered http    net-unreach" in ours.stdout
