# SPDX-License-Identifier: Apache-2.0
"""netkit mtr in the shared lab (lab/default.lab), next to mtr 0.95: the
seed's command line verbatim with the lab's DNS answering names and AS
TXT records, the same hops for every probe type, and the impaired link."""
import json

import pytest

from conftest import oracle
from labfix import lab  # noqa: F401
from mtrfix import hop_names, report_rows

MTR = oracle("mtr")


def both(lab, nkbin, args):
    return (lab.exec("client", [f"{nkbin}/mtr"] + args, timeout=120),
            lab.exec("client", [MTR] + args, timeout=120))


def test_seed_line(lab, nkbin):
    args = ["-4", "-b", "-y", "2", "-o", "S R D A", "-r", "-c", "3", "-i", "0.2", "target.lab"]
    ours, theirs = both(lab, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    h1, r1 = report_rows(ours.stdout)
    h2, r2 = report_rows(theirs.stdout)
    assert h1 == h2
    assert [r[:-6] for r in r1] == [r[:-6] for r in r2]
    assert r1[-1].startswith("  3. ZZ  target.lab (198.18.3.10)")


@pytest.mark.parametrize("proto", ["", "-u", "-T", "-T -P 22"])
@pytest.mark.parametrize("family", ["-4", "-6"])
def test_same_hops(lab, nkbin, proto, family):
    # -G 1: mtr 0.95 waits its whole grace time (5 s) after the last cycle
    # even with every answer in; both tools have them within milliseconds here
    args = ["-r", "-n", "-c", "2", "-i", "0.2", "-G", "1", family] + proto.split() + \
        ["target.lab"]
    ours, theirs = both(lab, nkbin, args)
    assert ours.returncode == 0, ours.stderr
    assert hop_names(ours.stdout) == hop_names(theirs.stdout)
    assert hop_names(ours.stdout)[-1] == lab.addr("target", int(family[1]))


@pytest.mark.parametrize("family", ["-4", "-6"])
def test_as_lookup(lab, nkbin, family):
    args = [family, "-r", "-z", "-c", "1", "target.lab"]
    ours, theirs = both(lab, nkbin, args)
    _, r1 = report_rows(ours.stdout)
    _, r2 = report_rows(theirs.stdout)
    assert [r[:33] for r in r1] == [r[:33] for r in r2]
    assert "AS64503" in r1[-1]


def test_impaired_link(lab, nkbin):
    """slow sits behind 10 ms +-1 ms and 2.5 % loss each way: both tools
    see about 20 ms more at the last hop than at r2."""
    args = ["--json", "-n", "-c", "200", "-i", "0.02", "slow.lab"]
    a = json.loads(lab.exec("client", [f"{nkbin}/mtr"] + args, timeout=120).stdout)
    b = json.loads(lab.exec("client", [MTR] + args, timeout=120).stdout)
    ha, hb = a["report"]["hubs"], b["report"]["hubs"]
    assert [h["host"] for h in ha] == [h["host"] for h in hb]
    extra_a = ha[-1]["Avg"] - ha[-2]["Avg"]
    extra_b = hb[-1]["Avg"] - hb[-2]["Avg"]
    assert abs(extra_a - 20.0) <= 2.0 + 1.0, extra_a
    assert abs(extra_a - 20.0) <= abs(extra_b - 20.0) + 1.0
    assert ha[-1]["Loss%"] <= 15.0
