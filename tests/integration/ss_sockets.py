# SPDX-License-Identifier: Apache-2.0
"""Opens sockets of every kind ss shows, in the current network namespace,
prints "ready" and holds them until stdin closes. Used by test_ss_*.py and
by hand: `unshare --net python3 ss_sockets.py`."""
import os
import socket
import struct
import subprocess
import sys
import threading
import time

held = []


def keep(s):
    held.append(s)
    return s


def tcp_pairs(family, host, port, n):
    srv = keep(socket.socket(family, socket.SOCK_STREAM))
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(128)
    for _ in range(n):
        c = keep(socket.socket(family, socket.SOCK_STREAM))
        c.connect((host, port))
        a, _ = srv.accept()
        keep(a)
    return srv


def md5sig(family, addr, key, prefix=None):
    """struct tcp_md5sig: the peer's sockaddr_storage, flags (1: prefix
    given), prefix length, key length, ifindex, the key."""
    if family == socket.AF_INET:
        sa = struct.pack("=H", family) + b"\0\0" + socket.inet_pton(family, addr)
    else:
        sa = struct.pack("=H", family) + b"\0" * 6 + socket.inet_pton(family, addr)
    return (sa.ljust(128, b"\0") + struct.pack("=BBHi", 1 if prefix else 0, prefix or 0,
                                                len(key), 0) + key.ljust(80, b"\0"))


def main():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", "10.9.8.7/24", "dev", "lo"], check=False)
    tcp_pairs(socket.AF_INET, "127.0.0.1", 22, 2)
    tcp_pairs(socket.AF_INET, "127.0.0.1", 8080, 3)
    tcp_pairs(socket.AF_INET6, "::1", 443, 2)
    tcp_pairs(socket.AF_INET, "10.9.8.7", 5201, 1)
    l6 = keep(socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
    l6.bind(("::", 9999))
    l6.listen(5)
    l6o = keep(socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
    l6o.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    l6o.bind(("::", 9998))
    l6o.listen(5)
    # time-wait: the client closes first
    srv = tcp_pairs(socket.AF_INET, "127.0.0.1", 7000, 0)
    for _ in range(2):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(("127.0.0.1", 7000))
        a, _ = srv.accept()
        c.close()
        a.close()
    # syn-sent: a port whose SYNs are dropped
    subprocess.run(["nft", "add table inet nkss; add chain inet nkss in "
                    "{ type filter hook input priority 0; }; "
                    "add rule inet nkss in tcp dport 6666 drop"],
                   check=False, capture_output=True)
    s = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", 6666))
    except BlockingIOError:
        pass
    # UDP: unconnected and connected
    u = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind(("127.0.0.1", 53))
    u2 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u2.bind(("0.0.0.0", 5353))
    u3 = keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u3.connect(("127.0.0.1", 53))
    u6 = keep(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    u6.bind(("::1", 123))
    # MPTCP, where the kernel has it enabled: a listener and a connection
    try:
        m = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262))
        m.bind(("127.0.0.1", 8443))
        m.listen(5)
        mc = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262))
        mc.connect(("127.0.0.1", 8443))
        keep(m.accept()[0])
    except OSError:
        pass
    # RAW and PACKET
    keep(socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
    keep(socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6))
    keep(socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003)))
    p = keep(socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800)))
    p.bind(("lo", 0x0800))
    # UNIX: stream listener + pair, dgram, seqpacket, abstract
    path = "/tmp/nkss-%d.sock" % os.getpid()
    us = keep(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
    us.bind(path)
    us.listen(5)
    uc = keep(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
    uc.connect(path)
    keep(us.accept()[0])
    ud = keep(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))
    ud.bind("\0nkss-abstract-%d" % os.getpid())
    keep(socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET))
    a, b = socket.socketpair()
    keep(a)
    keep(b)
    # -p reads fd numbers upward and falls back to the directory when the
    # table has a gap: a socket far above the others (bash keeps fd 255);
    # an O_PATH descriptor of the socket file on disk is no socket
    os.dup2(u.fileno(), 700)
    os.open(path, os.O_PATH)
    # TCP-MD5 keys on listeners (BGP's port): -i shows them as md5keys:
    md5 = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    md5.bind(("127.0.0.1", 179))
    md5.listen(5)
    md5.setsockopt(socket.IPPROTO_TCP, 14, md5sig(socket.AF_INET, "127.0.0.1", b"secret"))
    md5.setsockopt(socket.IPPROTO_TCP, 32,  # TCP_MD5SIG_EXT with a prefix
                   md5sig(socket.AF_INET, "10.0.0.0", b"a b,c\\d\x01\xff", 8))
    md56 = keep(socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
    md56.bind(("::1", 179))
    md56.listen(5)
    md56.setsockopt(socket.IPPROTO_TCP, 14, md5sig(socket.AF_INET6, "2001:db8::1", b"v6key"))
    # NETLINK
    keep(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
    # a socket held by two processes: -p lists both, in iproute2's order
    shared = keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    shared.bind(("127.0.0.1", 2222))
    shared.listen(5)
    child = subprocess.Popen(["sleep", "100000"], pass_fds=[shared.fileno()])
    # a second thread: -T lists every thread that can reach a socket
    threading.Thread(target=time.sleep, args=(100000,), daemon=True).start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        child.kill()
        try:
            os.unlink(path)
        except OSError:
            pass


if __name__ == "__main__":
    main()
