"""The multi-call binary: dispatch by name and by argument, help, errors."""
import os

from conftest import run


def test_help(netkit):
    r = run([netkit, "--help"])
    assert r.returncode == 0
    for tool in ("ip", "route", "ss", "mtr", "nmap", "lab"):
        assert f"  {tool} " in r.stdout


def test_version(netkit):
    r = run([netkit, "--version"])
    assert r.returncode == 0
    assert r.stdout.startswith("netkit ")


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
