# Shared by bench/ip_*.sh: run one command with netkit and with iproute2,
# report medians, the ratio and peak RSS. Sourced inside the benchmark's
# private namespace.
# bench_pair LABEL ARGS...   (ARGS are ip's arguments)
bench_pair() {
	local label=$1
	shift
	local json
	json=$(mktemp)
	hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-json "$json" \
		-n "iproute2 ip $*" "/usr/sbin/ip $*" \
		-n "netkit ip $*" "$NK_IP $*" >/dev/null
	local rss_o rss_n
	rss_o=$(/usr/bin/time -v /usr/sbin/ip "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	rss_n=$(/usr/bin/time -v "$NK_IP" "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
	python3 - "$json" "$label" "$rss_o" "$rss_n" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
o, n = (r["median"] for r in res)
print(f"{sys.argv[2]:<28} iproute2 {o*1000:8.1f} ms  netkit {n*1000:8.1f} ms  "
      f"ratio {n/o:5.2f}  peak RSS iproute2 {int(sys.argv[3])/1024:5.1f} MiB "
      f"netkit {int(sys.argv[4])/1024:5.1f} MiB")
PY
	rm -f "$json"
}
