# SPDX-License-Identifier: Apache-2.0
"""netkit's scripts of nmap's names side by side with nmap 7.93's,
offline, against stand-in servers on a private namespace's loopback:
dns-zone-transfer against fake_axfr.py (nse_axfr.sh).

    NETKIT_TOP=$PWD unshare --net -- /usr/bin/python3 -m pytest -q \\
        -p no:cacheprovider -k nmap_nse_offline tests/integration
"""
import os
import xml.etree.ElementTree as ET

from conftest import NETKIT_BIN, oracle, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
HERE = os.path.dirname(os.path.abspath(__file__))


def test_dns_zone_transfer_like_nmap(tmp_path):
    """The zone's records in nmap's columns (owner, type, data; SOA first
    and last; A, AAAA, NS, MX, TXT, CNAME, SRV, HINFO, PTR; names
    compressed or not), across two messages; the same output attribute in
    XML. The zone is a one-label name: nmap 7.93's script asks for a
    domain's last label only, netkit's for the domain named."""
    got = []
    for exe in (NMAP, oracle("nmap")):
        x = str(tmp_path / "z.xml")
        r = run(["unshare", "--net", os.path.join(HERE, "nse_axfr.sh"), exe, "-Pn", "-p53",
                 "--script", "dns-zone-transfer", "--script-args",
                 "dns-zone-transfer.domain=lab", "127.0.0.1", "-oX", x], timeout=60)
        assert r.returncode == 0, r.stderr
        block = [l for l in r.stdout.splitlines() if l.startswith("|")]
        s = ET.parse(x).getroot().find(".//port/script")
        got.append((block, s.get("id") if s is not None else None,
                    s.get("output") if s is not None else None))
    assert got[0] == got[1]
    assert len(got[0][0]) == 14 and got[0][0][-1].startswith("|_lab.")
    # a zone the server refuses: no result
    r = run(["unshare", "--net", os.path.join(HERE, "nse_axfr.sh"), NMAP, "-Pn", "-p53",
             "--script", "dns-zone-transfer", "--script-args", "dns-zone-transfer.domain=other",
             "127.0.0.1"], timeout=60)
    assert r.returncode == 0 and "dns-zone-transfer" not in r.stdout
