#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# --resume at the port, measured: a -sS scan of two lab hosts (1500 ports
# each, --max-rate 500, one host at a time) is interrupted (SIGINT or
# SIGKILL) once the second host has at least AT ports recorded, then
# resumed. An nftables counter on that host (our own table in its
# namespace, removed at the end) counts the SYNs that reached it over both
# runs. A resume at the host would send it 1500 + (ports done) probes; at
# the port, about 1500. Also times the same uninterrupted scan with and
# without -oA (the resume records written during the scan) for the cost.
#
#   NETKIT_LAB=<lab> bash bench/nmap_resume.sh [RUNS] [AT]
#
# RUNS (default 3) interruptions per signal; AT (default 500) ports of the
# second host recorded before the signal. NK=path/to/netkit for another
# build (the scan itself runs build/bin/nmap). Root.
set -eu
cd "$(dirname "$0")/.."
NK=${NK:-$PWD/build/netkit}
LAB=${NETKIT_LAB:?set NETKIT_LAB to a lab that is up (netkit lab up)}
RUNS=${1:-3}
AT=${2:-500}
NMAP=$PWD/build/bin/nmap
T=198.18.3.10 W=198.18.3.11
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; ip netns exec nk-$LAB-web nft delete table inet nkbench 2>/dev/null || true' EXIT
ex() { "$NK" lab exec --lab "$LAB" "$@"; }
counter() {
	ip netns exec "nk-$LAB-web" nft list table inet nkbench | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
recorded() { # ports of $W in the records (the sidecar FILE.netkit-resume) ("tcp/closed/reset/62=1-21,23")
	grep -h "^# netkit-resume $W " "$1" 2>/dev/null | grep -o "=[0-9,-]*" | tr -d = | tr , '\n' |
		awk -F- 'NF { n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n + 0 }'
}

for sig in INT KILL; do
	for i in $(seq "$RUNS"); do
		ip netns exec "nk-$LAB-web" nft add table inet nkbench
		ip netns exec "nk-$LAB-web" nft add chain inet nkbench c '{ type filter hook input priority -400 ; }'
		ip netns exec "nk-$LAB-web" nft add rule inet nkbench c 'tcp flags & (syn|ack) == syn counter'
		rm -f "$tmp"/r.*
		"$NK" lab exec --lab "$LAB" client "$NMAP" -p 1-1500 --max-hostgroup 1 --max-rate 500 -oA "$tmp/r" $T $W \
			>/dev/null 2>&1 &
		pid=$!
		until [ "$(recorded "$tmp/r.nmap.netkit-resume")" -ge "$AT" ]; do sleep 0.05; done
		kill -"$sig" $pid # lab exec execs the scanner: $pid is nmap itself
		wait $pid 2>/dev/null || true
		done_ports=$(recorded "$tmp/r.nmap.netkit-resume")
		ex client "$NMAP" --resume "$tmp/r.nmap" >/dev/null 2>&1
		got=$(counter)
		ip netns exec "nk-$LAB-web" nft delete table inet nkbench
		echo "SIG$sig: $done_ports of 1500 ports recorded; SYNs at the host over both runs: $got" \
			"(resume at the host: $((1500 + done_ports + 1)))"
	done
done

hyperfine -N --warmup 1 --runs "${RUNS}" \
	-n "no files" "$NK lab exec --lab $LAB client $NMAP -n -Pn -p- $T" \
	-n "with files (records)" "$NK lab exec --lab $LAB client $NMAP -n -Pn -p- -oA $tmp/b $T" |
	grep -E "Time|±|no files|records"
