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
"""
import argparse
import asyncio
import os
import random
import sys

PORTS = {"tarpit": 7001, "drip": 7002, "flood": 7003, "garbage": 7004, "cutoff": 7005,
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


BEHAVIOURS = {"tarpit": tarpit, "drip": drip, "flood": flood, "garbage": garbage,
              "cutoff": cutoff, "tls-stall": tls_stall, "tls-garbage": tls_garbage,
              "escape": escape}


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
    for n in names:
        # every address of the host (the lab namespace holds only the lab's)
        servers.append(await asyncio.start_server(handler(BEHAVIOURS[n], a), host=None,
                                                  port=PORTS[n], reuse_address=True))
    print("ready " + " ".join(str(PORTS[n]) for n in names), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
