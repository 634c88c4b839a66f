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
