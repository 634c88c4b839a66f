# SPDX-License-Identifier: Apache-2.0
"""The multi-call binary: dispatch by name and by argument, help, errors."""
import os

import pytest

from conftest import NETKIT_BIN, oracle, run


def test_help(netkit):
    r = run([netkit, "--help"])
    assert r.returncode == 0
    for tool in ("ip", "route", "ss", "mtr", "nmap", "lab"):
        assert f"  {tool} " in r.stdout


def test_version(netkit):
    r = run([netkit, "--version"])
    assert r.returncode == 0
    assert r.stdout.startswith("netkit ")
    # the licence is named (LICENSE, and each source file's SPDX line)
    assert "License: Apache-2.0" in r.stdout.splitlines()[1]


def test_unknown_tool(netkit):
    r = run([netkit, "frobnicate"])
    assert r.returncode == 2
    assert "unknown tool 'frobnicate'" in r.stderr
    assert r.stdout == ""


def test_no_args(netkit):
    r = run([netkit])
    assert r.returncode == 2
    assert "Usage:" in r.stderr


def test_symlinks_exist(nkbin):
    for tool in ("ip", "ss", "route", "mtr", "nmap"):
        p = os.path.join(nkbin, tool)
        assert os.path.islink(p) and os.readlink(p) == "../netkit"


@pytest.mark.parametrize("tool,args", [("ip", ["-V"]), ("ip", ["-Version"]), ("ss", ["-V"]), ("ss", ["-v"]),
                                       ("ss", ["--version"]), ("route", ["-V"]),
                                       ("route", ["--version"]), ("route", ["-V", "-n"])])
def test_versions_name_netkit_after_the_original(tool, args):
    """-V says the original's version text, which scripts parse, and then
    names netkit: ip and ss in the place of ip's library list ("ip
    utility, iproute2-6.1.0, libbpf 1.1.2"), route on a line after
    net-tools' lines."""
    ours = run([os.path.join(NETKIT_BIN, tool)] + args)
    theirs = run([oracle(tool)] + args)
    assert ours.returncode == theirs.returncode == 0 and ours.stderr == theirs.stderr == ""
    r = run([os.path.join(NETKIT_BIN, "..", "netkit"), "--version"])
    version = r.stdout.split()[1]
    if tool == "route":
        assert ours.stdout == theirs.stdout + f"netkit {version}\n"
    else:
        # "ip utility, iproute2-6.1.0" (then ", libbpf 1.1.2" for the original)
        original = theirs.stdout.split("\n")[0].split(", libbpf ")[0]
        assert ours.stdout == f"{original}, netkit {version}\n"
