# SPDX-License-Identifier: Apache-2.0
"""What the script tests with a --datadir of their own share
(test_nmap_nse.py, test_nmap_nse_db.py)."""
import os

from conftest import TOP


def link_engine(d, sd):
    """In data directory d (a pathlib.Path), netkit's script engine: nse/
    with the driver, the nselib and the scripts directory sd; nmap/ beside."""
    nse = d / "nse"
    nse.mkdir()
    data = os.path.join(TOP, "data")
    os.symlink(os.path.join(data, "nse", "driver.lua"), nse / "driver.lua")
    os.symlink(os.path.join(data, "nse", "nselib"), nse / "nselib")
    os.symlink(sd, nse / "scripts")
    os.symlink(os.path.join(data, "nmap"), d / "nmap")
