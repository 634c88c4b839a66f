#!/usr/bin/env bash
# The nmap front end without a network: target expansion and output for
# a list scan (-sL -n, nothing is sent), netkit against nmap 7.93, in a
# private network namespace. Medians of hyperfine runs, the ratio, and
# peak RSS. Usage: bench/nmap_list.sh   (RUNS=N for more runs)
set -euo pipefail
cd "$(dirname "$0")/.."
NK=${NETKIT_BIN:-$PWD/build/bin}/nmap
[ -x "$NK" ] || { echo "build first: make"; exit 1; }
if [ -z "${NK_IN_NS:-}" ]; then
	exec unshare --net env NK_IN_NS=1 "$0" "$@"
fi
one() {
	local label=$1
	shift
	local json
	json=$(mktemp)
	hyperfine -N --warmup 1 --runs "${RUNS:-5}" --export-json "$json" \
		-n nmap "/usr/bin/nmap $*" -n netkit "$NK $*" --output=null >/dev/null
	local ro rn
	ro=$(/usr/bin/time -v /usr/bin/nmap "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	rn=$(/usr/bin/time -v "$NK" "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	python3 - "$json" "$label" "$ro" "$rn" <<'PY'
import json, sys
o, n = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
print(f"{sys.argv[2]:<34} nmap {o*1000:9.1f} ms  netkit {n*1000:8.1f} ms  ratio {n/o:5.3f}"
      f"  peak RSS nmap {int(sys.argv[3])/1024:6.1f} MiB netkit {int(sys.argv[4])/1024:5.1f} MiB")
PY
	rm -f "$json"
}
one "-sL -n 10.0.0.0/16" -sL -n 10.0.0.0/16
one "-sL -n 10.0.0.0/12" -sL -n 10.0.0.0/12
one "-sL -n 10.0-15.0-255.1-254 -oX" -sL -n 10.0-15.0-255.1-254 -oX /dev/null
one "-sL -n -6 fd00::/112" -sL -n -6 fd00::/112
