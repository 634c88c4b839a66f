# SPDX-License-Identifier: Apache-2.0
"""route's table display: netkit and net-tools 2.10 print the same bytes,
on a namespace with many kinds of routes (see routefix.SETUP) and with
name resolution from known /etc/hosts and /etc/networks."""
import json
import os

import pytest

from routefix import Ns, SETUP, assert_same, compare


@pytest.fixture(scope="module")
def ns(tmp_path_factory):
    n = Ns(tmp_path_factory.mktemp("route"), SETUP)
    yield n
    n.close()


@pytest.fixture(scope="module")
def nkroute(nkbin):
    return os.path.join(nkbin, "route")


SHOW = [
    [], ["-n"], ["-n", "-F"], ["-e"], ["-e", "-n"], ["-ee"], ["-ee", "-n"],
    ["-eee", "-n"], ["-eeee", "-n"], ["--extend", "--numeric"], ["-N"],
    ["-v", "-n"], ["-C"], ["-C", "-n"], ["-C", "-e"], ["-C", "-ee"],
    ["-F", "-C", "-n"], ["-6"], ["-6", "-n"], ["-A", "inet6"],
    ["-A", "inet6", "-n"], ["--inet6", "-n"], ["-6", "-e"], ["-6", "-ee", "-n"],
    ["-6", "-C"], ["-6", "-C", "-n"], ["-4"], ["--inet", "-n"],
    ["-A", "inet,inet6", "-n"], ["-A", "inet6,inet"], ["-6", "-4", "-n"],
]


@pytest.mark.parametrize("args", SHOW, ids=lambda a: " ".join(a) or "plain")
def test_show_same_as_net_tools(ns, nkroute, args):
    a, b = compare(ns, nkroute, args)
    assert_same(a, b, "route " + " ".join(args))


def test_setup_has_the_route_kinds(ns):
    """The comparison means something only if the table is rich."""
    from routefix import ROUTE
    out = ns.run([ROUTE, "-n"]).stdout
    for want in ("UGH", "!", "198.19.68.0", "UH", "198.18.70.0", "averylongname15",
                 "-1"):
        assert want in out, want
    out6 = ns.run([ROUTE, "-6", "-n"]).stdout
    for want in ("!n", "UG", "Ue", "2001:db8:7::/48", "Un"):
        assert want in out6, want


def test_names_resolved(ns, nkroute):
    out = ns.run([nkroute]).stdout
    for want in ("default", "gwname", "hostseven", "ninenet", "sevnet", "loopback",
                 "link-local"):
        assert want in out, want
    out6 = ns.run([nkroute, "-6"]).stdout
    for want in ("[::]/0", "host6/128", "gw6", "net6/64"):
        assert want in out6, want


def rows(text, skip=2):
    return [line.split() for line in text.splitlines()[skip:]]


@pytest.mark.parametrize("numeric", [True, False])
def test_json_matches_text(ns, nkroute, numeric):
    from routefix import ROUTE
    n = ["-n"] if numeric else []
    doc = json.loads(ns.run([nkroute, "-j"] + n).stdout)
    text = ns.run([ROUTE, "-ee"] + n).stdout
    want = rows(text)
    assert len(doc) == len(want)
    for obj, cols in zip(doc, want):
        assert obj["destination"] == cols[0]
        assert obj["genmask"] == cols[2]
        assert obj["flags"] == cols[3]
        assert str(obj["metric"]) == cols[4]
        if obj["flags"] == "!":
            assert obj["gateway"] is None and obj["iface"] is None
        else:
            assert obj["gateway"] == cols[1]
            assert obj["iface"][:6] == cols[7][:6]
            assert [obj["mss"], obj["window"], obj["irtt"]] == [int(c) for c in cols[8:11]]


def test_json6_matches_text(ns, nkroute):
    from routefix import ROUTE
    for _ in range(4):  # Ref counts move with the namespace's traffic
        doc = json.loads(ns.run([nkroute, "-6", "-j", "-n"]).stdout)
        want = rows(ns.run([ROUTE, "-6", "-n"]).stdout)
        got = [[o["destination"], o["next_hop"], o["flags"], str(o["metric"]),
                str(o["ref"]), str(o["use"]), o["iface"]] for o in doc]
        if got == want:
            break
    assert got == want


def test_json_is_valid_with_both_families_and_pretty(ns, nkroute):
    r = ns.run([nkroute, "-j", "-p", "-A", "inet,inet6", "-F", "-C"])
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert any("next_hop" in o for o in doc) and any("genmask" in o for o in doc)


@pytest.mark.parametrize("args", [["-n"], ["-n", "-ee"], ["-A", "inet,inet6", "-n"], ["-j", "-n"]],
                         ids=" ".join)
def test_pristine_namespace(tmp_path, nkroute, args):
    """A namespace whose lo never came up has no main table at all: the
    kernel refuses a dump of it, /proc/net/route is empty, and net-tools
    prints its header alone and exits 1."""
    n = Ns(tmp_path)
    try:
        a, b = compare(n, nkroute, args)
        if "-j" in args:  # no net-tools counterpart: the same exit code, valid JSON
            assert (a.returncode, json.loads(a.stdout), a.stderr) == (1, [], "")
        else:
            assert b.returncode == 1
            assert_same(a, b, " ".join(args))
    finally:
        n.close()
