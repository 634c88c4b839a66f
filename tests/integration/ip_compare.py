# SPDX-License-Identifier: Apache-2.0
"""Helpers for comparing netkit ip with iproute2's ip, side by side."""
import json
import os
import re
import subprocess
import time
import uuid

from conftest import TOP, oracle, run

IP = oracle("ip")
SETUP = os.path.join(TOP, "tests", "integration", "ip_setup.sh")

# Values that move between two runs: counters, lifetimes, timers.
_MOVING = [
    (re.compile(r"age [\d.]+sec\b"), "age Nsec"),
    (re.compile(r"\d+sec\b"), "Nsec"),
    (re.compile(r"(used|age) \d+(/\d+/\d+)?"), r"\1 N"),
    (re.compile(r"(timer)\s+[\d.]+"), r"\1 N"),
    # neighbour states move on their own (REACHABLE -> STALE -> DELAY ...)
    (re.compile(r"\b(REACHABLE|STALE|DELAY|PROBE)\b"), "NUD"),
]


def mask_text(text, counters=False):
    for rx, rep in _MOVING:
        text = rx.sub(rep, text)
    if counters:
        # the lines under "RX:"/"TX:" headers are counters
        out, prev_hdr = [], False
        for line in text.split("\n"):
            hdr = bool(re.match(r"\s+(RX|TX)[: ]", line))
            if prev_hdr:
                line = re.sub(r"\d+(\.\d+)?[kMGTPE]?i?", "N", line)
            if prev_hdr or hdr:
                # column widths follow the widest counter, which moves too
                line = re.sub(r" +", " ", line)
            prev_hdr = hdr
            out.append(line)
        text = "\n".join(out)
    return text


_MOVING_KEYS = {"valid_life_time", "preferred_life_time", "expires", "used",
                "confirmed", "updated", "age", "hello_timer", "tcn_timer",
                "topology_change_timer", "gc_timer", "hold_timer",
                "message_age_timer", "forward_delay_timer"}
_COUNTER_PARENTS = {"rx", "tx", "stats64", "stats"}


def json_shape(v, key=None, parent=None):
    """The document with moving values replaced by their type name."""
    if key == "state" and isinstance(v, list):
        return ["NUD" if x in ("REACHABLE", "STALE", "DELAY", "PROBE") else x for x in v]
    if isinstance(v, dict):
        return {k: json_shape(x, k, key) for k, x in v.items()}
    if isinstance(v, list):
        return [json_shape(x, None, key) for x in v]
    if key in _MOVING_KEYS or parent in _COUNTER_PARENTS:
        return type(v).__name__
    return v


def compare(ip_args, nk_ip, netns=None, counters=False):
    """Run `ip [-n netns] ARGS` with both tools; assert same exit code,
    same stderr, and same stdout (masked), or same JSON shape.

    The host's own tables (netns None) are live: other programs open and
    close connections and links between the two runs. There a difference
    counts only if it shows again in each of three tries."""
    tries = 1 if netns else 3
    for i in range(tries):
        try:
            return _compare_once(ip_args, nk_ip, netns, counters)
        except AssertionError:
            if i == tries - 1:
                raise
            time.sleep(0.2)


def _compare_once(ip_args, nk_ip, netns, counters):
    pre = ["-n", netns] if netns else []
    a = run([IP] + pre + ip_args)
    b = run([nk_ip] + pre + ip_args)
    assert b.returncode == a.returncode, (ip_args, a.stderr, b.stderr)
    assert b.stderr == a.stderr, ip_args
    if any(x in ("-j", "-json") for x in ip_args) and a.stdout.strip():
        ja = json.loads(a.stdout)
        jb = json.loads(b.stdout)
        if counters:
            assert json_shape(jb) == json_shape(ja), ip_args
        else:
            assert _nud(jb) == _nud(ja), ip_args
        if "-p" in ip_args:
            assert mask_pretty(mask_text(b.stdout)) == mask_pretty(mask_text(a.stdout))
        else:
            assert mask_text(b.stdout, True) == mask_text(a.stdout, True) or counters
        return a, b
    assert mask_text(b.stdout, counters) == mask_text(a.stdout, counters), ip_args
    return a, b


def _nud(v):
    """Neighbour states masked, the rest as it is."""
    if isinstance(v, dict):
        return {k: (json_shape(x, k) if k == "state" else _nud(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [_nud(x) for x in v]
    return v


def mask_pretty(text):
    return re.sub(r": \d+(\.\d+)?", ": N", text)


class Netns:
    """Two named namespaces filled by ip_setup.sh, removed afterwards."""

    def __init__(self):
        tag = uuid.uuid4().hex[:8]
        self.ns = f"nk-iptest-{tag}"
        self.peer = f"nk-ippeer-{tag}"

    def __enter__(self):
        for n in (self.ns, self.peer):
            subprocess.run([IP, "netns", "add", n], check=True)
        subprocess.run(["sh", SETUP, self.ns, self.peer], check=True)
        # let the kernel finish what it does on its own after links come
        # up (link-local addresses, their routes, bridge port states)
        time.sleep(2)
        return self

    def __exit__(self, *exc):
        for n in (self.ns, self.peer):
            subprocess.run([IP, "netns", "del", n])


def fresh_ns(tag, setup=()):
    """A new named namespace with lo up and a veth pair va/vb, then each
    `ip` command of setup (argument strings) in it."""
    ns = f"nk-{tag}-{uuid.uuid4().hex[:8]}"
    subprocess.run([IP, "netns", "add", ns], check=True)
    subprocess.run([IP, "-n", ns, "link", "set", "lo", "up"], check=True)
    subprocess.run([IP, "-n", ns, "link", "add", "va", "type", "veth", "peer", "name", "vb"],
                   check=True)
    for cmd in setup:
        subprocess.run([IP, "-n", ns] + cmd.split(), check=True)
    return ns


def session(tool, ns, cmds):
    """Each command with `tool -n ns`: (command, exit code, stdout, stderr)."""
    out = []
    for cmd in cmds:
        r = run([tool, "-n", ns] + cmd.split())
        out.append((cmd, r.returncode, r.stdout, r.stderr))
    return out
