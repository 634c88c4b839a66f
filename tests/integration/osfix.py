# SPDX-License-Identifier: Apache-2.0
"""What the -O tests of both families (test_nmap_os.py, test_nmap_os6.py)
share: the fingerprint of normal output, a lab host's sysctls set and put
back, and whether netkit's observations hold this machine's kernel."""
import os
import re

from conftest import TOP


def fingerprint(text):
    """{test: {attr: value}} from the OS: lines of normal output."""
    s = "".join(l[3:] for l in text.splitlines() if l.startswith("OS:"))
    assert s, text
    return {name: dict(kv.split("=", 1) for kv in body.split("%") if kv)
            for name, body in re.findall(r"([A-Z0-9]+)\(([^)]*)\)", s)}


def set_stack(lab, host, sysctls):
    """Set host's sysctls; returns their old values (to set them back)."""
    old = {}
    for k, v in sysctls.items():
        old[k] = lab.exec(host, ["sysctl", "-n", k]).stdout.strip()
        assert lab.exec(host, ["sysctl", "-qw", f"{k}={v}"]).returncode == 0
    return old


def observed_here(observations):
    """Whether data/os/OBSERVATIONS (observations, observations6) holds
    this machine's kernel."""
    obs = open(os.path.join(TOP, "data", "os", observations)).read()
    return f"kernel={os.uname().release} " in obs
