# SPDX-License-Identifier: Apache-2.0
"""nmap --shards N --shard I [--seed S] without a network (-sL -n sends
nothing): for N in {1, 2, 3, 7, 16} the shards' targets are pairwise
disjoint, their union is the single run's targets, each shard keeps the
single run's order; the same seed gives the same shards; bad values get
nmap-style errors."""
import os
import re

import pytest

from conftest import NETKIT_BIN, run

NMAP = os.path.join(NETKIT_BIN, "nmap")

SPECS = [
    ["198.18.0.0/23"],
    ["10.1-3.0-7.1,5,7-9", "192.168.0.*"],
    ["10.0.0.0/24", "--exclude", "10.0.0.128/26,10.0.0.3"],
    ["-6", "fd00::/120", "fd00:1::5", "fd00:2::10/126", "--exclude", "fd00::7"],
]


def listed(extra, spec):
    r = run([NMAP, "-sL", "-n"] + extra + spec)
    assert r.returncode == 0, r.stderr
    return re.findall(r"^Nmap scan report for (\S+)$", r.stdout, re.M)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: " ".join(s))
def test_shards_partition_the_targets(spec):
    single = listed([], spec)
    assert len(single) > 100
    where = {a: i for i, a in enumerate(single)}
    for n in (1, 2, 3, 7, 16):
        seen = []
        for i in range(n):
            part = listed(["--shards", str(n), "--shard", str(i), "--seed", "11"], spec)
            idx = [where[a] for a in part]  # KeyError: not a single-run target
            assert idx == sorted(idx), "a shard walks in the single run's order"
            seen += part
        assert len(seen) == len(set(seen)), f"N={n}: shards overlap"
        assert sorted(seen) == sorted(single), f"N={n}: union differs"


def test_input_list_shards(tmp_path):
    f = tmp_path / "targets"
    f.write_text("# list\n10.9.0.0/25\n10.9.1.1-20 10.9.2.2\n")
    single = listed(["-iL", str(f)], [])
    parts = [listed(["-iL", str(f), "--shards", "3", "--shard", str(i)], []) for i in range(3)]
    assert sorted(sum(parts, [])) == sorted(single)
    assert all(parts)


def test_same_seed_same_shards():
    spec = ["10.0.0.0/24"]
    a = listed(["--shards", "4", "--shard", "2", "--seed", "5"], spec)
    assert a == listed(["--shards", "4", "--shard", "2", "--seed", "5"], spec)
    assert a != listed(["--shards", "4", "--shard", "2", "--seed", "6"], spec)


@pytest.mark.parametrize("args,msg", [
    (["--shards", "0", "--shard", "0"], "--shards should be an integer from 1 to 1000000"),
    (["--shards", "x", "--shard", "0"], "--shards should be an integer from 1 to 1000000"),
    (["--shards", "3"], "--shards requires --shard"),
    (["--shard", "1"], "--shard requires --shards"),
    (["--shards", "3", "--shard", "3"], "--shard must be below --shards (0 to 2)"),
    (["--shards", "2", "--shard", "-1"], "--shard should be an integer 0 or greater"),
    (["--shards", "2", "--shard", "0", "--seed", "z"], "--seed should be"),
    (["--shards", "2", "--shard", "0", "--randomize-hosts"], "cannot be used with --shards"),
])
def test_bad_values(args, msg):
    r = run([NMAP, "-sL", "-n"] + args + ["10.0.0.0/30"])
    assert r.returncode == 1
    assert msg in r.stderr and r.stderr.endswith("QUITTING!\n")
    assert r.stdout == ""
