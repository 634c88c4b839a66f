# SPDX-License-Identifier: Apache-2.0
"""A stand-in for rpcbind: answers RPCBPROC_DUMP (program 100000, version
4, procedure 4) on a UNIX stream socket with a fixed table, the way
`ss -r` asks it (ONC RPC, record marking, XDR). Used by test_ss_compare.py
inside a private mount namespace, where it sits at /var/run/rpcbind.sock.

    fake_rpcbind.py SOCKET_PATH JSON_TABLE [FRAGMENT_SIZE]
    unshare --mount fake_rpcbind.py --run JSON_TABLE FRAGMENT_SIZE JSON_COMMANDS

JSON_TABLE: a list of [program, version, netid, universal address]. The
reply is cut into fragments of FRAGMENT_SIZE bytes (0: one). --run puts a
tmpfs on /run (so only in a private mount namespace), serves from
/run/rpcbind.sock in a thread, runs each command (argv[0] "ss", then the
binary's path) and prints [[rc, stdout, stderr], ...] as JSON."""
import json
import os
import socket
import struct
import subprocess
import sys
import threading


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def reply(xid, table):
    body = struct.pack(">IIIIII", xid, 1, 0, 0, 0, 0)  # REPLY, accepted, AUTH_NONE, SUCCESS
    for prog, vers, netid, addr in table:
        body += struct.pack(">III", 1, prog, vers)
        body += xdr_string(netid) + xdr_string(addr) + xdr_string("superuser")
    return body + struct.pack(">I", 0)


def read_call(conn):
    msg = b""
    while True:
        hdr = conn.recv(4, socket.MSG_WAITALL)
        if len(hdr) < 4:
            return None
        mark, = struct.unpack(">I", hdr)
        n = mark & 0x7FFFFFFF
        msg += conn.recv(n, socket.MSG_WAITALL) if n else b""
        if mark & 0x80000000:
            return msg


def serve(srv, table, frag):
    while True:
        conn, _ = srv.accept()
        with conn:
            call = read_call(conn)
            if not call or len(call) < 24:
                continue
            xid, mtype, rpcvers, prog, vers, proc = struct.unpack(">6I", call[:24])
            if (mtype, rpcvers, prog, vers, proc) != (0, 2, 100000, 4, 4):
                continue
            body = reply(xid, table)
            step = frag or len(body)
            out = b""
            for i in range(0, len(body), step):
                piece = body[i:i + step]
                last = 0x80000000 if i + step >= len(body) else 0
                out += struct.pack(">I", last | len(piece)) + piece
            conn.sendall(out)


def run(table, frag, commands):
    subprocess.run(["mount", "-t", "tmpfs", "nkss-rpc", "/run"], check=True)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind("/run/rpcbind.sock")
    srv.listen(16)
    threading.Thread(target=serve, args=(srv, table, frag), daemon=True).start()
    out = []
    for path, *args in commands:
        r = subprocess.run(["ss"] + args, executable=path, capture_output=True, text=True,
                           timeout=60)
        out.append([r.returncode, r.stdout, r.stderr])
    print(json.dumps(out))


def main():
    if sys.argv[1] == "--run":
        return run(json.loads(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4]))
    path, table = sys.argv[1], json.loads(sys.argv[2])
    frag = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(16)
    print("ready", flush=True)
    serve(srv, table, frag)


if __name__ == "__main__":
    sys.exit(main())
