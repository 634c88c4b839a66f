# SPDX-License-Identifier: Apache-2.0
"""route on the host's own tables (read-only): the same bytes as net-tools.
IPv6 Ref counts belong to live sockets and move, so those comparisons
retry a few times."""
import os

import pytest

from conftest import run
from routefix import ROUTE, assert_same


@pytest.fixture(scope="module")
def nkroute(nkbin):
    return os.path.join(nkbin, "route")


HOST = [["-n"], ["-n", "-F"], ["-e", "-n"], ["-ee", "-n"], ["-C"], ["-C", "-n"],
        ["-6", "-n"], ["-A", "inet6", "-n"], ["-6", "-C"], [], ["-ee"], ["-6"]]


@pytest.mark.hostns
@pytest.mark.parametrize("args", HOST, ids=lambda a: " ".join(a) or "plain")
def test_host_tables_same_as_net_tools(nkroute, args):
    for attempt in range(5):
        a = run([nkroute] + args, timeout=300)
        b = run([ROUTE] + args, timeout=300)
        if a.stdout == b.stdout or attempt == 4:
            break
    assert_same(a, b, "route " + " ".join(args))
