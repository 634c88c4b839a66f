# SPDX-License-Identifier: Apache-2.0
"""Small stand-ins for services no Debian daemon provides in the lab, for
the version-category scripts' tests (test_nmap_version_scripts.py): each
answers the one exchange the protocol's documentation describes, with
fixed, made-up values, on 127.0.0.1 of the namespace it runs in.

    fake_services.py KIND [KIND...]     # serves until killed; prints "ready"

KINDs: rpc (ONC RPC portmapper v2/v3/v4 on 111 tcp+udp and an RPC
program on 2049 tcp that answers only its own program number, RFC 5531 /
RFC 1833), tns (Oracle TNS listener on 1521: a REFUSE carrying VSNNUM),
s7 (ISO-TSAP/COTP + S7comm SZL reads on 102), fins (OMRON FINS controller
data read on 9600 udp), drda (DRDA EXCSAT reply on 50000, EBCDIC),
bacnet (BACnet/IP ReadProperty on 47808 udp), ase (All-Seeing Eye status
on 1258 udp), xmpp (XMPP stream features on 5222), http (an HTTP server
whose Server header nobody knows, on 80), odd (a greeting no table knows,
on 8000), ike (ISAKMP main/aggressive mode with two vendor IDs on 500
udp), ndmp (NDMP v4 server and host info on 10000), ts2 (TeamSpeak 2
login reply on 8767 udp),
mssql (a TDS PRELOGIN answer with SQL Server 2019 RTM's version
15.0.2000.5 on 1433), mongodb (MongoDB 7.0's answers to OP_MSG and
OP_QUERY on 27017), wdb (VxWorks WDB agent on 17185 udp), epo
(McAfee ePO agent's log page over HTTP on 8081), httpproxy (HTTP CONNECT
tunnels on 3128, "HTTP/1.1 200 OK"), socks4 (SOCKS 4 CONNECT on 1080).

    fake_services.py --any KIND...      # on every address (a lab host's),
                                        # not 127.0.0.1 alone"""
import socket
import socketserver
import struct
import sys
import threading
import zlib

BIND = "127.0.0.1"

# ---- ONC RPC (RFC 5531), portmapper (RFC 1833) --------------------------------

PMAP = [(100000, v, p, 111) for v in (2, 3, 4) for p in (6, 17)] + \
       [(100003, 3, 6, 2049), (100003, 4, 6, 2049), (100005, 1, 17, 20048),
        (100005, 3, 17, 20048), (100024, 1, 6, 38465)]
GRIND_PROG, GRIND_VERS = 100003, (3, 4)


def xdr_str(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def rpc_reply(xid, state, body=b""):
    return struct.pack(">IIIIII", xid, 1, 0, 0, 0, state) + body


def uaddr(port):
    return "0.0.0.0.%d.%d" % (port >> 8, port & 255)


def pmap_answer(call, own_prog=None):
    if len(call) < 40:
        return None
    xid, mtype, rpcvers, prog, vers, proc = struct.unpack(">IIIIII", call[:24])
    if mtype != 0 or rpcvers != 2:
        return None
    if own_prog is not None:  # a plain service: RPC grinding asks it
        if prog != own_prog:
            return rpc_reply(xid, 1)  # PROG_UNAVAIL
        if vers not in GRIND_VERS:
            return rpc_reply(xid, 2, struct.pack(">II", min(GRIND_VERS), max(GRIND_VERS)))
        return rpc_reply(xid, 0) if proc == 0 else rpc_reply(xid, 3)
    if prog != 100000:
        return rpc_reply(xid, 1)
    if vers not in (2, 3, 4):
        return rpc_reply(xid, 2, struct.pack(">II", 2, 4))
    if proc == 0:
        return rpc_reply(xid, 0)
    if proc != 4:
        return rpc_reply(xid, 3)
    body = b""
    for p, v, proto, port in PMAP:
        if vers == 2:
            body += struct.pack(">IIIII", 1, p, v, proto, port)
        else:
            netid = "tcp" if proto == 6 else "udp"
            body += struct.pack(">III", 1, p, v) + xdr_str(netid) + xdr_str(uaddr(port)) \
                + xdr_str("superuser")
    return rpc_reply(xid, 0, body + struct.pack(">I", 0))


class RecordTCP(socketserver.BaseRequestHandler):
    """ONC RPC over TCP: record marking (RFC 5531 section 11)."""
    own_prog = None

    def handle(self):
        buf = b""
        while True:
            d = self.request.recv(65536)
            if not d:
                return
            buf += d
            while len(buf) >= 4:
                n = struct.unpack(">I", buf[:4])[0] & 0x7fffffff
                if len(buf) < 4 + n:
                    break
                ans = pmap_answer(buf[4:4 + n], self.own_prog)
                buf = buf[4 + n:]
                if ans is not None:
                    self.request.sendall(struct.pack(">I", 0x80000000 | len(ans)) + ans)


class GrindTCP(RecordTCP):
    own_prog = GRIND_PROG


def udp_loop(port, answer):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((BIND, port))

    def run():
        while True:
            d, a = s.recvfrom(65536)
            try:
                r = answer(d)
            except Exception:  # a fake: a bad request gets no answer
                r = None
            for dgram in (r if isinstance(r, list) else [r] if r else []):
                s.sendto(dgram, a)
    threading.Thread(target=run, daemon=True).start()


def tcp_server(port, handler):
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer((BIND, port), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def once_tcp(answer):
    """A TCP handler that answers each read with answer(data, state)."""
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            state = {}
            greeting = answer(None, state)
            if greeting:
                self.request.sendall(greeting)
            while True:
                try:
                    d = self.request.recv(65536)
                except OSError:
                    return
                if not d:
                    return
                r = answer(d, state)
                if r is None:
                    continue
                if r == b"":
                    return
                self.request.sendall(r)
    return H


# ---- Oracle TNS: a REFUSE to (COMMAND=version) with the listener's VSNNUM -----

TNS_TEXT = ("(DESCRIPTION=(TMP=)(VSNNUM=318767104)(ERR=0)(ALIAS=LISTENER))")  # 19.0.0.0.0


def tns(data, state):
    if data is None or len(data) < 8:
        return None
    if data[4] != 1:  # only CONNECT
        return b""
    body = TNS_TEXT.encode()
    pkt = struct.pack(">BBH", 0, 0, len(body))  # user reason, system reason, data length
    return struct.pack(">HHBBH", 8 + len(pkt) + len(body), 0, 4, 0, 0) + pkt + body


# ---- S7comm over ISO-TSAP (RFC 1006 TPKT, ISO 8073 COTP) ------------------------

def s7_szl(szl_id, records):
    rec_len = len(records[0]) if records else 0
    data = struct.pack(">HHHH", szl_id, 0, rec_len, len(records)) + b"".join(records)
    params = bytes([0x00, 0x01, 0x12, 0x08, 0x12, 0x84, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00])
    dat = bytes([0xff, 0x09]) + struct.pack(">H", len(data)) + data
    s7 = bytes([0x32, 0x07, 0, 0, 0, 1]) + struct.pack(">HH", len(params), len(dat)) + params + dat
    cotp = bytes([2, 0xf0, 0x80])
    return struct.pack(">BBH", 3, 0, 4 + len(cotp) + len(s7)) + cotp + s7


def s7_str(s, n):
    return s.encode().ljust(n, b"\0")


def s7(data, state):
    if data is None:
        return None
    if len(data) < 7 or data[0] != 3:
        return b""
    if data[5] == 0xe0:  # COTP connection request -> confirm
        cc = bytes([0x11, 0xd0, 0, 1, 0, 1, 0, 0xc0, 1, 0x0a, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2])
        return struct.pack(">BBH", 3, 0, 4 + len(cc)) + cc
    s7p = data[7:]
    if len(s7p) < 10 or s7p[0] != 0x32:
        return b""
    if s7p[1] == 1 and s7p[10:11] == b"\xf0":  # job: setup communication
        params = bytes([0xf0, 0, 0, 1, 0, 1, 0x01, 0xe0])
        s = bytes([0x32, 3, 0, 0, 0, 0]) + struct.pack(">HH", len(params), 0) + b"\0\0" + params
        return struct.pack(">BBH", 3, 0, 7 + len(s)) + bytes([2, 0xf0, 0x80]) + s
    if s7p[1] == 7:  # userdata: read SZL
        szl = struct.unpack(">H", data[-4:-2])[0]
        if szl == 0x0011:
            return s7_szl(0x0011, [
                struct.pack(">H", 1) + s7_str("6ES7 315-2EH14-0AB0 ", 20) + b"\0" * 6,
                struct.pack(">H", 6) + s7_str("6ES7 315-2EH14-0AB0 ", 20) + b"\0" * 6,
                struct.pack(">H", 7) + s7_str("", 20) + b"\0\0V\x03\x02\x06"])
        if szl == 0x001c:
            return s7_szl(0x001c, [
                struct.pack(">H", 1) + s7_str("SIMATIC 300(LAB)", 32),
                struct.pack(">H", 2) + s7_str("CPU 315-2 PN/DP", 32),
                struct.pack(">H", 3) + s7_str("", 32),
                struct.pack(">H", 4) + s7_str("Original Siemens Equipment", 32),
                struct.pack(">H", 5) + s7_str("S C-X4U421302009", 32),
                struct.pack(">H", 7) + s7_str("CPU 315-2 PN/DP", 32)])
    return b""


# ---- OMRON FINS: controller data read (MRC 05, SRC 01) ---------------------------

def fins(data):
    if len(data) < 12 or data[10:12] != b"\x05\x01":
        return None
    hdr = bytes([0xc0, 0, 2]) + data[6:9] + data[3:6] + data[9:10]
    body = (b"CJ2M-CPU31".ljust(20, b"\0") + b"02.01".ljust(20, b"\0") + b"\0" * 40
            + struct.pack(">HBHBBHBH", 20, 23, 32768, 8, 0, 0, 0, 0))
    return hdr + b"\x05\x01\x00\x00" + body


# ---- DRDA: EXCSAT -> EXCSATRD (DDM code points, EBCDIC strings) ----------------

def ebcdic(s):
    return s.encode("cp037")


def ddm(cp, payload):
    return struct.pack(">HH", 4 + len(payload), cp) + payload


def drda(data, state):
    if data is None:
        return None
    if len(data) < 10 or data[2] != 0xd0:
        return b""
    obj = (ddm(0x115e, ebcdic("db2inst1 lab"))       # EXTNAM
           + ddm(0x1147, ebcdic("QDB2/LINUXX8664"))  # SRVCLSNM
           + ddm(0x116d, ebcdic("db2inst1"))         # SRVNAM
           + ddm(0x115a, ebcdic("SQL11050")))        # SRVRLSLV
    rd = ddm(0x1443, obj)
    corr = data[4:6]
    return struct.pack(">H", 6 + len(rd)) + b"\xd0\x02" + corr + rd


# ---- an HTTP server nobody's table knows (its Server header is made up) ------

def odd_http(data, state):
    if data is None:
        return None
    body = b"<html><body>zq</body></html>\n"
    return (b"HTTP/1.1 200 OK\r\nServer: Zqxwv-Obscure/4.2\r\nContent-Type: text/html\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body


class CloseAfter(socketserver.BaseRequestHandler):
    """Answers one request, then closes (HTTP/1.1 with Connection: close)."""
    def handle(self):
        state = {}
        while True:
            d = self.request.recv(65536)
            if not d:
                return
            r = odd_http(d, state)
            if r:
                self.request.sendall(r)
                return


class Odd(socketserver.BaseRequestHandler):
    """A greeting no table knows; closes after the client's first bytes."""
    def handle(self):
        self.request.sendall(b"\x00\x01ZQXW-7 \xff\xfe ready\r\n")
        self.request.settimeout(10)
        try:
            self.request.recv(65536)
        except OSError:
            pass


# ---- BACnet/IP (ASHRAE 135 Annex J): ReadProperty on the device object ----------

BACNET_PROPS = {
    120: b"\x22\x01\x04",                               # vendor-identifier: 260
    121: "Lab Controls Inc",                            # vendor-name
    75: b"\xc4\x02\x00\x04\xd2",                      # object-identifier: device 1234
    44: "2.1.4",                                        # firmware-revision
    12: "App 9.3",                                      # application-software-version
    77: "LAB-BMS-1",                                    # object-name
    70: "LabCtrl 3000",                                 # model-name
    28: "roof air handler",                             # description
    58: "building 4",                                   # location
}


def bacnet_str(s):
    b = b"\x00" + s.encode()
    if len(b) <= 4:
        return bytes([0x70 | len(b)]) + b
    return bytes([0x75, len(b)]) + b


def bacnet(data):
    if len(data) < 10 or data[0] != 0x81:
        return None
    npdu_ctl = data[5]
    apdu = data[6:]
    if npdu_ctl != 0x04 and npdu_ctl != 0x00:
        return None
    if len(apdu) < 4 or apdu[0] >> 4 != 0 or apdu[3] != 0x0c:
        return None
    invoke = apdu[2]
    rest = apdu[4:]
    if rest[0] != 0x0c or rest[5] != 0x19:
        return None
    prop = rest[6]
    val = BACNET_PROPS.get(prop)
    if val is None:  # an Error PDU: property, unknown-property
        ans = bytes([0x50, invoke, 0x0c, 0x91, 2, 0x91, 32])
    else:
        v = bacnet_str(val) if isinstance(val, str) else val
        ans = bytes([0x30, invoke, 0x0c]) + rest[:5] + bytes([0x19, prop, 0x3e]) + v + b"\x3f"
    npdu = b"\x01\x00" + ans
    return b"\x81\x0a" + struct.pack(">H", 4 + len(npdu)) + npdu


# ---- All-Seeing Eye (ASE) status: "s" -> "EYE1" and length-prefixed fields -----

def ase_field(v):
    b = v.encode()
    return bytes([len(b) + 1]) + b


def ase(data):
    if data != b"s":
        return None
    out = b"EYE1"
    for v in ("mta", "22003", "Lab Server", "Freeroam", "None", "1.5n", "0", "2", "32"):
        out += ase_field(v)
    for k, v in (("Group", "lab"), ("Gamemode", "freeroam")):
        out += ase_field(k) + ase_field(v)
    out += b"\x01"
    for name, score in (("alice", "10"), ("bob", "3")):
        out += b"\x3f" + ase_field(name) + ase_field("red") + ase_field("1") \
            + ase_field(score) + ase_field("20") + ase_field("5")
    return out


# ---- XMPP (RFC 6120): a stream header and its features, no TLS ---------------

XMPP_FEATURES = ("<stream:features>"
                 "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                 "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>"
                 "<register xmlns='http://jabber.org/features/iq-register'/>"
                 "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                 "node='http://lab.example/caps' ver='abc='/>"
                 "</stream:features>")


def xmpp(data, state):
    if data is None:
        return None
    log = state.setdefault("log", b"")
    state["log"] = log + data
    if b"<stream:stream" not in data:
        if b"</stream:stream>" in data:
            return b"</stream:stream>"
        return None
    import re
    to = re.search(rb"to=['\"]([^'\"]*)['\"]", data)
    host = to.group(1).decode() if to else "lab.example"
    return ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' id='nk42' from='%s' "
            "version='1.0' xml:lang='en'>" % host + XMPP_FEATURES).encode()


# ---- ISAKMP (RFC 2408/2409): a main-mode answer with vendor IDs -----------------

IKE_VIDS = [bytes.fromhex("afcad71368a1f1c96b8696fc77570100"),   # RFC 3706 DPD
            bytes.fromhex("4a131c81070358455c5728f20e95452f")]   # RFC 3947 NAT-T


def ike(data):
    if len(data) < 28 or data[17] != 0x10:
        return None
    icookie, next_p, exch = data[:8], data[16], data[18]
    if next_p != 1:
        return None
    # echo the first proposal's first transform back (a responder's choice)
    sa_len = struct.unpack(">H", data[30:32])[0]
    sa = bytearray(data[28:28 + sa_len])
    t_len = struct.unpack(">H", sa[22:24])[0]
    trans = bytearray(sa[20:20 + t_len])
    trans[0] = 0
    prop = bytearray(sa[12:20]) + trans
    prop[7] = 1
    struct.pack_into(">H", prop, 2, len(prop))
    prop[0] = 0
    body_sa = bytearray(sa[:12]) + prop
    body_sa[0] = 13
    struct.pack_into(">H", body_sa, 2, len(body_sa))
    payloads = bytes(body_sa)
    for i, v in enumerate(IKE_VIDS):
        nxt = 13 if i + 1 < len(IKE_VIDS) else 0
        payloads += struct.pack(">BBH", nxt, 0, 4 + len(v)) + v
    hdr = icookie + b"\x11\x22\x33\x44\x55\x66\x77\x88" + bytes([1, 0x10, exch, 0]) \
        + b"\0\0\0\0" + struct.pack(">I", 28 + len(payloads))
    return hdr + payloads


# ---- NDMP v4 (ndmp.org's specification): XDR over record marking ---------------

def ndmp_msg(seq, mtype, code, reply_seq, body=b""):
    m = struct.pack(">IIIIII", seq, 0, mtype, code, reply_seq, 0) + body
    return struct.pack(">I", 0x80000000 | len(m)) + m


def ndmp(data, state):
    if data is None:  # NDMP_NOTIFY_CONNECTION_STATUS: connected, version 4
        return ndmp_msg(1, 0, 0x502, 0, struct.pack(">II", 0, 4) + xdr_str("hello"))
    if len(data) < 28:
        return b""
    seq, _, mtype, code = struct.unpack(">IIII", data[4:20])
    if mtype != 0 or data[0] != 0x80:
        return b""  # not NDMP: close, as a server would
    if code == 0x108:  # NDMP_CONFIG_GET_SERVER_INFO
        body = struct.pack(">I", 0) + xdr_str("Lab Storage") + xdr_str("LabNAS NDMP") \
            + xdr_str("4.2.1") + struct.pack(">II", 1, 2)
        return ndmp_msg(2, 1, code, seq, body)
    if code == 0x100:  # NDMP_CONFIG_GET_HOST_INFO
        body = struct.pack(">I", 0) + xdr_str("nas1") + xdr_str("Linux") \
            + xdr_str("OSV6.1") + xdr_str("HID1234")
        return ndmp_msg(2, 1, code, seq, body)
    return ndmp_msg(2, 1, code, seq, struct.pack(">I", 0x11))  # NDMP_NOT_SUPPORTED_ERR


# ---- TeamSpeak 2 (UDP 8767): login request -> login reply ---------------------
# Layout from Wireshark's TS2 dissector (packet-teamspeak2.c): class 0xbef4
# (connection), type 3 login request / 4 login reply, session key, client
# id, sequence, CRC-32 over the packet with that field zeroed; the reply's
# server name and platform are a length byte and 29 bytes each (offsets 20
# and 50), its version four little-endian 16-bit numbers at 80.

def ts2_field(s):
    b = s.encode()
    return bytes([len(b)]) + b.ljust(29, b"\0")


def ts2(data):
    if len(data) < 20 or data[:4] != b"\xf4\xbe\x03\x00":
        return None
    body = ts2_field("Lab Voice") + ts2_field("Linux") + struct.pack("<HHHH", 2, 0, 24, 1)
    pkt = bytearray((b"\xf4\xbe\x04\x00" + bytes(8) + struct.pack("<I", 1) + bytes(4) + body)
                    .ljust(436, b"\0"))
    struct.pack_into("<I", pkt, 16, zlib.crc32(bytes(pkt)))
    return bytes(pkt)


# ---- VxWorks WDB agent (ONC RPC program 0x55555555 v1, UDP 17185) ------------
# WDB_TARGET_CONNECT (procedure 1) answered with the target's WDB_TGT_INFO:
# WDB_AGENT_INFO (version string, MTU, mode) and WDB_RT_INFO (type, version
# string, CPU, FPP, write protection, page size, endianness, BSP name,
# boot line, memory base and size, regions, host pool), XDR encoded after
# the RPC reply and WDB's reply header (checksum, length, error status),
# as VxWorks' wdb.h structures and Metasploit's wdbrpc decoder lay it out.

def wdb(data):
    if len(data) < 52 or data[12:16] != b"UUUU" or struct.unpack(">I", data[20:24])[0] != 1:
        return None
    body = (xdr_str("2.0") + struct.pack(">III", 1500, 2, 2) + xdr_str("VxWorks5.5.1")
            + struct.pack(">IIIII", 60, 1, 0, 4096, 4321) + xdr_str("Lab PowerPC 604")
            + xdr_str("ata=0,0(0,0)host:/ata0/vxWorks h=10.0.0.1 e=10.0.0.2")
            + struct.pack(">IIIIII", 0x100000, 0x2000000, 0, 0, 0, 0))
    head = struct.pack(">IIII", 1, 0, 0, 0) + struct.pack(">I", 0)  # accepted, null verifier
    wdb_hdr = struct.pack(">III", 0xffff0000, 24 + 12 + len(body) - 4, 0)
    return data[:4] + head + wdb_hdr + body


# ---- Microsoft SQL Server: TDS PRELOGIN (MS-TDS 2.2.6.5) --------------------------


def tds_prelogin_reply():
    """A PRELOGIN answer (packet type 0x04): VERSION 15.0.2000.5 (SQL
    Server 2019 RTM, from Microsoft's list of build numbers), ENCRYPTION
    ENCRYPT_NOT_SUP, INSTOPT (an empty name), THREADID (none)."""
    opts = [(0x00, bytes([15, 0]) + struct.pack(">HH", 2000, 5)), (0x01, b"\x02"),
            (0x02, b"\x00"), (0x03, b"")]
    off, table, data = 5 * len(opts) + 1, b"", b""
    for tok, val in opts:
        table += struct.pack(">BHH", tok, off + len(data), len(val))
        data += val
    body = table + b"\xff" + data
    return struct.pack(">BBHHBB", 0x04, 0x01, 8 + len(body), 0, 1, 0) + body


def mssql(data, state):
    if data is None:
        return None
    buf = state["buf"] = state.get("buf", b"") + data
    if len(buf) < 8:
        return None
    if buf[0] != 0x12:  # a PRELOGIN first, as MS-TDS 3.2.5.1 requires
        return b""
    if len(buf) < struct.unpack(">H", buf[2:4])[0]:
        return None
    state["buf"] = b""
    return tds_prelogin_reply()


# ---- MongoDB wire protocol (MongoDB manual) and BSON (bsonspec.org) -------------


def bson(doc):
    out = b""
    for k, v in doc.items():
        name = k.encode() + b"\0"
        if isinstance(v, bool):
            out += b"\x08" + name + (b"\x01" if v else b"\x00")
        elif isinstance(v, int):
            out += b"\x10" + name + struct.pack("<i", v)
        elif isinstance(v, float):
            out += b"\x01" + name + struct.pack("<d", v)
        elif isinstance(v, str):
            b = v.encode() + b"\0"
            out += b"\x02" + name + struct.pack("<i", len(b)) + b
        elif isinstance(v, list):
            out += b"\x04" + name + bson({str(i): x for i, x in enumerate(v)})
        else:
            out += b"\x03" + name + bson(v)
    return struct.pack("<i", len(out) + 5) + out + b"\0"


def bson_first_key(b):
    """The first element's name of the BSON document at b."""
    return b[5:b.index(b"\0", 5)].decode(errors="replace") if len(b) > 5 else ""


MONGO_VERSION = "7.0.14"
MONGO_HELLO = {"isWritablePrimary": True, "topologyVersion": {"counter": 0},
               "maxBsonObjectSize": 16777216, "maxMessageSizeBytes": 48000000,
               "maxWriteBatchSize": 100000, "localTime": 0, "logicalSessionTimeoutMinutes": 30,
               "connectionId": 1, "minWireVersion": 0, "maxWireVersion": 21,
               "readOnly": False, "ok": 1.0}


def mongo_command(cmd, legacy):
    """The answer document of MongoDB 7.0 to a command: OP_QUERY takes
    hello and isMaster only since 5.1 (the manual's "Legacy Opcodes")."""
    low = cmd.lower()
    if low in ("hello", "ismaster"):
        return dict(MONGO_HELLO, **({"ismaster": True} if low == "ismaster" else {}))
    if legacy:
        return {"ok": 0.0, "errmsg": f"Unsupported OP_QUERY command: {cmd}. The client driver "
                "may require an upgrade. For more details see "
                "https://dochub.mongodb.org/core/legacy-opcode-removal",
                "code": 352, "codeName": "UnsupportedOpQueryCommand"}
    if low == "buildinfo":
        return {"version": MONGO_VERSION, "gitVersion": "0" * 40, "modules": [],
                "allocator": "tcmalloc", "javascriptEngine": "mozjs", "sysInfo": "deprecated",
                "versionArray": [7, 0, 14, 0], "bits": 64, "debug": False,
                "maxBsonObjectSize": 16777216, "ok": 1.0}
    return {"ok": 0.0, "errmsg": f"no such command: '{cmd}'", "code": 59,
            "codeName": "CommandNotFound"}


def mongodb(data, state):
    if data is None:
        return None
    buf = state["buf"] = state.get("buf", b"") + data
    if len(buf) < 16:
        return None
    length, req, _, op = struct.unpack("<iiii", buf[:16])
    if length < 16 or length > 48000000 or op not in (2004, 2013):
        return b""
    if len(buf) < length:
        return None
    msg, state["buf"] = buf[:length], buf[length:]
    if op == 2013:  # OP_MSG: flagBits, a kind 0 section
        if msg[20] != 0:
            return b""
        body = bson(mongo_command(bson_first_key(msg[21:]), False))
        out = struct.pack("<I", 0) + b"\0" + body
        return struct.pack("<iiii", 16 + len(out), 1, req, 2013) + out
    # OP_QUERY: flags, fullCollectionName, numberToSkip, numberToReturn, query
    z = msg.index(b"\0", 20)
    body = bson(mongo_command(bson_first_key(msg[z + 9:]), True))
    out = struct.pack("<iqii", 0, 0, 0, 1) + body  # OP_REPLY
    return struct.pack("<iiii", 16 + len(out), 1, req, 1) + out


# ---- McAfee ePO agent (HTTP on its wake-up port 8081): the agent's log page ---
# The agent's HTTP server answers "/" with its log as XML (a naLog document
# with the agent version, computer name, ePO server and agent GUID), as
# McAfee's agent documentation and the page itself show.

EPO_LOG = ('<?xml version="1.0" encoding="UTF-8"?>'
           '<?xml-stylesheet type="text/xsl" href="FrameworkLog.xsl"?>'
           '<naLog><version>4.8.0.1500</version><ComputerName>LABPC7</ComputerName>'
           '<ePOServerName>EPOLAB</ePOServerName>'
           '<AgentGUID>0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0</AgentGUID>'
           '<Log component="Agent" time="2026-01-01T00:00:00" type="Info">started</Log>'
           '</naLog>').encode()


def epo(data, state):
    if data is None:
        return None
    state["buf"] = state.get("buf", b"") + data
    if b"\r\n\r\n" not in state["buf"]:
        return None
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n" % len(EPO_LOG)) + EPO_LOG


# ---- proxies for --proxies: HTTP CONNECT (RFC 9110 9.3.6), SOCKS 4 CONNECT ------


def relay(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for sock in (a, b):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def tunnel(client, host, port, granted):
    try:
        far = socket.create_connection((host, port), timeout=5)
    except OSError:
        return
    client.sendall(granted)
    threading.Thread(target=relay, args=(far, client), daemon=True).start()
    relay(client, far)


class HttpConnect(socketserver.BaseRequestHandler):
    """An HTTP proxy that opens CONNECT tunnels: "HTTP/1.1 200 OK"."""

    def handle(self):
        d = b""
        while b"\r\n\r\n" not in d and len(d) < 8192:
            x = self.request.recv(4096)
            if not x:
                return
            d += x
        words = d.split(b"\r\n")[0].split()
        if len(words) != 3 or words[0] != b"CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        host, port = words[1].rsplit(b":", 1)
        tunnel(self.request, host.strip(b"[]").decode(), int(port), b"HTTP/1.1 200 OK\r\n\r\n")


class Socks4(socketserver.BaseRequestHandler):
    """A SOCKS 4 server: CONNECT (VN 4, CD 1, port, IPv4 address, USERID),
    granted with VN 0, CD 90."""

    def handle(self):
        d = b""
        while (len(d) < 9 or b"\0" not in d[8:]) and len(d) < 512:
            x = self.request.recv(512)
            if not x:
                return
            d += x
        if d[0] != 4 or d[1] != 1:
            self.request.sendall(b"\0\x5b" + bytes(6))  # 91: rejected
            return
        port = struct.unpack(">H", d[2:4])[0]
        tunnel(self.request, socket.inet_ntoa(d[4:8]), port, b"\0\x5a" + d[2:8])


# ---- SAP MaxDB DBM server (TCP 7210) ---------------------------------------------
# Packets behind a 24-byte little-endian header (length, protocol 3, message
# class, sender and receiver references, maximum size, length again); a
# connect request (class 0x5b) is answered with a connect reply (0x5c),
# then DBM commands (class 0x3f, text padded with blanks) with "OK" and the
# answer's lines. dbm_version's keys and db_enum's tab-separated rows
# (instance, path, version, kernel, state) are the SAP MaxDB library's.

MAXDB_VERSION = ("OK\nVERSION    = 7.9.10\nBUILD      = DBMServer 7.9.10   Build 004-123-265-969\n"
                 "OS         = UNIX\nINSTROOT   = /opt/sdb/MAXDB\nLOGON      = False\n"
                 "CODE       = UTF8\nSWAP       = full\nUNICODE    = YES\nINSTANCE   = OLTP\n"
                 "SYSNAME    = Linux\nMASKING    = YES\nREPLYTREATMENT = none,zero,nl\n"
                 "SDBDBM     = IPC\n")
MAXDB_DBS = ("OK\nMAXDB\t/opt/sdb/MAXDB\t7.9.10.04\tfast\trunning\n"
             "MAXDB\t/opt/sdb/MAXDB\t7.9.10.04\tquick\toffline\n"
             "LABDB\t/opt/sdb/LABDB\t7.8.02.41\tfast\toffline\n")


def maxdb_packet(cls, body):
    n = 24 + len(body)
    return struct.pack("<IBBHIIII", n, 3, cls, 0, 1, 1, 0x40000, n) + body


def maxdb(data, state):
    if data is None:
        return None
    buf = state["buf"] = state.get("buf", b"") + data
    if len(buf) < 24:
        return None
    n = struct.unpack("<I", buf[:4])[0]
    if len(buf) < n:
        return None
    state["buf"] = buf[n:]
    cls, text = buf[5], buf[24:n].decode("latin-1").strip()
    if cls == 0x5b:
        return maxdb_packet(0x5c, bytes(16))
    if cls != 0x3f:
        return b""
    if text == "dbm_version":
        return maxdb_packet(0x3f, MAXDB_VERSION.encode())
    if text == "db_enum":
        return maxdb_packet(0x3f, MAXDB_DBS.encode())
    return maxdb_packet(0x3f, b"ERR\n-24977,ERR_COMMAND: unknown DBM command\n")


# ---- Ventrilo status service (UDP 3784) ------------------------------------------
# Luigi Auriemma's analysis of the status protocol (ventrilo_status, also in
# qstat): a 20-byte header (header key, zero, command, id, total length,
# length, packets, packet number, data key, a CRC-16 of the whole plain
# text) whose last 18 bytes are enciphered with the first 256-byte table,
# data enciphered with the second; commands 1 (generic) and 2 (detailed),
# answers of "KEY: value" lines split in packets of at most 492 bytes.

VENT_HEAD = bytes.fromhex(
    "80e50e38ba634c9988634cd654b8657ebf8af0178aaa4d0fb72327f6eb12f8ea"
    "17b7cf5257cb51cf1b14fd6f8438b52411cf7a757abb7874dcbc42f0173f5eeb"
    "7477044e8caf23dc65dfa565dd7df43c4c95bdeb651cf4245d8218fb5086b853"
    "e04e36961fb7cbaaafeacb2027302aaeb90740df1275c909829c30805d8f0d09"
    "a164ec91d88a501f405df7082af86062a04a8bba4a6d000a933212e5070165f5"
    "ffe0aea781d1ba256261b285ad7e9d3f498926e5d5ac9f0ed76e47941684c8ff"
    "44ea0440e03311a35b1e82ff7a69e92ffbea9ac67bdbb1ff977656f352c23f0f"
    "b6ac77c4bf595e8074bbf2de57624c1aff956dc704a23bc41b72c76c8260d10d")
VENT_DATA = bytes.fromhex(
    "828b7f6890e04409193b8e5fc28238236ddb6249526e21df516c763786507d48"
    "1f65e7526a88aac1322ff7544caa6d7e6da98c0d3fff6c09b3a5afdf9802b4be"
    "6d690d4273e43450073079412f083f4273a768faee880e6ea470742216ae3c81"
    "14a1da7fd37c487d3f46fb6d9225173626dbdf5a87916fd6cdd4ad4a29dd7d59"
    "bd153453b1d85011837966219e875b242f4fd77334a2f709d5d9429df815df0e"
    "10cc05043581b2d57ad2a0a57bb875d2350b398f1b440ece66871b64ace1ca67"
    "b4ce33db89fed88ecd5892415040cb08e115eef464fe1cee25e721e66cc6a62e"
    "5223a720d2d728072314243d45a5c790db77ddea38598932bc003a6d614edb29")
VENT_STATUS = ("NAME: Lab Vent\nPHONETIC: lab vent\nCOMMENT: night shift\nAUTH: 1\n"
               "MAXCLIENTS: 20\nVOICECODEC: 3,Speex\nVOICEFORMAT: 32,32 KHz%2C 16 bit%2C 10 Qlty\n"
               "UPTIME: 93784\nPLATFORM: LINUX-i386\nVERSION: 3.0.3\nCHANNELCOUNT: 2\n"
               "CHANNELFIELDS: CID,PID,PROT,NAME,COMM\n"
               "CHANNEL: CID=1,PID=0,PROT=0,NAME=Lobby,COMM=\n"
               "CHANNEL: CID=2,PID=1,PROT=1,NAME=Ops,COMM=ops%20room\n"
               "CLIENTCOUNT: 2\nCLIENTFIELDS: ADMIN,CID,PHAN,PING,SEC,NAME,COMM\n"
               "CLIENT: ADMIN=1,CID=0,PHAN=0,PING=20,SEC=300,NAME=alice,COMM=\n"
               "CLIENT: ADMIN=0,CID=2,PHAN=0,PING=40,SEC=60,NAME=bob,COMM=afk\n")


def vent_crc_entry(i):
    c = i << 8
    for _ in range(8):
        c = ((c << 1) ^ 0x1021 if c & 0x8000 else c << 1) & 0xffff
    return c


VENT_CRC = [vent_crc_entry(i) for i in range(256)]


def vent_crc(data):
    """The status protocol's CRC-16: the CCITT table indexed by the high
    byte, the data byte XORed in after the lookup (as Auriemma's code)."""
    crc = 0
    for b in data:
        crc = VENT_CRC[crc >> 8] ^ b ^ ((crc << 8) & 0xffff)
    return crc


def vent_cipher(data, key, table, period, sign):
    a1, a2, out = key & 0xff, key >> 8, bytearray(data)
    for i in range(len(out)):
        out[i] = (out[i] + sign * (table[a2] + i % period)) & 0xff
        a2 = (a2 + a1) & 0xff
    return bytes(out)


def ventrilo(data):
    if len(data) < 20:
        return None
    key = struct.unpack(">H", data[:2])[0]
    head = vent_cipher(data[2:20], key, VENT_HEAD, 5, -1) if key & 0xff else data[2:20]
    _, cmd, rid = struct.unpack(">HHH", head[:6])
    if cmd not in (1, 2):
        return None
    text = VENT_STATUS.encode()
    if cmd == 1:
        text = b"".join(l + b"\n" for l in text.split(b"\n")
                        if l and not l.startswith((b"CHANNEL:", b"CLIENT:")))
    parts = [text[i:i + 492] for i in range(0, len(text), 492)]
    out = []
    for n, part in enumerate(parts):
        hkey, dkey = 0x3a00 + 2 * n + 1, 0x5c00 + 2 * n + 3
        fields = struct.pack(">9H", 0, cmd, rid, len(text), len(part), len(parts), n, dkey,
                             vent_crc(text))
        out.append(struct.pack(">H", hkey) + vent_cipher(fields, hkey, VENT_HEAD, 5, 1)
                   + vent_cipher(part, dkey, VENT_DATA, 72, 1))
    return out


# ---- Skype (version 2) listening port ---------------------------------------------
# As the published analyses of Skype describe (Baset and Schulzrinne 2004,
# Biondi and Desclaux 2006): an HTTP GET gets a bare "HTTP/1.0 404 Not
# Found", anything else enciphered (binary) bytes; the peer then closes.

class Skype(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(5)
        try:
            d = self.request.recv(65536)
        except OSError:
            return
        if d.startswith(b"GET "):
            self.request.sendall(b"HTTP/1.0 404 Not Found\r\n\r\n")
        elif d:
            self.request.sendall(bytes.fromhex("c3f1077a9e5b21d88a40fe6317b2"))


SERVERS = {
    "skype": lambda: tcp_server(443, Skype),
    "ventrilo": lambda: udp_loop(3784, ventrilo),
    "maxdb": lambda: tcp_server(7210, once_tcp(maxdb)),
    "epo": lambda: tcp_server(8081, once_tcp(epo)),
    "wdb": lambda: udp_loop(17185, wdb),
    "ts2": lambda: udp_loop(8767, ts2),
    "ndmp": lambda: tcp_server(10000, once_tcp(ndmp)),
    "ike": lambda: udp_loop(500, ike),
    "xmpp": lambda: tcp_server(5222, once_tcp(xmpp)),
    "ase": lambda: udp_loop(1258, ase),
    "bacnet": lambda: udp_loop(47808, bacnet),
    "odd": lambda: tcp_server(8000, Odd),
    "http": lambda: tcp_server(80, CloseAfter),
    "rpc": lambda: (tcp_server(111, RecordTCP), udp_loop(111, pmap_answer),
                    tcp_server(2049, GrindTCP)),
    "tns": lambda: tcp_server(1521, once_tcp(tns)),
    "s7": lambda: tcp_server(102, once_tcp(s7)),
    "fins": lambda: udp_loop(9600, fins),
    "drda": lambda: tcp_server(50000, once_tcp(drda)),
    "mssql": lambda: tcp_server(1433, once_tcp(mssql)),
    "mongodb": lambda: tcp_server(27017, once_tcp(mongodb)),
    "httpproxy": lambda: tcp_server(3128, HttpConnect),
    "socks4": lambda: tcp_server(1080, Socks4),
}


def main():
    global BIND
    kinds = sys.argv[1:]
    if kinds[:1] == ["--any"]:
        BIND, kinds = "0.0.0.0", kinds[1:]
    for kind in kinds:
        SERVERS[kind]()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
