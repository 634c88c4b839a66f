#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The hostile lab host's packet-level misbehaviour (lab/README.md, "The
hostile host"): it answers TCP SYNs to ports 7100-7107 itself, from a
packet socket (lab/hostile.lab drops them before the kernel's TCP sees
them, so the kernel sends nothing), each port its own way:

    7100  storm       50 identical SYN-ACKs for each SYN
    7101  badsum      one SYN-ACK with a wrong TCP checksum
    7102  truncopt    a SYN-ACK whose data offset says 60 bytes, 20 sent
    7103  garbopt     a SYN-ACK with 40 bytes of option garbage (lengths
                      0, 1, 255, an unknown kind, MSS 0, window scale 255)
    7104  spoofed     a SYN-ACK from another address (198.18.9.99)
    7105  rststorm    RSTs to 20 ports of the prober it never probed, then a
                      SYN-ACK with window 0
    7106  late        a SYN-ACK after 3 s, then its duplicate
    7107  unsolicited a SYN-ACK for the probe, and 20 SYN-ACKs for ports
                      (7108-7127) the prober never probed

Run it in the host (root, in the lab namespace):
    netkit lab exec --lab NAME hostile python3 lab/hostile/packets.py [--dev eth0]
It prints "ready" once its socket is open and runs until killed, at most
--max-seconds (600)."""
import argparse
import os
import random
import select
import socket
import struct
import sys
import threading
import time

ETH_P_IP = 0x0800
PORTS = range(7100, 7108)
SPOOF = "198.18.9.99"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp(src, dst, sport, dport, seq, ack, flags, win=65535, opts=b"", doff=None, bad=False):
    doff = doff if doff is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + opts
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    c = csum(pseudo + hdr) ^ (0x5a5a if bad else 0)
    hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(hdr), random.randrange(65536), 0, 64, 6,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    return ip + hdr


SYNACK, RSTACK = 0x12, 0x14
MSS = b"\x02\x04\x05\xb4"


def replies(src, dst, sport, dport, seq):
    """(delay, packet) pairs answering a SYN from dst:dport to src:sport."""
    a = seq + 1
    isn = random.randrange(1 << 32)
    sa = lambda **k: tcp(src, dst, sport, dport, isn, a, SYNACK, **k)
    if sport == 7100:
        return [(0, sa(opts=MSS))] * 50
    if sport == 7101:
        return [(0, sa(opts=MSS, bad=True))]
    if sport == 7102:
        return [(0, sa(doff=15))]
    if sport == 7103:
        garbage = (b"\x02\x00" + b"\x03\x01" + b"\xfe\xff" + b"\x08" + b"\x02\x04\x00\x00"
                   + b"\x03\x03\xff" + b"\x22\x05abc" + b"\x01" * 5)
        garbage = (garbage + b"\x00" * 40)[:40]
        return [(0, sa(opts=garbage))]
    if sport == 7104:
        return [(0, tcp(SPOOF, dst, sport, dport, isn, a, SYNACK, opts=MSS))]
    if sport == 7105:
        out = [(0, tcp(src, dst, sport, 40000 + i, isn, a, RSTACK)) for i in range(20)]
        return out + [(0, sa(win=0, opts=MSS))]
    if sport == 7106:
        return [(3.0, sa(opts=MSS)), (3.1, sa(opts=MSS))]
    if sport == 7107:
        return [(0, sa(opts=MSS))] + [(0, tcp(src, dst, 7108 + i, dport, isn, a, SYNACK,
                                            opts=MSS)) for i in range(20)]
    return []


def send_later(tx, items):
    t0 = time.monotonic()
    for delay, pkt in sorted(items, key=lambda x: x[0]):
        time.sleep(max(0.0, t0 + delay - time.monotonic()))
        dst = socket.inet_ntoa(pkt[16:20])
        try:
            tx.sendto(pkt, (dst, 0))
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dev", default="eth0")
    p.add_argument("--max-seconds", type=float, default=600)
    a = p.parse_args()
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    rx.bind((a.dev, ETH_P_IP))
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    print("ready", flush=True)
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        if not select.select([rx], [], [], 1.0)[0]:
            continue
        pkt, addr = rx.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING or len(pkt) < 40 or pkt[9] != 6:
            continue
        ihl = (pkt[0] & 15) * 4
        sport, dport, seq = struct.unpack("!HHI", pkt[ihl:ihl + 8])
        flags = pkt[ihl + 13]
        if flags & 0x3f != 0x02 or dport not in PORTS:
            continue
        src, dst = socket.inet_ntoa(pkt[16:20]), socket.inet_ntoa(pkt[12:16])
        items = replies(src, dst, dport, sport, seq)
        if any(d for d, _ in items):
            threading.Thread(target=send_later, args=(tx, items), daemon=True).start()
        else:
            send_later(tx, items)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
