# SPDX-License-Identifier: Apache-2.0
"""The bash completion (completions/netkit, ours) against the built
binary: bash with bash-completion's library where it is installed, the
words set as bash sets them for a Tab, COMPREPLY read back. Options come
from each tool's --help, so a tool's real options must be offered and
words it does not know must not; interface names from /sys/class/net.
Interface names are checked against /sys/class/net, whichever namespace
mounted it."""
import os
import subprocess

import pytest

from conftest import NETKIT_BIN, TOP

COMP = os.path.join(TOP, "completions", "netkit")
LIB = "/usr/share/bash-completion/bash_completion"


def complete(line):
    """COMPREPLY for the command line (the cursor at its end)."""
    script = f"""
[ -r {LIB} ] && . {LIB}
. {COMP}
line=$1
read -ra COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
COMP_LINE=$line
COMP_POINT=${{#line}}
f=$(complete -p "${{COMP_WORDS[0]}}" | sed -E 's/.*-F ([^ ]+).*/\\1/')
"$f" "${{COMP_WORDS[0]}}" "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    netkit_dir = os.path.dirname(os.path.realpath(os.path.join(NETKIT_BIN, "ip")))
    env = dict(os.environ, PATH=netkit_dir + ":" + os.environ.get("PATH", ""),
               NETKIT_DATADIR=os.path.join(TOP, "data"))
    r = subprocess.run(["bash", "-c", script, "comp", line], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.splitlines() if w]


def test_tools_and_objects():
    assert complete("netkit ") == ["ip", "ss", "route", "mtr", "nmap", "lab", "dist", "db",
                                   "--help", "--version"]
    assert complete("netkit i") == ["ip"]
    assert complete("netkit ip li") == ["link"]
    assert "set" in complete("netkit ip link ")
    got = complete("netkit ip link set dev ")
    assert "lo" in got and set(got) <= set(os.listdir("/sys/class/net")), got
    assert complete("netkit lab ") == ["up", "down", "status", "exec", "flows"]


@pytest.mark.parametrize("line,want,never", [
    ("netkit ss --l", ["--listening"], []),
    ("netkit ss -", ["-t", "-u", "-l", "-n", "-p"], ["-Q"]),
    ("netkit nmap -s", ["-sS", "-sT", "-sU", "-sV", "-sn", "-sC"], ["-sQ"]),
    ("netkit nmap --max-r", ["--max-retries", "--max-rate"], []),
    ("netkit mtr --rep", ["--report", "--report-wide"], []),
    ("netkit route -", ["-n", "-net", "-host"], []),
    ("netkit ip -", ["-j", "-br", "-n", "-s", "-d"], []),
])
def test_options_from_help(line, want, never):
    got = complete(line)
    assert set(want) <= set(got), got
    assert not set(never) & set(got)


def test_keywords_and_scripts():
    assert "established" in complete("netkit ss state ")
    assert complete("netkit nmap -e l") == ["lo"]
    scripts = complete("netkit nmap --script http-t")
    assert "http-title" in scripts and all(s.startswith("http-t") for s in scripts)
    assert complete("netkit nmap --script default,ssh-h") == ["default,ssh-hostkey"]
