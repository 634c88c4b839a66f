# SPDX-License-Identifier: Apache-2.0
"""Bad and unusual command lines: net-tools' messages, usage texts (and on
which stream they go) and exit codes."""
import os

import pytest

from routefix import Ns, assert_same, compare


@pytest.fixture(scope="module")
def ns(tmp_path_factory):
    n = Ns(tmp_path_factory.mktemp("routeargs"), "ip link set lo up")
    yield n
    n.close()


@pytest.fixture(scope="module")
def nkroute(nkbin):
    return os.path.join(nkbin, "route")


ARGS = [["-h"], ["--help"], ["-x"], ["--bogus"], ["-A"], ["-A", "foo"], ["-A", "unix"],
        ["-A", "inet,foo"], ["-6", "-h"], ["-4", "-h"], ["-A", "inet6", "-h"], ["foo"],
        ["-n", "foo"], ["flush"], ["-6", "flush"],  # -V: test_cli.test_versions_*
        ["add"], ["del"], ["-6", "add"], ["-6", "del"], ["-n", "add"], ["-C", "del", "x"],
        ["-6", "-C", "add", "::/0"], ["-6", "-C", "del", "x"], ["-6", "del", "x"]]


# net-tools' other routing families, absent from this kernel
for fam in ("ax25", "netrom", "rose", "ipx", "ddp", "x25"):
    for rest in ([], ["-n", "-e"], ["-h"], ["add"], ["add", "foo"], ["del", "foo", "bar"],
                 ["flush"]):
        ARGS.append(["-A", fam] + rest)
ARGS.append(["--inet", "-A", "ax25"])
for name in ("unix", "ax25", "netrom", "rose", "ipx", "ddp", "appletalk", "x25", "bluetooth",
             "econet", "ash", "local"):
    ARGS.append(["--" + name])
    ARGS.append(["-A", name])
ARGS += [["-A", "inet4"], ["-A", "ax25,inet"], ["--fib", "--numeric"], ["--cache"],
         ["--protocol", "inet6", "-n"], ["--symbolic"], ["--verbose", "--extend", "-n"]]


@pytest.mark.parametrize("args", ARGS, ids=lambda a: " ".join(a))
def test_args_same_as_net_tools(ns, nkroute, args):
    a, b = compare(ns, nkroute, args)
    assert_same(a, b, "route " + " ".join(args))
