# SPDX-License-Identifier: Apache-2.0
"""Plays an MPLS router for the -e tests: run in a router's namespace, it
answers every IPv4 packet that arrives on IFACE with TTL 1 by an ICMP time
exceeded that quotes 128 bytes of it (RFC 4884 length set) and carries an
RFC 4950 MPLS label stack extension; an iptables rule keeps the kernel's
own answer away.  Usage: mpls_responder.py IFACE LABEL:TC:S:TTL..."""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def extension(labels):
    entries = b"".join(struct.pack("!I", (l << 12) | (tc << 9) | (s << 8) | ttl)
                       for l, tc, s, ttl in labels)
    obj = struct.pack("!HBB", 4 + len(entries), 1, 1) + entries
    hdr = bytearray(struct.pack("!BBH", 0x20, 0, 0) + obj)
    struct.pack_into("!H", hdr, 2, csum(bytes(hdr)))
    return bytes(hdr)


def main():
    iface = sys.argv[1]
    labels = [tuple(int(x) for x in a.split(":")) for a in sys.argv[2:]]
    ext = extension(labels)
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    rx.bind((iface, 0x0800))
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    print("ready", flush=True)
    while True:
        pkt = rx.recv(65535)
        if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[8] != 1:
            continue
        quote = pkt[:128].ljust(128, b"\0")
        body = quote + ext
        icmp = bytearray(struct.pack("!BBHBBH", 11, 0, 0, 0, 32, 0) + body)
        struct.pack_into("!H", icmp, 2, csum(bytes(icmp)))
        tx.sendto(bytes(icmp), (socket.inet_ntoa(pkt[12:16]), 0))


if __name__ == "__main__":
    main()
