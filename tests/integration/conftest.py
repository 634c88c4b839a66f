# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures for the integration tests.

netkit (the ASan+UBSan build under `make check`) and the original tools run
side by side. Tests that send packets run inside `unshare --net` (see
scripts/check.sh); tests that only read the host's tables carry the
`hostns` mark.
"""
import os
import subprocess
import shutil

import pytest

TOP = os.environ.get("NETKIT_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
NETKIT = os.environ.get("NETKIT") or os.path.join(TOP, "build", "netkit")
NETKIT_BIN = os.environ.get("NETKIT_BIN") or os.path.join(TOP, "build", "bin")


def run(argv, check=False, timeout=120, **kw):
    """Run a command, return CompletedProcess with text stdout/stderr."""
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          check=check, **kw)


def run_bytes(argv, timeout=120, **kw):
    return subprocess.run(argv, capture_output=True, timeout=timeout, **kw)


@pytest.fixture(scope="session")
def netkit():
    """Path of the netkit binary under test."""
    assert os.access(NETKIT, os.X_OK), f"{NETKIT} not built; run make"
    return NETKIT


@pytest.fixture(scope="session")
def nkbin():
    """Directory with the ip/ss/route/mtr/nmap symlinks to netkit."""
    return NETKIT_BIN


def oracle(name):
    """Path of an original tool, or skip-free failure if it is missing."""
    path = shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    assert path, f"oracle {name} is not installed (scripts/deps.sh installs it)"
    return path


from labfix import lab  # noqa: E402,F401  (the session's netkit lab)
