#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Memory of a large netkit nmap scan over time: -sS -p1-1000 over the lab's
# sweep range 198.19.0.0/16 (every address answers: RST, or SYN-ACK on 80),
# the issue's "a /16 x 1,000 ports stays under 100 MiB". Samples the
# process's resident set (VmRSS) and its peak (VmHWM) from /proc every
# STEP seconds with the number of hosts reported so far, so a flat line
# and a growing one look different; ends with the peak and the highest
# sample of the first and of the second half of the run.
#
#   bash bench/nmap_mem.sh [SECONDS] [STEP]
#
# SECONDS: stop the scan (SIGINT) after that long; 0 (default) runs it to
# the end (~15-20 min on a quiet 2-core machine). PORTS and RANGE override
# the ports and the targets. Uses the lab named by NETKIT_LAB, or brings up
# its own (and removes it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
netkit=${NETKIT:-$top/build/netkit}
limit=${1:-0}
step=${2:-5}
ports=${PORTS:-1-1000}
range=${RANGE:-198.19.0.0/16}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; [ -n "${own_lab:-}" ] && "$netkit" lab down "$own_lab" >/dev/null 2>&1 || true' EXIT

lab=${NETKIT_LAB:-}
if [ -z "$lab" ]; then
	own_lab=$("$netkit" lab up --name nkmem)
	lab=$own_lab
fi

echo "== netkit nmap -sS -p$ports -n -Pn $range (load $(cut -d' ' -f1-3 /proc/loadavg))"
# ip netns exec execs the command: $! is netkit's own pid
ip netns exec "nk-$lab-client" "$netkit" nmap -sS -p"$ports" -n -Pn "$range" >"$work/out" 2>&1 &
pid=$!
start=$(date +%s.%N)
printf '%8s %8s %10s %10s\n' seconds hosts "RSS MiB" "peak MiB"
: >"$work/samples"
while kill -0 "$pid" 2>/dev/null; do
	now=$(date +%s.%N)
	el=$(awk -v a="$start" -v b="$now" 'BEGIN {printf "%.0f", b - a}')
	st=/proc/$pid/status
	rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "$st" 2>/dev/null || true)
	hwm=$(awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "$st" 2>/dev/null || true)
	[ -n "$rss" ] || break
	hosts=$(grep -c '^Nmap scan report' "$work/out" || true)
	printf '%8s %8s %10s %10s\n' "$el" "$hosts" "$rss" "$hwm"
	echo "$el $hosts $rss $hwm" >>"$work/samples"
	if [ "$limit" -gt 0 ] && [ "$el" -ge "$limit" ]; then
		kill -INT "$pid"
		break
	fi
	sleep "$step"
done
wait "$pid" || true
pid=
end=$(date +%s.%N)
tail -1 "$work/out"
python3 - "$work/samples" "$start" "$end" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
el = float(sys.argv[3]) - float(sys.argv[2])
if not rows:
    sys.exit("no samples")
peak = max(r[3] for r in rows)
half = len(rows) // 2
a = max([r[2] for r in rows[:half]] or [0])
b = max(r[2] for r in rows[half:])
print(f"ran {el:.0f} s, {int(rows[-1][1])} hosts reported; peak RSS {peak:.1f} MiB; "
      f"highest RSS sample in the first half {a:.1f} MiB, in the second half {b:.1f} MiB")
PY
