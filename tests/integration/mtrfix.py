"""A routed path for the mtr tests: client - r1 - r2 - target (and an ECMP
variant), built by mtr_topo.sh in namespaces with unique names, with
dnsmasq on the target answering names, PTR and AS TXT records."""
import os
import re
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOPO = os.path.join(HERE, "mtr_topo.sh")


class Topo:
    def __init__(self, prefix, kind="line", netem=()):
        self.prefix = prefix
        self.kind = kind
        try:
            subprocess.run(["bash", TOPO, "up", prefix, kind, *netem], check=True,
                           capture_output=True, timeout=120)
        except BaseException:
            self.down()
            raise

    def ns(self, host="c"):
        return ["ip", "netns", "exec", f"{self.prefix}-{host}"]

    def run(self, argv, host="c", timeout=120, **kw):
        return subprocess.run(self.ns(host) + argv, capture_output=True, text=True,
                              timeout=timeout, **kw)

    def down(self):
        subprocess.run(["bash", TOPO, "down", self.prefix], capture_output=True, timeout=60)


def make_topo(name, kind="line", netem=()):
    return Topo(f"nkm{os.getpid() % 10000}{name}", kind, netem)


@pytest.fixture(scope="module")
def path():
    t = make_topo("l")
    yield t
    t.down()


@pytest.fixture(scope="module")
def ecmp():
    t = make_topo("e", "ecmp")
    yield t
    t.down()


ROW = re.compile(r"^ *(\d+)\.(\|--| )")


def report_rows(out):
    """Report lines after the header, as (hop line, extra lines)."""
    lines = out.splitlines()
    assert lines[0].startswith("Start: "), out
    assert lines[1].startswith("HOST: "), out
    return lines[1], lines[2:]


def hop_names(out):
    _, rows = report_rows(out)
    names = []
    for r in rows:
        m = ROW.match(r)
        if m:
            names.append(r.split()[1] if m.group(2) == "|--" else r.split()[2])
    return names
