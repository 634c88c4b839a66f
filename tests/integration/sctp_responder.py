# SPDX-License-Identifier: Apache-2.0
"""A minimal SCTP endpoint for the -sY/-sZ tests, in a lab host's
namespace: this kernel has no SCTP, so a raw socket for protocol 132
answers as RFC 9260 says a host does, and the kernel sends no protocol
unreachable while it is open. ARGV[1]: ports to answer as open (INIT ->
INIT ACK), ARGV[2]: ports to answer as closed (INIT or COOKIE ECHO ->
ABORT); other ports: silence. Prints "ready", runs until stdin closes."""
import os
import select
import socket
import struct
import sys


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def packet(sport, dport, vtag, chunk):
    p = struct.pack("!HHII", sport, dport, vtag, 0) + chunk
    return p[:8] + struct.pack("<I", crc32c(p)) + p[12:]


opened = {int(p) for p in sys.argv[1].split(",") if p}
closed = {int(p) for p in sys.argv[2].split(",") if p}
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 132)
print("ready", flush=True)
while True:
    r, _, _ = select.select([s, sys.stdin], [], [], 60)
    if sys.stdin in r or not r:
        break
    pkt, (src, _) = s.recvfrom(65535)
    ip = pkt[(pkt[0] & 15) * 4:]
    if len(ip) < 16:
        continue
    sport, dport, vtag = struct.unpack("!HHI", ip[:8])
    ctype = ip[12]
    if ctype == 1 and len(ip) >= 32:  # INIT
        itag = struct.unpack("!I", ip[16:20])[0]
        if dport in opened:
            cookie = struct.pack("!HH", 7, 8) + os.urandom(4)
            body = struct.pack("!IIHHI", int.from_bytes(os.urandom(4), "big") | 1, 65536,
                               10, 10, 1) + cookie
            chunk = struct.pack("!BBH", 2, 0, 4 + len(body)) + body
            s.sendto(packet(dport, sport, itag, chunk), (src, 0))
        elif dport in closed:
            s.sendto(packet(dport, sport, itag, struct.pack("!BBH", 6, 0, 4)), (src, 0))
    elif ctype == 10 and dport in closed:  # COOKIE ECHO out of the blue
        s.sendto(packet(dport, sport, vtag, struct.pack("!BBH", 6, 1, 4)), (src, 0))
