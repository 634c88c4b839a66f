#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: bring up the lab, walk through the seed's commands
# (shared/seed/linux-networking-overview.txt) from the lab's client host
# with netkit's ip, ss, route, mtr and nmap, then take the lab down.
# Each command is printed before it runs; a tool that is not finished says
# so and the walk goes on. Packets only ever go to the lab's own hosts.
set -u
cd "$(dirname "$0")/.."
top=$PWD
NETKIT=${NETKIT:-$top/build/netkit}
BIN=${NETKIT_BIN:-$top/build/bin}
[ -x "$NETKIT" ] || { echo "demo: $NETKIT not built; run make" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "demo: the lab needs root (namespaces)" >&2; exit 1; }

bold=$(tput bold 2>/dev/null || true)
dim=$(tput dim 2>/dev/null || true)
off=$(tput sgr0 2>/dev/null || true)

lab=$("$NETKIT" lab up) || { echo "demo: netkit lab up failed" >&2; exit 1; }
hold=
cleanup() {
	[ -n "$hold" ] && kill "$hold" 2>/dev/null
	"$NETKIT" lab down "$lab"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n%s# %s%s\n' "$dim" "$*" "$off"; }

# Run one command line in the client host with netkit's tools first in PATH.
run() {
	printf '%sclient$ %s%s\n' "$bold" "$1" "$off"
	PATH="$BIN:$PATH" timeout 180 "$NETKIT" lab exec --lab "$lab" client sh -c "$1"
	local rc=$?
	[ $rc -eq 0 ] || printf '%s(exit %d)%s\n' "$dim" "$rc" "$off"
}

say "lab $lab is up: client -> r1 -> r2 -> LAN (target web db dns), sweep, slow"
"$NETKIT" lab status "$lab"

say "an ssh connection to keep: for ss, tcp_metrics"
PATH="$BIN:$PATH" "$NETKIT" lab exec --lab "$lab" client python3 -c '
import socket, time
s = socket.create_connection(("target.lab", 22)); s.recv(100)
for port in (80, 6379, 11211):
    socket.create_connection(("198.18.3.10", port)).close()
time.sleep(600)' &
hold=$!
sleep 0.5

say "ip: links with statistics as JSON, addresses, the TCP metrics cache, routes, neighbours"
run 'ip -j -p -s link show'
run 'ip -family inet -br address show'
run 'ip -family inet -h -br tcp_metrics show'
run 'ip route show'
run 'route -n -F'
run 'ip neigh show'

say "ss: socket summary, the ssh connection, established TCP with names"
run 'ss -s'
run "ss -at '( dport = :22 or sport = :22 )'"
run 'ss -r --tcp state established'

say "mtr: two routers to the LAN, then the impaired link to slow (AS numbers from the lab DNS)"
run 'mtr -4 -b -y 2 -o "S R D A" -r -c 3 target.lab'
run 'mtr -4 -b -z -r -c 20 -i 0.2 slow.lab'

say "nmap: list a range with names, sweep the lab's /20 of always-up hosts, scan target"
run 'nmap -sL 198.18.3.8/29'
run 'nmap -sn -n 198.19.0.0/20 | tail -3'
run 'nmap -Pn -sS --top-ports 50 --open -sV --version-intensity 5 -O --osscan-guess -R -v target.lab'
run 'nmap -Pn -sS --top-ports 50 --open -R target.lab'
run 'nmap -sS -p 22,80,8081-8084 target.lab'
run 'nmap -A target.lab'
run 'nmap -sU -p 53,11211,161 target.lab'
run 'nmap -sC -p 22,80 target.lab'
run 'nmap --iflist'
run 'nmap --script-help=fuzzer | head -20'

say "nmap -sV on lab/services.lab: 17 more Debian daemons (mail, ns, ns2, ns3), named from netkit's own knowledge"
svlab=$("$NETKIT" lab up -q "$top/lab/services.lab") || svlab=
if [ -n "$svlab" ]; then
	printf '%sclient$ %s%s\n' "$bold" "nmap -Pn -sS -sV 198.18.1.25 198.18.2.53 198.18.6.53 198.18.7.53" "$off"
	PATH="$BIN:$PATH" timeout 180 "$NETKIT" lab exec --lab "$svlab" client \
		nmap -Pn -sS -sV 198.18.1.25 198.18.2.53 198.18.6.53 198.18.7.53
	"$NETKIT" lab down "$svlab"
fi

say "done; taking lab $lab down"
