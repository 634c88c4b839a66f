#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
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
. bench/lib.sh
one() {
	local label=$1
	shift
	RUNS=${RUNS:-5} bench_cmp "$label" nmap "/usr/bin/nmap $*" "$NK $*"
}
one "-sL -n 10.0.0.0/16" -sL -n 10.0.0.0/16
one "-sL -n 10.0.0.0/12" -sL -n 10.0.0.0/12
one "-sL -n 10.0-15.0-255.1-254 -oX" -sL -n 10.0-15.0-255.1-254 -oX /dev/null
one "-sL -n -6 fd00::/112" -sL -n -6 fd00::/112
