# SPDX-License-Identifier: Apache-2.0
"""Packets as the target receives them: run a command on a lab host while
wire_capture.py listens on another, and read the IPv4 packets it saw
(for the tests of nmap's evasion options, side by side with nmap)."""
import json
import os
import socket
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Pkt:
    """One IPv4 packet (or fragment) as it arrived."""

    def __init__(self, mac, raw):
        self.mac = mac
        self.raw = raw
        ihl = (raw[0] & 15) * 4
        (self.tot_len, self.id, frag, self.ttl, self.proto, self.ip_csum) = \
            struct.unpack("!2xHHHBBH", raw[:12])
        self.df = bool(frag & 0x4000)
        self.mf = bool(frag & 0x2000)
        self.frag_off = (frag & 0x1fff) * 8
        self.src = socket.inet_ntoa(raw[12:16])
        self.dst = socket.inet_ntoa(raw[16:20])
        self.ip_opts = raw[20:ihl]
        self.l4 = raw[ihl:self.tot_len]
        self.is_frag = self.mf or self.frag_off > 0
        self.sport = self.dport = None
        if not self.is_frag and self.proto in (6, 17) and len(self.l4) >= 8:
            self.sport, self.dport = struct.unpack("!HH", self.l4[:4])

    def tcp(self):
        """(flags, window, options, payload) of a whole TCP segment."""
        off = (self.l4[12] >> 4) * 4
        return self.l4[13], struct.unpack("!H", self.l4[14:16])[0], self.l4[20:off], self.l4[off:]

    def udp_payload(self):
        return self.l4[8:]

    def l4_csum_ok(self):
        """Whether the TCP/UDP checksum is right (of a whole packet)."""
        pseudo = self.raw[12:20] + struct.pack("!BBH", 0, self.proto, len(self.l4))
        return csum(pseudo + self.l4) == 0


def capture(lab, argv, host="target", iface="eth0", on="client", timeout=120):
    """Run argv on host `on` while capturing on host:iface; returns
    (CompletedProcess of argv, [Pkt])."""
    cap = lab.popen(host, [sys.executable, os.path.join(HERE, "wire_capture.py"), iface],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert cap.stdout.readline().strip() == "ready"
    try:
        r = lab.exec(on, argv, timeout=timeout)
    finally:
        cap.stdin.close()
    seen = json.loads(cap.stdout.readline())
    cap.wait(timeout=30)
    return r, [Pkt(m, bytes.fromhex(h)) for m, h in seen]
