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

More behaviours, each switchable by name (with no BEHAVIOUR: all of them):

    tcp        the TCP SYN-ACK misbehaviour above (7100-7107)
    icmp-tcp   SYNs to 7110-7114 answered by ICMP errors quoting garbage:
               7110 a port unreachable quoting the IP header only (the TCP
               header cut off), 7111 an admin-prohibited quoting the probe as
               UDP (wrong protocol), 7112 unreachables quoting probes never
               sent (the source port + 1, and ports 7150-7169), 7113 a
               quote whose IP header claims 65535 bytes with 1400 bytes of
               garbage after it and another whose IHL is 15, 7114 an ICMP
               redirect (gateway 198.18.9.99) quoting the probe
    icmp-udp   UDP to 7200-7204, the same ICMP garbage for UDP probes:
               7200 a port unreachable quoting the IP header and 4 bytes,
               7201 quoting the probe as TCP, 7202 quoting probes never sent,
               7203 an oversized, lying quote, 7204 a redirect
    udp        UDP misbehaviour: 7210 a reply from another port (7299), 7211
               from another address (198.18.9.99), 7212 a storm of 50 replies,
               7213 1400 bytes of garbage and 20 datagrams to ports of the
               prober never probed
    echo       each ICMP echo request (IPv4, the kernel answers it too) also
               gets a time exceeded quoting 4 bytes of it, one quoting an echo
               never sent (sequence + 1000), a port unreachable quoting it as
               UDP, an echo reply with another identifier and a redirect
    arp        ARP requests for every address of 198.18.9.0/24 but the
               router's (.1) and nice's (.10) answered with hostile's MAC
    nd         neighbour solicitations for every address of 2001:db8:9::/64
               but ::1 and ::10 answered likewise
    v6         over IPv6 (2001:db8:9::66): SYNs to 7100 a storm of 50
               SYN-ACKs, 7104 a SYN-ACK from 2001:db8:9::99, 7107 SYN-ACKs
               for ports never probed, 7110 an unreachable quoting 40 bytes,
               7112 unreachables quoting probes never sent; UDP to 7200 an
               unreachable quoting the IPv6 header and 4 bytes, 7212 a storm of 50
               replies; each echo request also a time exceeded quoting an
               echo never sent and an echo reply with another identifier

Run it in the host (root, in the lab namespace):
    netkit lab exec --lab NAME hostile python3 lab/hostile/packets.py [BEHAVIOUR...] [--dev eth0]
It prints "ready" once its socket is open and runs until killed, at most
--max-seconds (600)."""
import argparse
import fcntl
import ipaddress
import os
import random
import select
import socket
import struct
import sys
import threading
import time

ETH_P_ALL, ETH_P_IP, ETH_P_ARP, ETH_P_IPV6 = 0x0003, 0x0800, 0x0806, 0x86dd
PORTS = range(7100, 7108)
SPOOF, SPOOF6 = "198.18.9.99", "2001:db8:9::99"
LAN4, LAN6 = ipaddress.ip_network("198.18.9.0/24"), ipaddress.ip_network("2001:db8:9::/64")
# the router's and nice's addresses: never claimed by arp/nd (nice's results
# must not change), nor hostile's own (its kernel answers those)
KEEP = {ipaddress.ip_address(a) for a in ("198.18.9.1", "198.18.9.10", "198.18.9.66",
                                           "2001:db8:9::1", "2001:db8:9::10", "2001:db8:9::66")}
BEHAVIOURS = ("tcp", "icmp-tcp", "icmp-udp", "udp", "echo", "arp", "nd", "v6")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def v6(addr):
    return ":" in addr


def aton(addr):
    return socket.inet_pton(socket.AF_INET6 if v6(addr) else socket.AF_INET, addr)


def ip(src, dst, proto, payload, ttl=64):
    """An IPv4 or IPv6 packet around payload (proto: the next header)."""
    if v6(src):
        return struct.pack("!IHBB", 6 << 28, len(payload), proto, ttl) + aton(src) + aton(dst) \
            + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), random.randrange(65536), 0,
                      ttl, proto, 0, aton(src), aton(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def l4sum(src, dst, proto, seg):
    """seg's checksum over its pseudo header (TCP, UDP, ICMPv6)."""
    if v6(src):
        pseudo = aton(src) + aton(dst) + struct.pack("!IxxxB", len(seg), proto)
    else:
        pseudo = aton(src) + aton(dst) + struct.pack("!BBH", 0, proto, len(seg))
    return csum(pseudo + seg)


def tcp(src, dst, sport, dport, seq, ack, flags, win=65535, opts=b"", doff=None, bad=False):
    doff = doff if doff is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + opts
    c = l4sum(src, dst, 6, hdr) ^ (0x5a5a if bad else 0)
    return ip(src, dst, 6, hdr[:16] + struct.pack("!H", c) + hdr[18:])


def udp(src, dst, sport, dport, data):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4sum(src, dst, 17, seg) or 0xffff
    return ip(src, dst, 17, seg[:6] + struct.pack("!H", c) + seg[8:])


def icmp(src, dst, typ, code, rest, body, ttl=64):
    """An ICMP (or, from an IPv6 address, ICMPv6) message."""
    msg = struct.pack("!BBH", typ, code, 0) + rest + body
    if v6(src):
        return ip(src, dst, 58, msg[:2] + struct.pack("!H", l4sum(src, dst, 58, msg)) + msg[4:],
                  ttl)
    return ip(src, dst, 1, msg[:2] + struct.pack("!H", csum(msg)) + msg[4:], ttl)


def unreach(src, dst, quote, code=3):
    if v6(src):
        return icmp(src, dst, 1, 4 if code == 3 else 1, b"\0" * 4, quote)
    return icmp(src, dst, 3, code, b"\0" * 4, quote)


def redirect(src, dst, quote):
    return icmp(src, dst, 5, 1, aton(SPOOF), quote)


SYNACK, RSTACK = 0x12, 0x14
MSS = b"\x02\x04\x05\xb4"


def hlen(pkt):
    return 40 if pkt[0] >> 4 == 6 else (pkt[0] & 15) * 4


def with_port(pkt, off, port):
    """pkt with the 16-bit field at transport offset off set to port."""
    h = hlen(pkt)
    return pkt[:h + off] + struct.pack("!H", port & 0xffff) + pkt[h + off + 2:]


def with_proto(pkt, proto):
    return pkt[:6] + bytes([proto]) + pkt[7:] if v6_pkt(pkt) else pkt[:9] + bytes([proto]) + pkt[10:]


def v6_pkt(pkt):
    return pkt[0] >> 4 == 6


def tcp_replies(src, dst, sport, dport, seq):
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
        return [(0, tcp(SPOOF6 if v6(src) else SPOOF, dst, sport, dport, isn, a, SYNACK,
                        opts=MSS))]
    if sport == 7105:
        out = [(0, tcp(src, dst, sport, 40000 + i, isn, a, RSTACK)) for i in range(20)]
        return out + [(0, sa(win=0, opts=MSS))]
    if sport == 7106:
        return [(3.0, sa(opts=MSS)), (3.1, sa(opts=MSS))]
    if sport == 7107:
        return [(0, sa(opts=MSS))] + [(0, tcp(src, dst, 7108 + i, dport, isn, a, SYNACK,
                                            opts=MSS)) for i in range(20)]
    return []


def icmp_replies(src, dst, pkt, port, first):
    """ICMP errors quoting garbage for a probe pkt (TCP or UDP) to port;
    first: the first port of the range (7110 TCP, 7200 UDP)."""
    h = hlen(pkt)
    probe = pkt[:h + 8]
    other = 17 if pkt[6 if v6_pkt(pkt) else 9] == 6 else 6
    k = port - first
    if k == 0:  # the transport header cut off (4 bytes of it for UDP)
        return [unreach(src, dst, pkt[:h + (4 if first == 7200 else 0)])]
    if k == 1:  # the probe quoted as the other protocol
        return [unreach(src, dst, with_proto(probe, other), code=13)]
    if k == 2:  # probes never sent: the prober's port + 1, and ports 7150-7169
        sport = struct.unpack("!H", pkt[h:h + 2])[0]
        out = [unreach(src, dst, with_port(probe, 0, sport + 1))]
        return out + [unreach(src, dst, with_port(probe, 2, 7150 + i)) for i in range(20)]
    if k == 3:  # a quote claiming 65535 bytes, then one whose IHL is 15
        big = probe[:2] + b"\xff\xff" + probe[4:] + os.urandom(1400)
        return [unreach(src, dst, big), unreach(src, dst, bytes([0x4f]) + probe[1:20])]
    if k == 4:
        return [redirect(src, dst, probe)]
    return []


def udp_replies(src, dst, pkt, sport, dport):
    if sport == 7210:
        return [udp(src, dst, 7299, dport, b"from another port\n")]
    if sport == 7211:
        return [udp(SPOOF, dst, sport, dport, b"from another address\n")]
    if sport == 7212:
        return [udp(src, dst, sport, dport, b"storm\n")] * 50
    if sport == 7213:
        return [udp(src, dst, sport, dport, os.urandom(1400))] + \
            [udp(src, dst, sport, 40000 + i, b"never asked\n") for i in range(20)]
    return []


def echo_replies(src, dst, pkt):
    """Garbage beside the kernel's echo reply (IPv4 or IPv6)."""
    h = hlen(pkt)
    ident, seq = struct.unpack("!HH", pkt[h + 4:h + 8])
    never = pkt[:h + 6] + struct.pack("!H", (seq + 1000) & 0xffff)
    other_id = struct.pack("!HH", (ident + 1) & 0xffff, seq)
    if v6_pkt(pkt):
        return [icmp(src, dst, 3, 0, b"\0" * 4, never), icmp(src, dst, 129, 0, other_id,
                                                              pkt[h + 8:])]
    return [icmp(src, dst, 11, 0, b"\0" * 4, pkt[:h + 4]),
            icmp(src, dst, 11, 0, b"\0" * 4, never),
            unreach(src, dst, with_proto(pkt[:h + 8], 17)),
            icmp(src, dst, 0, 0, other_id, pkt[h + 8:]),
            redirect(src, dst, pkt[:h + 8])]


def answer_ip(pkt, on):
    """(delay, packet) pairs answering an IPv4 or IPv6 packet pkt."""
    six = v6_pkt(pkt)
    if six and "v6" not in on:
        return []
    h = hlen(pkt)
    proto = pkt[6] if six else pkt[9]
    if len(pkt) < h + 8 or (not six and pkt[6] & 0x3f | pkt[7]):  # fragments: not ours
        return []
    fam = socket.AF_INET6 if six else socket.AF_INET
    src = socket.inet_ntop(fam, pkt[24:40] if six else pkt[16:20])
    dst = socket.inet_ntop(fam, pkt[8:24] if six else pkt[12:16])
    a, b = struct.unpack("!HH", pkt[h:h + 4])
    if proto == 6 and len(pkt) >= h + 14 and pkt[h + 13] & 0x3f == 0x02:
        if b in PORTS and ("tcp" in on if not six else b in (7100, 7104, 7107)):
            return tcp_replies(src, dst, b, a, struct.unpack("!I", pkt[h + 4:h + 8])[0])
        if 7110 <= b <= 7114 and ("icmp-tcp" in on if not six else b in (7110, 7112)):
            return [(0, p) for p in icmp_replies(src, dst, pkt, b, 7110)]
    if proto == 17:
        if 7200 <= b <= 7204 and ("icmp-udp" in on if not six else b == 7200):
            return [(0, p) for p in icmp_replies(src, dst, pkt, b, 7200)]
        if 7210 <= b <= 7213 and ("udp" in on if not six else b == 7212):
            return [(0, p) for p in udp_replies(src, dst, pkt, b, a)]
    if (proto, pkt[h]) in ((1, 8), (58, 128)) and ("echo" in on or six):
        return [(0, p) for p in echo_replies(src, dst, pkt)]
    return []


def answer_arp(pkt, mac):
    """An ARP reply claiming the address asked for, or None."""
    if len(pkt) < 28 or pkt[:8] != b"\x00\x01\x08\x00\x06\x04\x00\x01":
        return None
    sha, spa, tpa = pkt[8:14], pkt[14:18], pkt[24:28]
    want = ipaddress.ip_address(tpa)
    if want not in LAN4 or want in KEEP:
        return None
    return b"\x00\x01\x08\x00\x06\x04\x00\x02" + mac + tpa + sha + spa


def answer_ns(pkt, mac):
    """A neighbour advertisement claiming the target solicited, or None."""
    if len(pkt) < 64 or pkt[6] != 58 or pkt[40] != 135:
        return None
    want = ipaddress.ip_address(pkt[48:64])
    if want not in LAN6 or want in KEEP:
        return None
    asker = socket.inet_ntop(socket.AF_INET6, pkt[8:24])
    dst = "ff02::1" if asker == "::" else asker
    flags = 0x20000000 | (0 if asker == "::" else 0x40000000)
    return icmp(str(want), dst, 136, 0, struct.pack("!I", flags), pkt[48:64] + b"\x02\x01" + mac,
                ttl=255)


def send_later(tx, dev, mac, items):
    t0 = time.monotonic()
    for delay, pkt in sorted(items, key=lambda x: x[0]):
        time.sleep(max(0.0, t0 + delay - time.monotonic()))
        proto = ETH_P_IPV6 if v6_pkt(pkt) else ETH_P_IP
        try:
            tx.sendto(pkt, (dev, proto, 0, 0, mac))
        except OSError:
            pass


def hwaddr(sock, dev):
    req = fcntl.ioctl(sock.fileno(), 0x8927, struct.pack("256s", dev.encode()))  # SIOCGIFHWADDR
    return req[18:24]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("behaviours", nargs="*", metavar="BEHAVIOUR",
                   help="any of: " + " ".join(BEHAVIOURS))
    p.add_argument("--dev", default="eth0")
    p.add_argument("--max-seconds", type=float, default=600)
    a = p.parse_args()
    bad = [n for n in a.behaviours if n not in BEHAVIOURS]
    if bad:
        p.error("unknown behaviour: " + " ".join(bad))
    on = set(a.behaviours or BEHAVIOURS)
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    rx.bind((a.dev, ETH_P_ALL))
    mymac = hwaddr(rx, a.dev)
    print("ready", flush=True)
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        if not select.select([rx], [], [], 1.0)[0]:
            continue
        pkt, addr = rx.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        proto, peer = addr[1], addr[4][:6]
        if proto == ETH_P_ARP and "arp" in on:
            r = answer_arp(pkt, mymac)
            if r:
                rx.sendto(r, (a.dev, ETH_P_ARP, 0, 0, peer))
            continue
        if proto == ETH_P_IPV6 and "nd" in on:
            r = answer_ns(pkt, mymac)
            if r:
                rx.sendto(r, (a.dev, ETH_P_IPV6, 0, 0, peer))
                continue
        if proto not in (ETH_P_IP, ETH_P_IPV6) or len(pkt) < 28:
            continue
        items = answer_ip(pkt, on)
        if any(d for d, _ in items):
            threading.Thread(target=send_later, args=(rx, a.dev, peer, items),
                             daemon=True).start()
        elif items:
            send_later(rx, a.dev, peer, items)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
