# SPDX-License-Identifier: Apache-2.0
"""nmap's version-category scripts that netkit writes itself, run side by
side with nmap 7.93's scripts of the same name against small stand-ins
for services no Debian daemon provides (fake_services.py, on the loopback
of a network namespace of its own: fake_local.sh). Results are compared
per port and script id, in normal output and in XML (tables as sets).

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_version_scripts tests/integration
"""
import os

import pytest

from conftest import oracle, run
from test_nmap_nse import NMAP, blocks, xml_scripts

HERE = os.path.dirname(os.path.abspath(__file__))
LOCAL = os.path.join(HERE, "fake_local.sh")


def both(kinds, argv, tmp_path, timeout=90):
    res = {}
    for tool, exe in (("netkit", NMAP), ("nmap", oracle("nmap"))):
        x = str(tmp_path / (tool + ".xml"))
        r = run(["unshare", "--net", LOCAL, kinds, exe] + argv + ["-oX", x], timeout=timeout)
        res[tool] = (r, x)
    return res


# (fake services, nmap arguments, script ids that must give a result)
CASES = {
    "rpcinfo": ("rpc", ["-p", "T:111", "--script", "rpcinfo"], ["rpcinfo"]),
    "drda-info": ("drda", ["-p", "T:50000", "--script", "drda-info"], ["drda-info"]),
    "omron-info": ("fins", ["-sU", "-p", "U:9600", "--script", "omron-info"], ["omron-info"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_version_script_like_nmap(case, tmp_path):
    kinds, argv, ids = CASES[case]
    res = both(kinds, ["-Pn"] + argv + ["127.0.0.1"], tmp_path)
    (a, ax), (b, bx) = res["netkit"], res["nmap"]
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    ours, theirs = blocks(a.stdout), blocks(b.stdout)
    for sid in ids:
        assert any(k[1] == sid for k in theirs), ("nmap gave no result", sid, b.stdout)
    assert ours == theirs, (a.stdout, b.stdout)
    assert xml_scripts(ax) == xml_scripts(bx)
