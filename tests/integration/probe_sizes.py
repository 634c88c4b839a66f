# SPDX-License-Identifier: Apache-2.0
"""Prints, as JSON, [IP total length, TTL] of every ICMP echo request that
arrives on interface ARGV[1] during ARGV[2] seconds (run inside a lab
host's namespace; for the mtr tests of random probe sizes)."""
import json
import socket
import sys
import time

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((sys.argv[1], 0))
s.settimeout(0.2)
end = time.monotonic() + float(sys.argv[2])
seen = []
print("ready", flush=True)
while time.monotonic() < end:
    try:
        p, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    ip = p[14:]
    hl = (ip[0] & 15) * 4
    if len(ip) > hl and ip[9] == 1 and ip[hl] == 8:
        seen.append([int.from_bytes(ip[2:4], "big"), ip[8]])
print(json.dumps(seen), flush=True)
