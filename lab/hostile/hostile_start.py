# SPDX-License-Identifier: Apache-2.0
"""Starting the hostile host's responders (responder.py: services,
packets.py: packets) in a lab made from lab/hostile.lab: the one way the
tests (tests/integration/hostilefix.py, test_hostile.py) and
bench/hostile.py start them. Each is capped at --max-seconds SECONDS (a
connection, the packet run), so nothing is left running past it even when
the caller dies."""
import contextlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def start(netkit, lab, script, args=(), seconds=300):
    """script (responder.py or packets.py) with args in lab's hostile host,
    capped at seconds; returns the process once it said "ready"."""
    p = subprocess.Popen([netkit, "lab", "exec", "--lab", lab, "hostile", sys.executable,
                          os.path.join(HERE, script)] + list(args)
                         + ["--max-seconds", str(seconds)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("ready"):
        p.kill()
        raise AssertionError((script, line, p.stderr.read()))
    return p


def stop(p):
    """End a process start() gave, killing it if it does not end in 10 s."""
    p.terminate()
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


@contextlib.contextmanager
def running(netkit, lab, services=(), packets=(), seconds=300):
    """responder.py with the named services and packets.py with the named
    behaviours (all when empty), both capped at seconds, for the block."""
    procs = []
    try:
        procs.append(start(netkit, lab, "responder.py", services, seconds))
        procs.append(start(netkit, lab, "packets.py", packets, seconds))
        yield
    finally:
        for p in procs:
            stop(p)
