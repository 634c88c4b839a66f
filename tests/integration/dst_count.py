# SPDX-License-Identifier: Apache-2.0
"""Prints how many IPv4 packets addressed to ARGV[1] arrive on any
interface during ARGV[2] seconds (run inside a lab host's namespace: to
show that a scan sent nothing to an address)."""
import socket
import sys
import time

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.settimeout(0.2)
want = socket.inet_aton(sys.argv[1])
end = time.monotonic() + float(sys.argv[2])
n = 0
print("ready", flush=True)
while time.monotonic() < end:
    try:
        p, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    if addr[2] != socket.PACKET_OUTGOING and p[14 + 16:14 + 20] == want:
        n += 1
print(n, flush=True)
