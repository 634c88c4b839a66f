#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up cost: short commands where loading the binary is most of the
# time. hyperfine medians of netkit and the original in the same run,
# in microseconds (RUNS, default 1000; WARMUP, default 50), and the ratio.
# Also lists the shared objects netkit loads (each one costs at start).
# Usage: bench/startup.sh     (NK=path/to/netkit for another build)
cd "$(dirname "$0")/.."
NK=${NK:-build/netkit}
runs=${RUNS:-1000}
warm=${WARMUP:-50}
echo "shared objects: $(ldd "$NK" | awk '{print $1}' | grep -v 'linux-vdso' | tr '\n' ' ')"
row() {
	local label=$1 ocmd=$2 ncmd=$3 json
	json=$(mktemp)
	hyperfine -N -w "$warm" -r "$runs" --export-json "$json" -n orig "$ocmd" -n netkit "$ncmd" \
		>/dev/null 2>&1
	python3 - "$json" "$label" <<'PY'
import json, sys
o, n = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
print(f"{sys.argv[2]:<22} original {o*1e6:7.0f} us  netkit {n*1e6:7.0f} us  ratio {n/o:5.2f}")
PY
	rm -f "$json"
}
row "--version / -V" "/usr/sbin/ip -V" "$NK --version"
row "ip -V" "/usr/sbin/ip -V" "$NK ip -V"
row "ss -s" "/usr/bin/ss -s" "$NK ss -s"
row "ip link show lo" "/usr/sbin/ip link show lo" "$NK ip link show lo"
row "route -n" "/usr/sbin/route -n" "$NK route -n"
