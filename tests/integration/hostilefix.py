# SPDX-License-Identifier: Apache-2.0
"""The hostile lab (lab/hostile.lab) with its responders running, for
pytest modules: `hostile_lab()` is a context manager yielding the Lab with
lab/hostile/responder.py (services) and lab/hostile/packets.py (packets)
started in the hostile host; `measured()` runs a command in a lab host
under /usr/bin/time (exit status, stdout bytes, stderr, seconds, peak RSS).

With NETKIT_HOSTILE_TABLE=FILE set, every measured run appends a line
"LABEL<TAB>seconds<TAB>peak RSS KiB<TAB>exit status" to FILE (the table of
each hostile behaviour x tool for the issue's note)."""
import contextlib
import os
import subprocess
import sys
import time

from conftest import TOP
from labfix import Lab

sys.path.insert(0, os.path.join(TOP, "lab", "hostile"))
import hostile_start  # noqa: E402  lab/hostile/hostile_start.py

HOSTILE, NICE = "198.18.9.66", "198.18.9.10"
HOSTILE6, NICE6 = "2001:db8:9::66", "2001:db8:9::10"
BAD_BYTES = (b"\x1b", b"\x07", b"\x9b", b"\x00")
DTD = "/usr/share/nmap/nmap.dtd"


@contextlib.contextmanager
def hostile_lab(netkit, packets=(), services=(), seconds=1200):
    """The lab with packets.py running the named behaviours (all when
    empty) and responder.py its services (all when empty), both capped at
    seconds (a safety net: the context stops them; 1200 s so a module slowed
    by load never outlives the behaviours it checks)."""
    lab = Lab.up(netkit, os.path.join(TOP, "lab", "hostile.lab"))
    try:
        with hostile_start.running(netkit, lab.name, services, packets, seconds):
            yield lab
    finally:
        lab.down()


def measured(netkit, lab, host, argv, timeout, label=None):
    """argv in lab host under /usr/bin/time: (rc, stdout bytes, stderr text,
    seconds, peak RSS KiB); None for the RSS if time printed none."""
    t0 = time.monotonic()
    p = subprocess.Popen(["/usr/bin/time", "-f", "NKRSS %M", netkit, "lab", "exec", "--lab",
                          lab.name, host] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError(f"{argv} did not end within {timeout} s")
    secs = time.monotonic() - t0
    err = err.decode(errors="replace")
    lines = [l for l in err.splitlines() if l.startswith("NKRSS ")]
    rss = int(lines[-1].split()[1]) if lines else None
    err = "\n".join(l for l in err.splitlines() if not l.startswith("NKRSS "))
    table = os.environ.get("NETKIT_HOSTILE_TABLE")
    if table and label:
        with open(table, "a") as f:
            f.write(f"{label}\t{secs:.2f}\t{rss}\t{p.returncode}\n")
    return p.returncode, out, err, secs, rss


def no_sanitizer_report(err):
    assert "AddressSanitizer" not in err and "runtime error:" not in err \
        and "LeakSanitizer" not in err, err[-3000:]


def nothing_raw(out):
    for bad in BAD_BYTES:
        assert bad not in out, (bad, out[-2000:])
