#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The hostile lab host's misbehaving TCP services (lab/README.md, "The
hostile host"). Run it inside the lab host's namespace:

    netkit lab exec --lab NAME hostile python3 lab/hostile/responder.py [BEHAVIOUR...]

With no BEHAVIOUR it runs them all, each on its own port; name some to
switch the others off. It prints "ready PORT..." once listening and runs
until killed. Every behaviour is bounded on our side too (the flood stops
after --flood-mib MiB, a connection after --max-seconds), so a scanner that
never hangs up cannot make it run forever.

    tarpit       7001  accepts, never speaks, never closes
    drip         7002  a banner of one byte per second
    flood        7003  an endless banner ("220 " then a line of 64 KiB and more:
                       hundreds of MiB if the client keeps reading)
    garbage      7004  binary garbage (every byte value, control bytes and
                       terminal escape sequences) then silence
    cutoff       7005  half an HTTP response ("HTTP/1.1 200 OK\r\nContent-Le") to
                       anything, then closes
    tls-stall    7006  reads a ClientHello, answers with the first 3 bytes of a
                       TLS record header, then silence
    tls-garbage  7007  answers every read with TLS-looking records of garbage
                       (content types 20-23, random lengths and bytes)
    escape       7008  a banner full of terminal escape sequences
                       ("\x1b]0;owned\x07", "\x1b[2J", CSI colour codes) and a
                       fake "open" line
    dns          53/udp  a DNS server that lies: the PTR of 198.18.9.N (and
                       2001:db8:9::N) is, by N: 1 a name of terminal escapes and
                       control bytes, 2 a compression pointer to itself (a loop),
                       3 a 255-byte name of 63-byte labels, 4 three hundred PTR
                       records (~6 KB, past any advertised size, no TC bit),
                       5 a pointer past the end of the message, 6 a label
                       length of 0x7f (not a length, not a pointer), 7 an
                       answer for another question; 198.18.1.1 (the router, a
                       tracer's first hop) as 1, 198.18.9.66 (hostile) as 4;
                       any other name: NXDOMAIN. mtr -z's AS lookups (TXT,
                       N.N.N.N.origin.asn.cymru.com and origin6): for the
                       router a TXT of terminal escapes and control bytes in
                       the "AS | prefix | CC" fields, for hostile 300 TXT
                       records, for nice a character-string whose length
                       runs past its record, for 198.18.9.N by N as the PTRs
                       do (2 a pointer loop as the owner name, 5 past the end)
"""
import argparse
import asyncio
import os
import random
import sys

PORTS = {"dns": 53, "tarpit": 7001, "drip": 7002, "flood": 7003, "garbage": 7004, "cutoff": 7005,
         "tls-stall": 7006, "tls-garbage": 7007, "escape": 7008}


async def tarpit(r, w, a):
    await asyncio.sleep(a.max_seconds)


async def drip(r, w, a):
    for b in b"220 drip.lab ESMTP slow as can be\r\n" * 100:
        w.write(bytes([b]))
        await w.drain()
        await asyncio.sleep(1.0)


async def flood(r, w, a):
    line = b"220 " + b"A" * 65532
    for _ in range(a.flood_mib * 16):
        w.write(line)
        await w.drain()


async def garbage(r, w, a):
    w.write(bytes(range(256)) + b"\x1b[31m\x1b]0;pwned\x07\x00\xff" + os.urandom(4096))
    await w.drain()
    await asyncio.sleep(a.max_seconds)


async def cutoff(r, w, a):
    try:
        await asyncio.wait_for(r.read(1), timeout=3)
    except asyncio.TimeoutError:
        pass
    w.write(b"HTTP/1.1 200 OK\r\nContent-Le")
    await w.drain()


async def tls_stall(r, w, a):
    await r.read(4096)
    w.write(b"\x16\x03\x03")
    await w.drain()
    await asyncio.sleep(a.max_seconds)


async def tls_garbage(r, w, a):
    rnd = random.Random(0x7007)
    while True:
        data = await r.read(4096)
        if not data:
            return
        for _ in range(8):
            n = rnd.randrange(0, 20000)
            w.write(bytes([rnd.choice((20, 21, 22, 23)), 3, rnd.randrange(0, 5)])
                    + n.to_bytes(2, "big") + os.urandom(min(n, 512)))
        await w.drain()


async def escape(r, w, a):
    w.write(b"220 \x1b]0;owned\x07\x1b[2J\x1b[1;31mred\x1b[0m \x1b[6n ok\r\n"
            b"22/tcp open ssh\r\n\x9b31m8-bit CSI\r\n")
    await w.drain()
    await asyncio.sleep(a.max_seconds)


def dns_name(name):
    out = b""
    for label in name.split(b"."):
        out += bytes([len(label)]) + label
    return out + b"\0"


def ptr_answer(n, qlen):
    """The lying answer section for 198.18.9.n (the question, qlen bytes,
    at offset 12; the first answer's rdata at 12 + qlen + 12)."""
    rr = lambda rdata: b"\xc0\x0c\x00\x0c\x00\x01\x00\x00\x00\x3c" + \
        len(rdata).to_bytes(2, "big") + rdata
    if n == 1:
        return 1, rr(dns_name(b"\x1b]0;owned\x07\x1b[2J.\x1b[31mred\x9b1m.\x00nul\r\n.lab"))
    if n == 2:
        at = 12 + qlen + 12  # "abc" then a pointer back to "abc"
        return 1, rr(b"\x03abc" + (0xc000 | at).to_bytes(2, "big"))
    if n == 3:
        return 1, rr(dns_name(b".".join([b"x" * 63] * 3 + [b"y" * 61])))
    if n == 4:
        return 300, b"".join(rr(dns_name(b"h%d.storm.lab" % i)) for i in range(300))
    if n == 5:
        return 1, rr(b"\x03abc\xc3\xff")
    if n == 6:
        return 1, rr(b"\x7fabc\x00")
    return None


def txt_answer(n, qlen):
    """The lying TXT answers for an AS lookup (the owner name a pointer to
    the question at offset 12), by the same n as the PTRs, 10 for nice."""
    rr = lambda rdata, owner=b"\xc0\x0c": owner + b"\x00\x10\x00\x01\x00\x00\x00\x3c" + \
        len(rdata).to_bytes(2, "big") + rdata
    cs = lambda text: bytes([len(text)]) + text  # a character-string
    if n == 1:
        return 1, rr(cs(b"\x1b]0;owned\x07\x1b[2J6453\x9b31m | 198.18.0.0/15 | \x00US\r\n | arin"))
    if n == 2:
        # the owner name a pointer to itself (it sits at 12 + qlen): a loop
        return 1, rr(cs(b"64500 | x"), owner=(0xc000 | (12 + qlen)).to_bytes(2, "big"))
    if n == 4:
        return 300, b"".join(rr(cs(b"%d | 198.18.9.0/24 | ZZ | x | 2026-12-07" % (64500 + i)))
                             for i in range(300))
    if n == 5:
        return 1, rr(cs(b"64500 | y"), owner=b"\xc3\xff")
    if n == 10:
        return 1, rr(b"\xff64500 | 198.18.9.0/24")  # says 255 bytes, holds 24
    return 1, rr(cs(bytes(range(256))[1:120]))  # binary bytes


class Dns(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.t = transport

    def datagram_received(self, q, addr):
        if len(q) < 17:
            return
        qid, i, labels = q[:2], 12, []
        while i < len(q) and q[i] and len(labels) < 128:
            labels.append(q[i + 1:i + 1 + q[i]])
            i += 1 + q[i]
        question = q[12:i + 5]
        name = b".".join(labels).lower()
        n = None
        qtype = q[i + 1:i + 3]
        if qtype == b"\x00\x10" and (name.endswith(b".origin.asn.cymru.com")
                                     or name.endswith(b".origin6.asn.cymru.com")):
            octets = labels[:4][::-1]
            n = {b"198.18.1.1": 1, b"198.18.9.66": 4, b"198.18.9.10": 10}.get(b".".join(octets))
            if n is None and octets[:3] == [b"198", b"18", b"9"] and octets[3].isdigit():
                n = int(octets[3])
            count, body = txt_answer(n, len(question))
            self.t.sendto(qid + b"\x85\x80\x00\x01" + count.to_bytes(2, "big")
                          + b"\x00\x00\x00\x00" + question + body, addr)
            return
        if name == b"1.1.18.198.in-addr.arpa":  # the router's hop: escapes
            n = 1
        elif name == b"66.9.18.198.in-addr.arpa":  # hostile itself: 300 PTRs
            n = 4
        elif name.endswith(b".9.18.198.in-addr.arpa"):
            n = int(labels[0]) if labels[0].isdigit() else None
        elif name.endswith(b".9.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"):
            n = int(labels[0], 16) if all(l == b"0" for l in labels[1:28]) else None
        if n == 7:  # an answer for another question
            question = dns_name(b"10.9.18.198.in-addr.arpa") + b"\x00\x0c\x00\x01"
            n = 1
        ans = ptr_answer(n, len(question)) if n is not None else None
        if ans is None:
            self.t.sendto(qid + b"\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00" + question, addr)
            return
        count, body = ans
        self.t.sendto(qid + b"\x85\x80\x00\x01" + count.to_bytes(2, "big") + b"\x00\x00\x00\x00"
                      + question + body, addr)


BEHAVIOURS = {"tarpit": tarpit, "drip": drip, "flood": flood, "garbage": garbage,
              "cutoff": cutoff, "tls-stall": tls_stall, "tls-garbage": tls_garbage,
              "escape": escape, "dns": None}


def handler(fn, a):
    async def handle(r, w):
        try:
            await asyncio.wait_for(fn(r, w, a), timeout=a.max_seconds)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass
        finally:
            w.close()
    return handle


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("behaviours", nargs="*", metavar="BEHAVIOUR",
                   help="any of: " + " ".join(sorted(BEHAVIOURS)))
    p.add_argument("--flood-mib", type=int, default=300)
    p.add_argument("--max-seconds", type=float, default=600)
    a = p.parse_args()
    bad = [n for n in a.behaviours if n not in BEHAVIOURS]
    if bad:
        p.error("unknown behaviour: " + " ".join(bad))
    names = a.behaviours or sorted(BEHAVIOURS)
    servers = []
    loop = asyncio.get_running_loop()
    for n in names:
        # every address of the host (the lab namespace holds only the lab's)
        if n == "dns":
            # "::" takes IPv4 too (bindv6only is 0 in the lab's namespaces)
            await loop.create_datagram_endpoint(Dns, local_addr=("::", 53))
            continue
        servers.append(await asyncio.start_server(handler(BEHAVIOURS[n], a), host=None,
                                                  port=PORTS[n], reuse_address=True))
    print("ready " + " ".join(str(PORTS[n]) for n in names), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
