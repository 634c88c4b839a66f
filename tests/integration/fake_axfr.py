# SPDX-License-Identifier: Apache-2.0
"""A stand-in authoritative name server for dns-zone-transfer's offline
test: on TCP 127.0.0.1:53 (run it in a network namespace of the test's
own) it answers an AXFR query (RFC 5936) for the zone "lab" (nmap 7.93's dns-zone-transfer
asks for a domain's last label only) with a fixed zone, SOA first and
last, cut into two messages; any other query gets REFUSED. The second
message's owner names point at the question's (RFC 1035 4.1.4
compression), as real servers write them. A TXT record holds one string:
nmap 7.93 misreads the record after one with two.

    fake_axfr.py    (then runs until killed)
"""
import socket
import struct
import sys

ZONE = "lab"


def name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(owner, rtype, rdata, ttl=3600, compress=False):
    own = name(owner)
    if compress and owner.endswith(ZONE):
        head = owner[:-len(ZONE)].rstrip(".")
        own = (name(head)[:-1] if head else b"") + b"\xc0\x0c"
    return own + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa():
    return name("ns1." + ZONE) + name("hostmaster." + ZONE) + struct.pack(">IIIII", 2024010101,
                                                                             7200, 900, 1209600, 300)


def records():
    z = ZONE
    first = [
        rr(z, 6, soa()),
        rr(z, 2, name("ns1." + z)),
        rr(z, 2, name("ns2." + z)),
        rr(z, 15, struct.pack(">H", 10) + name("mail." + z)),
        rr(z, 16, b"\x0bv=spf1 -all"),
        rr("ns1." + z, 1, socket.inet_aton("198.18.2.53")),
        rr("ns2." + z, 28, socket.inet_pton(socket.AF_INET6, "2001:db8:6::53")),
    ]
    second = [
        rr("www." + z, 5, name("ns1." + z), compress=True),
        rr("_ldap._tcp." + z, 33, struct.pack(">HHH", 0, 5, 389) + name("ns1." + z), compress=True),
        rr("mail." + z, 1, socket.inet_aton("198.18.1.25"), compress=True),
        rr("info." + z, 13, b"\x03x86\x05Linux", compress=True),
        rr("1.2.lab", 12, name("host.example"), compress=True),
        rr(z, 6, soa(), compress=True),
    ]
    return first, second


def message(qid, question, answers):
    hdr = struct.pack(">HHHHHH", qid, 0x8400, 1, len(answers), 0, 0)
    return hdr + question + b"".join(answers)


def serve(conn):
    data = b""
    while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
        more = conn.recv(4096)
        if not more:
            return
        data += more
    q = data[2:]
    qid = struct.unpack(">H", q[:2])[0]
    question = q[12:]
    qname, pos = [], 0
    while question[pos]:
        qname.append(question[pos + 1:pos + 1 + question[pos]].decode().lower())
        pos += 1 + question[pos]
    qtype = struct.unpack(">H", question[pos + 1:pos + 3])[0]
    question = question[:pos + 5]
    if ".".join(qname) != ZONE or qtype != 252:
        msg = struct.pack(">HHHHHH", qid, 0x8405, 1, 0, 0, 0) + question
        conn.sendall(struct.pack(">H", len(msg)) + msg)
        return
    for part in records():
        msg = message(qid, question, part)
        conn.sendall(struct.pack(">H", len(msg)) + msg)


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 53))
    s.listen(8)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = s.accept()
        try:
            serve(conn)
        finally:
            conn.close()


if __name__ == "__main__":
    main()
