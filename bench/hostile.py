#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Each hostile behaviour x tool (lab/README.md, "The hostile host"): brings
up lab/hostile.lab, runs lab/hostile/packets.py with one behaviour at a
time (and responder.py's services), runs netkit's tools into it, and
prints a markdown table: behaviour, tool and options, wall seconds, peak
RSS (MiB, /usr/bin/time), exit status ("killed" past --timeout, 120 s), and whether a raw ESC/BEL/8-bit
CSI/NUL reached stdout. Packets go only into the lab's namespaces.

    unshare --net -- python3 bench/hostile.py [--netkit build/netkit] [--bin build/bin] [--timeout S]
"""
import argparse
import os
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "lab", "hostile"))
import hostile_start  # noqa: E402  lab/hostile/hostile_start.py
H, H6 = "198.18.9.66", "2001:db8:9::66"

# behaviour: [(host the tool runs in, tool, options)]
PACKETS = {
    "tcp": [("client", "nmap", ["-sS", "-p", "7100-7107", H]),
            ("client", "nmap", ["-sT", "-p", "7100-7107", H]),
            ("client", "nmap", ["-sA", "-p", "7100-7107", H]),
            ("client", "nmap", ["-O", "-p", "7100,81", H]),
            ("client", "mtr", ["-T", "-P", "7100", H])],
    "icmp-tcp": [("client", "nmap", ["-sS", "-p", "7110-7114", H]),
                 ("client", "nmap", ["-sN", "-p", "7110-7114", H]),
                 ("client", "nmap", ["-sS", "--traceroute", "-p", "7110-7114", H]),
                 ("client", "mtr", ["-T", "-P", "7112", H])],
    "icmp-udp": [("client", "nmap", ["-sU", "-p", "7200-7204", H]),
                 ("client", "mtr", ["-u", "-P", "7200", H])],
    "udp": [("client", "nmap", ["-sU", "-p", "7210-7213", H]),
            ("client", "nmap", ["-sU", "-sV", "-p", "7210-7213", H]),
            ("client", "mtr", ["-u", "-P", "7212", H])],
    "echo": [("client", "nmap", ["-sn", H]),
             ("client", "nmap", ["-sn", "-PE", "--traceroute", H]),
             ("client", "mtr", [H])],
    "arp": [("r", "nmap", ["-sn", "198.18.9.0/24"])],
    "nd": [("r", "nmap", ["-6", "-sn", "2001:db8:9::/120"])],
    "v6": [("client", "nmap", ["-6", "-sS", "-p", "7100,7104,7107,7110,7112", H6]),
           ("client", "nmap", ["-6", "-sU", "-p", "7200,7212", H6]),
           ("client", "mtr", ["-6", H6]),
           ("client", "mtr", ["-6", "-T", "-P", "7100", H6])],
}
SERVICES = {"tarpit": 7001, "drip": 7002, "flood": 7003, "garbage": 7004, "cutoff": 7005,
            "tls-stall": 7006, "tls-garbage": 7007, "escape": 7008}
BAD = (b"\x1b", b"\x07", b"\x9b", b"\x00")


def argv_of(tool, opts, a):
    path = os.path.join(a.bin, tool)
    if tool == "nmap":
        return [path, "-n", "-Pn"] + opts if "-sn" not in opts else [path, "-n"] + opts
    return [path, "-r", "-n", "-c", "3", "-i", "0.2"] + opts


def measure(a, lab, host, argv):
    t0 = time.monotonic()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "NKRSS %M", a.netkit, "lab", "exec", "--lab",
                            lab, host] + argv, capture_output=True, timeout=a.timeout)
    except subprocess.TimeoutExpired as e:
        return time.monotonic() - t0, float("nan"), "killed", any(b in (e.stdout or b"")
                                                                  for b in BAD)
    secs = time.monotonic() - t0
    rss = [l for l in p.stderr.decode(errors="replace").splitlines() if l.startswith("NKRSS")]
    rss = int(rss[-1].split()[1]) / 1024 if rss else float("nan")
    raw = any(b in p.stdout for b in BAD)
    return secs, rss, p.returncode, raw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netkit", default=os.path.join(TOP, "build", "netkit"))
    ap.add_argument("--bin", default=os.path.join(TOP, "build", "bin"))
    ap.add_argument("--timeout", type=float, default=120, help="seconds a run may take")
    a = ap.parse_args()
    lab = subprocess.run([a.netkit, "lab", "up", os.path.join(TOP, "lab", "hostile.lab"), "-q"],
                         capture_output=True, text=True, check=True).stdout.strip()
    rows = []
    try:
        resp = hostile_start.start(a.netkit, lab, "responder.py", seconds=900)
        try:
            for name, kinds in PACKETS.items():
                pk = hostile_start.start(a.netkit, lab, "packets.py", [name], seconds=900)
                try:
                    for host, tool, opts in kinds:
                        rows.append((name, tool + " " + " ".join(opts),
                                     *measure(a, lab, host, argv_of(tool, opts, a))))
                finally:
                    hostile_start.stop(pk)
            for name, port in SERVICES.items():
                for tool, opts in (("nmap", ["-sT", "-p", str(port), H]),
                                   ("nmap", ["-sV", "-sC", "-p", str(port), H]),
                                   ("mtr", ["-T", "-P", str(port), H])):
                    rows.append((name, tool + " " + " ".join(opts),
                                 *measure(a, lab, "client", argv_of(tool, opts, a))))
        finally:
            hostile_start.stop(resp)
    finally:
        subprocess.run([a.netkit, "lab", "down", lab], capture_output=True)
    print("| behaviour | tool | seconds | peak RSS MiB | exit | raw byte on stdout |")
    print("|---|---|---|---|---|---|")
    for name, tool, secs, rss, rc, raw in rows:
        print(f"| {name} | {tool} | {secs:.2f} | {rss:.1f} | {rc} | {'yes' if raw else 'no'} |")


if __name__ == "__main__":
    main()
