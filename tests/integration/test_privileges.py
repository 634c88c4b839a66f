# SPDX-License-Identifier: Apache-2.0
"""Least privilege: an ordinary user (nobody, through setpriv) runs a copy
of the binary under test that carries only the file capability cap_net_raw
(what `make install SETCAP=1` and the package set): nmap -sS and mtr work
in the lab, side by side with the originals run as root; changing an
address or a route through netkit is refused, as the original ip and route
refuse that user; and once its sockets are open a scan runs with no
effective capability (/proc/PID/status), mtr with CAP_NET_RAW only
permitted. Packets go only into the lab's namespaces."""
import os
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import NETKIT, oracle, run
from mtrfix import hop_names

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
CAP_NET_RAW = 1 << 13


@pytest.fixture(scope="module")
def capbin():
    """Copies of the binary under test readable by nobody: "raw" with the
    file capability cap_net_raw+ep, "plain" without any."""
    d = tempfile.mkdtemp(prefix="nkcap-")
    os.chmod(d, 0o755)
    out = {}
    for name in ("raw", "plain"):
        os.mkdir(os.path.join(d, name), 0o755)
        p = os.path.join(d, name, "netkit")
        shutil.copy2(NETKIT, p)
        os.chmod(p, 0o755)
        out[name] = p
    r = run(["setcap", "cap_net_raw+ep", out["raw"]])
    assert r.returncode == 0, r.stderr
    yield out
    shutil.rmtree(d)


def as_nobody(lab, host, argv, timeout=120):
    return run(["ip", "netns", "exec", lab.ns(host)] + NOBODY + argv, timeout=timeout)


def port_states(xml_text):
    root = ET.fromstring(xml_text)
    return {(h.find("address").get("addr"), p.get("portid")): p.find("state").get("state")
            for h in root.iter("host") for p in h.iter("port")}


def test_file_capability_is_cap_net_raw_only(capbin):
    r = run(["getcap", capbin["raw"]])
    assert r.stdout.split()[-1] == "cap_net_raw=ep"


def test_syn_scan_without_root(lab, capbin):
    args = ["-sS", "-Pn", "-n", "-p", "22,80,81,8081", "-oX", "-", lab.addr("target")]
    ours = as_nobody(lab, "client", [capbin["raw"], "nmap"] + args)
    assert ours.returncode == 0, ours.stderr
    theirs = run(["ip", "netns", "exec", lab.ns("client"), oracle("nmap")] + args)
    assert theirs.returncode == 0, theirs.stderr
    states = port_states(ours.stdout)
    assert states == port_states(theirs.stdout)
    assert "open" in states.values()


def test_os_scan_without_root(lab, capbin):
    """-O needs only CAP_NET_RAW too: its probes go out, the distance is
    the one root's run finds."""
    args = ["-O", "-n", "-p", "22,80,81", lab.addr("target")]
    ours = as_nobody(lab, "client", [capbin["raw"], "nmap"] + args)
    assert ours.returncode == 0, ours.stderr
    assert "OS detection performed" in ours.stdout
    root = lab.exec("client", [NETKIT, "nmap"] + args)
    dist = lambda out: [l for l in out.splitlines() if l.startswith("Network Distance")]
    assert dist(ours.stdout) == dist(root.stdout) != []


def test_syn_scan_needs_the_capability(lab, capbin):
    """Without the file capability the same user gets nmap's refusal."""
    r = as_nobody(lab, "client", [capbin["plain"], "nmap", "-sS", "-p", "22", lab.addr("target")])
    assert r.returncode == 1
    assert "requires root privileges" in r.stderr


def test_mtr_without_root(lab, capbin):
    args = ["-r", "-n", "-c", "2", "-i", "0.2", "-4", lab.addr("target")]
    ours = as_nobody(lab, "client", [capbin["raw"], "mtr"] + args)
    assert ours.returncode == 0, ours.stderr
    assert "no CAP_NET_RAW" not in ours.stderr  # raw sockets, not the fallback
    theirs = run(["ip", "netns", "exec", lab.ns("client"), oracle("mtr")] + args)
    assert hop_names(ours.stdout) == hop_names(theirs.stdout)
    assert hop_names(ours.stdout)[-1] == lab.addr("target")


@pytest.mark.parametrize("argv", [
    ["ip", "address", "add", "192.0.2.201/32", "dev", "lo"],
    ["ip", "route", "add", "192.0.2.202/32", "dev", "lo"],
    ["ip", "link", "set", "lo", "mtu", "1280"],
    ["route", "add", "-host", "192.0.2.203", "dev", "lo"],
], ids=lambda a: " ".join(a))
def test_changes_refused(lab, capbin, argv):
    """The user with netkit's file capability cannot change the namespace:
    the same refusal, words and exit status, as the original's."""
    before = run(["ip", "netns", "exec", lab.ns("client"), "ip", "-d", "addr"]).stdout + \
        run(["ip", "netns", "exec", lab.ns("client"), "ip", "route"]).stdout
    ours = as_nobody(lab, "client", [capbin["raw"]] + argv)
    theirs = as_nobody(lab, "client", [oracle(argv[0])] + argv[1:])
    after = run(["ip", "netns", "exec", lab.ns("client"), "ip", "-d", "addr"]).stdout + \
        run(["ip", "netns", "exec", lab.ns("client"), "ip", "route"]).stdout
    assert (ours.returncode, ours.stderr) == (theirs.returncode, theirs.stderr)
    assert ours.returncode != 0 and before == after


@pytest.mark.parametrize("argv", [["ip", "-br", "address"], ["ip", "route"], ["route", "-n"]],
                         ids=lambda a: " ".join(a))
def test_shows_work_without_capabilities(lab, capbin, argv):
    ours = as_nobody(lab, "client", [capbin["raw"]] + argv)
    theirs = as_nobody(lab, "client", [oracle(argv[0])] + argv[1:])
    assert (ours.returncode, ours.stdout, ours.stderr) == \
        (theirs.returncode, theirs.stdout, theirs.stderr)


def caps_while_running(argv, lab, timeout=60):
    """Run argv as nobody in the client; sample /proc/PID/status of the
    netkit process (after ip netns exec and setpriv have exec'd into it)
    while it runs. Returns (samples [(CapPrm, CapEff)], CompletedProcess-like)."""
    p = subprocess.Popen(["ip", "netns", "exec", lab.ns("client")] + NOBODY + argv,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    end = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < end:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                st = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        except OSError:
            break
        if st["Name"].strip() == "netkit" and p.poll() is None:
            samples.append((int(st["CapPrm"], 16), int(st["CapEff"], 16)))
        time.sleep(0.02)
    out, err = p.communicate(timeout=timeout)
    return samples, p.returncode, out, err


def test_scan_runs_with_no_capability(lab, capbin):
    """Once the raw sockets are open, nmap holds no capability at all; the
    scan (paced by --scan-delay so that it lasts ~3 s) still finds the
    ports, through the sockets it opened before."""
    argv = [capbin["raw"], "nmap", "-sS", "-Pn", "-n", "--scan-delay", "200ms",
            "-p", "10-24", "-oX", "-", lab.addr("target")]
    samples, rc, out, err = caps_while_running(argv, lab)
    assert rc == 0, err
    assert port_states(out)[(lab.addr("target"), "22")] == "open"
    # the start may be sampled (cap_net_raw, from the file), then only none
    assert samples and samples[-1] == (0, 0), samples
    assert set(samples) <= {(CAP_NET_RAW, CAP_NET_RAW), (0, 0)}


def test_mtr_runs_with_no_effective_capability(lab, capbin):
    """mtr keeps CAP_NET_RAW permitted (a live screen may switch protocol
    and open a new raw socket) but none effective once its sockets are
    open."""
    argv = [capbin["raw"], "mtr", "-r", "-n", "-c", "8", "-i", "0.3", "-4", lab.addr("target")]
    samples, rc, out, err = caps_while_running(argv, lab)
    assert rc == 0, err
    assert samples and samples[-1] == (CAP_NET_RAW, 0), samples
    assert set(samples) <= {(CAP_NET_RAW, CAP_NET_RAW), (CAP_NET_RAW, 0)}
