#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The HTTP boot server of lab/osstacks.sh's EDK II hosts (Debian ovmf in
qemu): answers UEFI HTTP boot's HEAD and GET, for any path, with a large
EFI image that it sends one byte every half second, so that the firmware
stays in its download, its own network stack (EDK II NetworkPkg: ARP,
IPv4, ICMP, UDP, TCP) up with the address DHCP gave it, for as long as the
lab runs. Idle, OVMF's stack answers pings only; while it downloads, it
also resets closed TCP ports and sends port unreachables. Logs "GET ADDR"
when a firmware starts its download (osstacks.sh waits for that).

    edk2_boot.py ADDR PORT          (runs until killed; listens on ADDR only)
"""
import socket
import sys
import threading
import time

SIZE = 8000000  # announced, never sent: at 2 bytes a second, 46 days


def serve(conn, peer):
    try:
        while True:
            req = conn.recv(4096)
            if not req:
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/efi\r\n"
                         b"Content-Length: %d\r\n\r\n" % SIZE)
            if not req.startswith(b"GET"):
                continue  # HEAD first, then GET on the same connection
            print("GET", peer[0], flush=True)
            while True:
                conn.sendall(b"\0")
                time.sleep(0.5)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: edk2_boot.py ADDR PORT")
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((sys.argv[1], int(sys.argv[2])))
    srv.listen(8)
    while True:
        conn, peer = srv.accept()
        threading.Thread(target=serve, args=(conn, peer), daemon=True).start()


if __name__ == "__main__":
    main()
