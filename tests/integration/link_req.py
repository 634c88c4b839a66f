# SPDX-License-Identifier: Apache-2.0
"""The RTM_NEWLINK request a tool sends, read from strace's dump of what
it writes to its netlink socket, in a canonical form (attributes sorted
by type at each level, NLA_F_NESTED and a string's trailing NUL dropped),
so that `ip link add/set ... type KIND ...` can be compared with
iproute2's byte for byte where the kernel has no such driver; and a
saved RTM_NEWLINK built from a request, for `ip -d monitor file`, so the
-d details of kinds the kernel lacks can be compared too."""
import os
import re
import struct
import subprocess

from conftest import run

RTM_NEWLINK = 16
IFLA_IFNAME, IFLA_LINKINFO, IFLA_IFALIAS = 3, 18, 20
INFO_KIND, INFO_DATA, INFO_SLAVE_KIND, INFO_SLAVE_DATA = 1, 2, 4, 5
# attributes inside IFLA_INFO_DATA that are nests, by kind
NESTED_DATA = {"vlan": {4, 5}, "bond": {8, 31}}


def _attrs(buf):
    out, off = [], 0
    while off + 4 <= len(buf):
        n, t = struct.unpack_from("=HH", buf, off)
        if n < 4 or off + n > len(buf):
            out.append(("broken", buf[off:].hex()))
            break
        out.append((t & 0x3fff, buf[off + 4:off + n]))
        off += (n + 3) & ~3
    return out


def _canon_list(items):
    return sorted(items, key=lambda a: a[0])


def canon(body):
    """ifinfomsg and the attribute tree of a request body (after nlmsghdr)."""
    top = []
    for t, p in _attrs(body[16:]):
        if t in (IFLA_IFNAME, IFLA_IFALIAS):
            p = p.rstrip(b"\0")
        if t == IFLA_LINKINFO:
            kind, inner = "", []
            for it, ip in _attrs(p):
                if it in (INFO_KIND, INFO_SLAVE_KIND):
                    ip = ip.rstrip(b"\0")
                    kind = ip.decode(errors="replace")
                    inner.append((it, ip.hex()))
                elif it in (INFO_DATA, INFO_SLAVE_DATA):
                    nest = NESTED_DATA.get(kind, set())
                    data = [(dt, _canon_list([(x, y.hex()) for x, y in _attrs(dp)])
                             if dt in nest else dp.hex()) for dt, dp in _attrs(ip)]
                    inner.append((it, _canon_list(data)))
                else:
                    inner.append((it, ip.hex()))
            top.append((t, _canon_list(inner)))
        else:
            top.append((t, p.hex() if isinstance(p, bytes) else p))
    return (body[:16].hex(), _canon_list(top))


def sent(argv):
    """Run argv under strace: (exit code, stdout, stderr without strace's
    lines, [(nlmsg_flags, body bytes)] of each RTM_NEWLINK it sent)."""
    log = f"/tmp/nk-strace-{os.getpid()}-{id(argv)}.txt"
    # LeakSanitizer cannot run under ptrace (an ASan build says so and fails)
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS"), "detect_leaks=0") if x)
    p = subprocess.run(["strace", "-f", "-qq", "-o", log, "-e", "trace=sendto,sendmsg",
                        "-e", "signal=none", "-e", "write=" + ",".join(map(str, range(3, 32)))]
                       + argv, capture_output=True, text=True, env=env)
    calls, cur = [], None
    with open(log) as f:
        for line in f:
            if re.match(r"(?:\d+ +)?(sendto|sendmsg)\(", line):
                cur = bytearray()
                calls.append(cur)
                continue
            m = re.match(r"(?:\d+ +)? \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2})+)", line)
            if m and cur is not None:
                cur += bytes.fromhex(m.group(1).replace(" ", ""))
    os.unlink(log)
    msgs = []
    for c in calls:
        if len(c) >= 16:
            ln, typ, flags = struct.unpack_from("=IHH", c)
            if typ == RTM_NEWLINK and ln <= len(c):
                msgs.append((flags, bytes(c[16:ln])))
    return p.returncode, p.stdout, p.stderr, msgs


def last_newlink(msgs):
    """The request that matters: the last RTM_NEWLINK with attributes
    (iproute2 first sends an empty one to learn what the kernel has)."""
    full = [m for m in msgs if len(m[1]) > 16]
    return (full[-1][0], canon(full[-1][1])) if full else None


def saved_link(body, index=7, name="nk7"):
    """An RTM_NEWLINK as `ip monitor file` reads it, for a link made by the
    request body: its linkinfo, a name, an index, an MTU."""
    def attr(t, p):
        n = 4 + len(p)
        return struct.pack("=HH", n, t) + p + b"\0" * (-n % 4)
    def linkinfo(p):  # the kind NUL-terminated, as the kernel sends it
        return attr(IFLA_LINKINFO, b"".join(
            attr(t, v.rstrip(b"\0") + b"\0" if t in (INFO_KIND, INFO_SLAVE_KIND) else v)
            for t, v in _attrs(p)))
    info = b"".join(linkinfo(p) if t == IFLA_LINKINFO else attr(t, p)
                    for t, p in _attrs(body[16:]) if t in (IFLA_LINKINFO, 5))
    msg = (struct.pack("=BBHiII", 0, 0, 1, index, 0x1002, 0) + attr(IFLA_IFNAME, name.encode() + b"\0")
           + attr(4, struct.pack("=I", 1500)) + attr(1, bytes([2, 0, 0, 0, 0, 7]))
           + attr(2, b"\xff" * 6) + info)
    return struct.pack("=IHHII", 16 + len(msg), RTM_NEWLINK, 0, 0, 0) + msg


def last_body(msgs):
    full = [m for m in msgs if len(m[1]) > 16]
    return full[-1][1] if full else None


def compare_kind_commands(nk, ip, cmds, tmpdir, ns_pair):
    """Each `ip link` command with both tools (twin namespaces): the same
    exit code, output and error, the same RTM_NEWLINK request; and for
    each request iproute2 sent, the same `ip -d [-j] monitor file` of a
    link that request would make. Returns the differences."""
    diffs = []
    for i, cmd in enumerate(cmds):
        o = sent([ip, "-n", ns_pair[0]] + cmd.split())
        n = sent([nk, "-n", ns_pair[1]] + cmd.split())
        if n[:3] != o[:3]:
            diffs.append((cmd, "output", o[:3], n[:3]))
        if last_newlink(n[3]) != last_newlink(o[3]):
            diffs.append((cmd, "request", last_newlink(o[3]), last_newlink(n[3])))
        body = last_body(o[3])
        if body is None:
            continue
        f = os.path.join(tmpdir, f"req{i}.nl")
        with open(f, "wb") as fh:
            fh.write(saved_link(body))
        for opts in (["-d"], ["-d", "-j"]):
            x, y = run([ip] + opts + ["monitor", "file", f]), run([nk] + opts + ["monitor", "file", f])
            if (x.returncode, x.stdout, x.stderr) != (y.returncode, y.stdout, y.stderr):
                diffs.append((cmd, "print " + " ".join(opts), x.stdout + x.stderr,
                              y.stdout + y.stderr))
    return diffs
