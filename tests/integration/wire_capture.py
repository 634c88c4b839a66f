# SPDX-License-Identifier: Apache-2.0
"""Prints, as JSON, every IPv4 packet that arrives on interface ARGV[1]
(run inside a lab host's namespace) until standard input closes: the
frame's source MAC and the IP packet, as hex, one [mac, ip] pair each.
Fragments are seen as they arrive, before any reassembly. For the tests
that check the packets of nmap's evasion options at the target."""
import json
import select
import socket
import sys

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((sys.argv[1], 0))
seen = []
print("ready", flush=True)
while True:
    r, _, _ = select.select([s, sys.stdin], [], [], 60)
    if sys.stdin in r or not r:
        break
    p, addr = s.recvfrom(65535)
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    seen.append([p[6:12].hex(":"), p[14:].hex()])
# what is still queued
s.setblocking(False)
while True:
    try:
        p, addr = s.recvfrom(65535)
    except BlockingIOError:
        break
    if addr[2] != socket.PACKET_OUTGOING:
        seen.append([p[6:12].hex(":"), p[14:].hex()])
print(json.dumps(seen), flush=True)
