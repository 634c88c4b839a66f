# SPDX-License-Identifier: Apache-2.0
"""Paths for the mtr tests, all netkit labs (tests/integration/labfix.py):

    path   the session's default lab (lab/default.lab): client - r1 - r2 -
           target, the lab's DNS answering names, PTR and AS TXT records
    ecmp   lab/ecmp.lab, client - r1 =(r2 | r2b)= r3 - target, multipath
    line_lab()  lab/mtr-line.lab: 5/10/20 ms and 0/5/10 % loss links (the
           lab's impaird), for the accuracy test; call .down()

A path runs commands in the client (or another host) with `ip netns exec`,
which also puts the lab's /etc/netns resolv.conf in place."""
import os
import re
import subprocess

import pytest

from conftest import NETKIT, TOP
from labfix import Lab


class LabPath:
    def __init__(self, lab):
        self.lab = lab

    def ns(self, host="client"):
        return ["ip", "netns", "exec", self.lab.ns(host)]

    def run(self, argv, host="client", timeout=120, **kw):
        return subprocess.run(self.ns(host) + argv, capture_output=True, text=True,
                              timeout=timeout, **kw)

    def resolv_conf(self, host="client"):
        return f"/etc/netns/{self.lab.ns(host)}/resolv.conf"

    def down(self):
        self.lab.down()


def lab_file(name):
    return os.path.join(TOP, "lab", name)


def line_lab():
    return LabPath(Lab.up(NETKIT, lab_file("mtr-line.lab")))


@pytest.fixture(scope="module")
def path(lab):
    return LabPath(lab)


@pytest.fixture(scope="module")
def ecmp():
    t = LabPath(Lab.up(NETKIT, lab_file("ecmp.lab")))
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


def _keys(doc, out):
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(doc, list):
        for v in doc:
            _keys(v, out)
    return out


def _prefix_order(ours, theirs):
    """Each of mtr's objects' keys come first in ours, in mtr's order."""
    if isinstance(theirs, dict):
        assert list(ours)[:len(theirs)] == list(theirs), (list(ours), list(theirs))
        for k in theirs:
            _prefix_order(ours[k], theirs[k])
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _prefix_order(a, b)


def mtr_view(ours, theirs):
    """netkit's --json text as mtr's would be: netkit's own keys (the ones
    mtr's document does not have) are cut out of the text, lines and all,
    after checking that they come after mtr's keys in every object; the
    rest of the text is left as netkit wrote it, to be compared with mtr's
    byte for byte."""
    import json
    a, b = json.loads(ours), json.loads(theirs)
    _prefix_order(a, b)
    extra = _keys(a, set()) - _keys(b, set())
    lines, out, i = ours.split("\n"), [], 0
    while i < len(lines):
        m = re.match(r'^(\s*)"([^"]+)": (.*)$', lines[i])
        if m and m.group(2) in extra:
            if m.group(3).rstrip(",") in ("[", "{"):  # to its closing line
                close = re.compile("^" + m.group(1) + r"[\]}],?$")
                while not close.match(lines[i]):
                    i += 1
            i += 1
            continue
        out.append(lines[i])
        i += 1
    # the last of mtr's keys loses the comma that led to ours
    for k in range(len(out) - 1):
        if out[k].endswith(",") and out[k + 1].lstrip()[:1] in ("}", "]"):
            out[k] = out[k][:-1]
    return "\n".join(out)
