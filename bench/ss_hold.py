# SPDX-License-Identifier: Apache-2.0
"""Holds CONNS established TCP connections (both ends, 2*CONNS sockets) to
127.0.0.1:PORT in this process, prints "ready", then waits for stdin to close.
Used by bench/ss.sh: the fd limit is 20,000 per process, so the sockets are
spread over several of these."""
import os
import socket
import sys


def main():
    port, conns = int(sys.argv[1]), int(sys.argv[2])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(4096)
    held = []
    for i in range(conns):
        c = socket.socket()
        c.connect(("127.0.0.1", port))
        a, _ = srv.accept()
        held.append(c)
        held.append(a)
    print("ready", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
