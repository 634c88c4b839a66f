# SPDX-License-Identifier: Apache-2.0
# Shared by the benchmarks: time one command of the original tool and the
# same command of netkit in the same run (hyperfine medians), and print
# both, the ratio and each one's peak RSS.
#
# bench_cmp LABEL ORIG_NAME "ORIG_CMD" "NETKIT_CMD"
#   the commands are word-split; WARMUP (default 1) and RUNS (default 10)
#   set hyperfine's counts.
bench_cmp() {
	local label=$1 oname=$2 ocmd=$3 ncmd=$4
	local json
	json=$(mktemp)
	hyperfine -N --warmup "${WARMUP:-1}" --runs "${RUNS:-10}" --export-json "$json" \
		-n "$oname" "$ocmd" -n netkit "$ncmd" >/dev/null
	local rss_o rss_n
	# shellcheck disable=SC2086 # the commands are word lists
	rss_o=$(/usr/bin/time -v $ocmd 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	# shellcheck disable=SC2086
	rss_n=$(/usr/bin/time -v $ncmd 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	python3 - "$json" "$label" "$oname" "$rss_o" "$rss_n" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
o, n = (r["median"] for r in res)
name = sys.argv[3]
print(f"{sys.argv[2]:<34} {name} {o*1000:9.1f} ms  netkit {n*1000:8.1f} ms  "
      f"ratio {n/o:5.2f}  peak RSS {name} {int(sys.argv[4])/1024:5.1f} MiB "
      f"netkit {int(sys.argv[5])/1024:5.1f} MiB")
PY
	rm -f "$json"
}

# bench_pair LABEL ARGS...   ip's arguments, with iproute2 and $NK_IP
bench_pair() {
	local label=$1
	shift
	WARMUP=${WARMUP:-2} bench_cmp "$label" iproute2 "/usr/sbin/ip $*" "$NK_IP $*"
}

# bench_veth: the namespace every table benchmark starts from: lo up and a
# veth pair v0/v1, both up, with 192.168.0.1/24 on v0 (so routes via
# 192.168.0.2 have their gateway on a link).
bench_veth() {
	ip link set lo up
	ip link add v0 type veth peer name v1
	ip link set v0 up
	ip link set v1 up
	ip addr add 192.168.0.1/24 dev v0
}

# bench_in_netns [--no-veth] N: run the bash script read from stdin in a
# private network namespace, with $N (and $1) set to N, set -eu, this
# file sourced, and bench_veth's links made first (not with --no-veth).
# NK_IP and NK_ROUTE name netkit's tools ($NETKIT_BIN, else build/bin),
# BENCH_DIR this folder. Every table benchmark starts here.
bench_in_netns() {
	local veth=bench_veth
	if [ "$1" = --no-veth ]; then
		veth=:
		shift
	fi
	local dir
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	export BENCH_DIR=$dir
	export NK_IP=${NETKIT_BIN:-$dir/../build/bin}/ip
	export NK_ROUTE=${NETKIT_BIN:-$dir/../build/bin}/route
	{
		# shellcheck disable=SC2016 # expanded in the namespace's shell
		printf 'set -eu\nN=$1\n. "$BENCH_DIR/lib.sh"\n%s\n' "$veth"
		cat
	} | unshare --net bash -s "$1"
}

# bench_batch: run the ip commands read from stdin with `ip -batch` (one
# process, as fast as the kernel takes them); prints the seconds it took.
bench_batch() {
	local batch t0
	batch=$(mktemp)
	cat >"$batch"
	t0=$(date +%s.%N)
	ip -batch "$batch"
	echo "$(date +%s.%N) - $t0" | bc
	rm -f "$batch"
}

# cpu_pair LABEL ARGS...: the CPU time (user + system) of one run of
# iproute2's ip and of $NK_IP with ARGS, each the median of RUNS runs
# taken in turn; less disturbed than wall time on a loaded machine.
cpu_pair() {
	local label=$1
	shift
	python3 - "$label" "${RUNS:-10}" "$NK_IP" "$@" <<'PY'
import os, resource, statistics, subprocess, sys
label, runs, nk, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def cpu(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
o, n = [], []
for _ in range(runs):
    o.append(cpu(["/usr/sbin/ip"] + args))
    n.append(cpu([nk] + args))
mo, mn = statistics.median(o), statistics.median(n)
print(f"{label + ' (CPU)':<34} iproute2 {mo*1000:9.1f} ms  netkit {mn*1000:8.1f} ms  "
      f"ratio {mn/mo:5.2f}  (min {min(o)*1000:.1f}/{min(n)*1000:.1f} ms, "
      f"max {max(o)*1000:.1f}/{max(n)*1000:.1f} ms)")
PY
}
