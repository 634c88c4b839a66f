# SPDX-License-Identifier: Apache-2.0
"""A stand-in FTP server for the brute-force scripts' offline test: on
127.0.0.1:21 (in a network namespace of the test's own) it greets, takes
USER and PASS (RFC 959: 331 then 230 or 530) and accepts only the
accounts given as arguments, USER:PASS each; QUIT ends a session.

    fake_ftp.py admin:secret guest:
"""
import socket
import sys
import threading


def session(conn, accounts):
    f = conn.makefile("rwb", buffering=0)
    f.write(b"220 netkit test FTP\r\n")
    user = None
    for line in f:
        cmd, _, arg = line.decode("latin-1").strip().partition(" ")
        cmd = cmd.upper()
        if cmd == "USER":
            user = arg
            f.write(b"331 Password required\r\n")
        elif cmd == "PASS":
            ok = user is not None and accounts.get(user) == arg
            f.write(b"230 Logged in\r\n" if ok else b"530 Login incorrect\r\n")
            user = None
        elif cmd == "QUIT":
            f.write(b"221 Bye\r\n")
            break
        else:
            f.write(b"502 Not implemented\r\n")
    conn.close()


def main():
    accounts = dict(a.split(":", 1) for a in sys.argv[1:])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 21))
    s.listen(64)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=session, args=(conn, accounts), daemon=True).start()


if __name__ == "__main__":
    main()
