# SPDX-License-Identifier: Apache-2.0
"""Run inside a fresh network namespace (`ip netns exec`): give lo the
addresses of iproute2's testsuite/tests/ss/ssfilter.t (10.0.0.1, 10.0.0.2),
open its four TCP sockets (a listener on 0.0.0.0:22, 10.0.0.1:36266 and
10.0.0.2:50312 connected to 10.0.0.1:22) and an IPv6 listener, then run each
shell command given and exit."""
import socket
import subprocess
import sys

subprocess.run("ip link set lo up && ip addr add 10.0.0.1/8 dev lo && "
               "ip addr add 10.0.0.2/8 dev lo", shell=True, check=True)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 22))
srv.listen(128)
held = [srv]
for src in (("10.0.0.1", 36266), ("10.0.0.2", 50312)):
    c = socket.socket()
    c.bind(src)
    c.connect(("10.0.0.1", 22))
    held += [c, srv.accept()[0]]
s6 = socket.socket(socket.AF_INET6)
s6.bind(("::", 23))
s6.listen(5)
for cmd in sys.argv[1:]:
    subprocess.run(cmd, shell=True, check=True)
