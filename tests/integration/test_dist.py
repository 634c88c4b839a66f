# SPDX-License-Identifier: Apache-2.0
"""netkit dist: a multi-host lab scan run as 3 shards (nmap --shards) and
merged with `netkit dist merge` equals the single run in hosts, their
order and port states, in the XML (valid against nmap.dtd), the normal
and grepable layouts and the NDJSON; merge refuses, naming them, shards
that are missing, failed or unfinished; status counts them. Packets go
only into the lab's namespaces."""
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

from conftest import NETKIT, NETKIT_BIN, run

NMAP = os.path.join(NETKIT_BIN, "nmap")
DTD = "/usr/share/nmap/nmap.dtd"
ARGV = ["-n", "-p", "22,80,6379,11211"]


def targets(lab):
    return ["198.18.3.8/29", lab.addr("dns"), "198.19.0.1-20", lab.addr("slow")]


def xml_hosts(path):
    root = ET.parse(path).getroot()
    out = []
    for h in root.iter("host"):
        ports = [(p.get("protocol"), p.get("portid"), p.find("state").get("state"))
                 for p in h.iter("port")]
        extra = sorted((e.get("state"), e.get("count")) for e in h.iter("extraports"))
        out.append((h.find("address").get("addr"), h.find("status").get("state"), ports,
                    extra))
    rs = root.find("runstats/hosts")
    return out, (rs.get("up"), rs.get("down"), rs.get("total")), len(root.findall("."))


def text_hosts(path):
    """Report lines of a normal/grepable file without latencies and comments."""
    lines = []
    for l in open(path).read().splitlines():
        if l.startswith("#"):
            continue
        lines.append(re.sub(r"\([0-9.]+s latency\)", "(LAT)", l))
    return lines


def json_hosts(path):
    return [(o["addr"], o["status"],
             [(p["protocol"], p["portid"], p["state"]) for p in o.get("ports", [])])
            for o in map(json.loads, open(path))]


def shard_run(lab, job, i, n):
    base = os.path.join(job, f"shard-{i}")
    r = lab.exec("client", [NMAP] + ARGV + ["--shards", str(n), "--shard", str(i), "--seed",
                                            "3", "-oA", base, "-oJ", base + ".json"]
                 + targets(lab), timeout=120)
    with open(base + ".rc", "w") as f:
        f.write(f"{r.returncode}\n")
    assert r.returncode == 0, r.stderr


def test_three_shards_merge_to_the_single_run(lab, tmp_path):
    single = str(tmp_path / "single")
    r = lab.exec("client", [NMAP] + ARGV + ["-oA", single, "-oJ", single + ".json"]
                 + targets(lab), timeout=120)
    assert r.returncode == 0, r.stderr
    job = str(tmp_path / "job")
    os.mkdir(job)
    with open(os.path.join(job, "job.conf"), "w") as f:
        f.write("shards=3\nseed=3\n")
    for i in range(3):
        shard_run(lab, job, i, 3)
    st = run([NETKIT, "dist", "status", job])
    assert st.returncode == 0 and "3 shards: 3 done, 0 running, 0 failed, 0 missing" in st.stdout
    merged = str(tmp_path / "merged")
    m = run([NETKIT, "dist", "merge", job, "-oA", merged, "-oJ", merged + ".json"])
    assert m.returncode == 0, m.stderr
    v = run(["xmllint", "--noout", "--dtdvalid", DTD, merged + ".xml"])
    assert v.returncode == 0, v.stderr
    a, b = xml_hosts(single + ".xml"), xml_hosts(merged + ".xml")
    assert len(a[0]) >= 20 and a == b  # hosts, order, port states, runstats
    assert open(merged + ".xml").read().count("<nmaprun") == 1
    assert "netkit shard" not in open(merged + ".xml").read()
    for ext in ("nmap", "gnmap"):
        assert text_hosts(single + "." + ext) == text_hosts(merged + "." + ext), ext
    done = open(merged + ".nmap").read().splitlines()[-1]
    assert re.match(r"# Nmap done at .* -- 30 IP addresses \(\d+ hosts up\) scanned in", done)
    ja, jb = json_hosts(single + ".json"), json_hosts(merged + ".json")
    assert sorted(ja) == sorted(jb)
    up = [h[0] for h in jb if h[1] == "up"]
    assert up == [h[0] for h in b[0]], "NDJSON in the single run's order"

    # a shard missing, one failed: refused, naming them, nothing written
    shutil.move(os.path.join(job, "shard-2.xml"), str(tmp_path / "keep.xml"))
    with open(os.path.join(job, "shard-1.rc"), "w") as f:
        f.write("1\n")
    out = str(tmp_path / "refused")
    m = run([NETKIT, "dist", "merge", job, "-oX", out + ".xml"])
    assert m.returncode == 1
    assert "missing 2" in m.stderr and "failed 1" in m.stderr, m.stderr
    assert not os.path.exists(out + ".xml")
    st = run([NETKIT, "dist", "status", job])
    assert st.returncode == 1 and "1 done, 0 running, 1 failed, 1 missing" in st.stdout


def test_merge_usage_errors(tmp_path):
    r = run([NETKIT, "dist", "merge", str(tmp_path)])
    assert r.returncode == 255 and "no output named" in r.stderr
    r = run([NETKIT, "dist", "merge", str(tmp_path), "-oX", "-"])
    assert r.returncode == 1 and "not a job directory" in r.stderr
    r = run([NETKIT, "dist", "merge", str(tmp_path / "none"), "-oX", "-"])
    assert r.returncode == 1 and "No such file or directory" in r.stderr
    r = run([NETKIT, "dist", "frob"])
    assert r.returncode == 255 and "unknown command 'frob'" in r.stderr
