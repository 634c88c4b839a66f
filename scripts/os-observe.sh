#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Record OS-detection observations into data/os/observations (netkit's own
# format, data/os/README): brings up lab/osstacks.sh's lab (run this inside
# `unshare --net`), probes every stack there with `netkit nmap -O` under
# NETKIT_OS_RECORD, RUNS times per configuration (default 2; data/os was
# recorded with RUNS=3; the generator sets each test's weight from how
# often repeated runs agree), and adds each block's class,
# CPE and provenance (package and version, kernel, configuration, date, how).
# Linux configurations are sysctls set in host lin1's namespace only (and
# set back); the user-space stacks run as lab/osstacks.sh starts them.
# Then run scripts/os-dbgen.py.
#
#   RUNS=3 unshare --net -- scripts/os-observe.sh [OUT]   # default OUT: data/os/observations
#   ONLY=pasta RUNS=3 ...   # only these stacks (lab/osstacks.sh's names, space-separated)
#   V6=1 RUNS=3 ...         # IPv6 (netkit nmap -6 -O) into data/os/observations6, from
#                           # the stacks that speak it (lab/osstacks.sh hosts6); then
#                           # scripts/os-dbgen.py data/os/observations6 data/os/os-db6
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
nk=${NETKIT:-$top/build/netkit}
v6=${V6:-}
out=${1:-$top/data/os/observations${v6:+6}}
runs=${RUNS:-2}
only=${ONLY:-}
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }
lab=$("$top/lab/osstacks.sh" up osobs)
trap '"$top/lab/osstacks.sh" down osobs' EXIT
kernel=$(uname -r)
majmin=$(echo "${kernel%%-*}" | cut -d. -f1,2)
kpkg=$(dpkg-query -W -f '${Package} ${Version}' "linux-image-$kernel" 2>/dev/null ||
	echo "none (kernel $kernel not from a Debian package: $(cut -d'(' -f2 /proc/version | cut -d')' -f1))")
if [ -n "$v6" ]; then
	linux_configs=(
		""
		"net.ipv4.tcp_timestamps=0"
		"net.ipv4.tcp_window_scaling=0"
		"net.ipv4.tcp_sack=0"
		"net.ipv4.tcp_ecn=1"
		"net.ipv6.conf.eth0.hop_limit=128"
		"net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0"
		"net.ipv6.conf.eth0.hop_limit=255 net.ipv4.tcp_ecn=1"
		"net.ipv4.tcp_rmem=4096:16384:65536"
	)
else linux_configs=(
	""
	"net.ipv4.tcp_timestamps=0"
	"net.ipv4.tcp_window_scaling=0"
	"net.ipv4.tcp_sack=0"
	"net.ipv4.tcp_ecn=1"
	"net.ipv4.ip_default_ttl=128"
	"net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0"
	"net.ipv4.ip_default_ttl=255 net.ipv4.tcp_ecn=1"
	"net.ipv4.tcp_rmem=4096:16384:65536"
); fi
tmp=$(mktemp)

# record ADDR NAME CLASS CPE PACKAGE CONFIG [KERNEL]: RUNS observations of one stack
record() {
	local addr=$1 name=$2 class=$3 cpe=$4 pkg=$5 cfg=$6 kernel=${7:-$kernel}
	for _ in $(seq "$runs"); do
		: >"$tmp"
		NETKIT_OS_RECORD=$tmp "$nk" lab exec --lab "$lab" client "$nk" nmap ${v6:+-6} -O -Pn -n \
			-sS -p 22,80 --max-os-tries 1 "$addr" >/dev/null
		awk -v name="$name" -v class="$class" -v cpe="$cpe" -v pkg="$pkg" -v kernel="$kernel" \
			-v cfg="$cfg" -v date="$(date -u +%F)" -v addr="$addr" \
			-v ports="${PORTS_NOTE:-port 80 open, 22 closed}" '
			/^observation / {
				print "observation " name
				print "class " class
				print "cpe " cpe
				print "provenance package=\"" pkg "\" kernel=" kernel " config=\"" cfg "\" date=" date \
					" how=\"lab/osstacks.sh host " addr " (" ports "), netkit nmap " (addr ~ /:/ ? "-6 " : "") "-O --max-os-tries 1\""
				next
			}
			{ print }' "$tmp" >>"$out"
	done
}

ns=nk-$lab-lin1
for cfg in "${linux_configs[@]}"; do
	wanted linux || break
	saved=()
	for kv in $cfg; do
		kv=${kv//:/ }
		key=${kv%%=*}
		saved+=("$key=$(ip netns exec "$ns" sysctl -n "$key" | tr '\t' ' ')")
		ip netns exec "$ns" sysctl -qw "$kv"
	done
	short=$(echo "$cfg" | sed 's/net\.ipv4\.//g; s/net\.ipv6\.conf\.eth0\.//g; s/ /, /g')
	record "$([ -n "$v6" ] && echo 2001:db8:7::11 || echo 198.18.7.11)" "Linux $majmin${short:+ ($short)}" "Linux | Linux | ${majmin%%.*}.X | general purpose" \
		"cpe:/o:linux:linux_kernel:$majmin" "$kpkg" "${short:-sysctl defaults}"
	for kv in "${saved[@]}"; do ip netns exec "$ns" sysctl -qw "$kv"; done
done

lwip_pkg=$(dpkg-query -W -f '${Package} ${Version}' liblwip0)
slirp_pkg=$(dpkg-query -W -f '${Package} ${Version}' libslirp0 2>/dev/null || echo none)
lwipv6_pkg=$(dpkg-query -W -f '${Package} ${Version}' liblwipv6-2 2>/dev/null || echo none)
uml_pkg=$(dpkg-query -W -f '${Package} ${Version}' user-mode-linux 2>/dev/null || echo none)
uml_kernel=$(linux.uml --version 2>/dev/null | head -1 || true)
passt_pkg=$(dpkg-query -W -f '${Package} ${Version}' passt 2>/dev/null || echo none)
ns3_pkg=$(dpkg-query -W -f '${Package} ${Version}' libns3-dev 2>/dev/null || echo none)
ovmf_pkg="$(dpkg-query -W -f '${Package} ${Version}' ovmf 2>/dev/null || echo none), $(dpkg-query -W -f '${Package} ${Version}' qemu-system-x86 2>/dev/null || echo none)"
gv_pkg=$(dpkg-query -W -f '${Package} ${Version}' golang-gvisor-gvisor-dev 2>/dev/null || echo none)
"$top/lab/osstacks.sh" "hosts${v6:+6}" "$lab" | while read -r addr stack cfg; do
	wanted "$stack" || continue
	case $stack in
	uml) record "$addr" "Linux ${uml_kernel%.*} UML (${cfg//net.ipv4./})" \
		"Linux | Linux | ${uml_kernel%%.*}.X | general purpose" "cpe:/o:linux:linux_kernel:${uml_kernel%.*}" \
		"$uml_pkg" "lab/stacks/uml_init.sh, ${cfg//net.ipv4./}" "$uml_kernel-um" ;;
	pasta) record "$addr" "passt pasta ($cfg)" "passt | passt | 2023.X | specialized" \
		"cpe:/a:passt:passt:2023-03-09" "$passt_pkg" "lab/osstacks.sh pasta_up, $cfg" ;;
	lwip) record "$addr" "lwIP 2.1 ($cfg)" "lwIP | lwIP | 2.X | specialized" \
		"cpe:/a:lwip_project:lwip:2.1.3" "$lwip_pkg" "lab/stacks/lwip_host.c, $cfg" ;;
	slirp) record "$addr" "Slirp 4.7 ($cfg)" "Slirp | Slirp | 4.X | specialized" \
		"cpe:/a:libslirp_project:libslirp:4.7.0" "$slirp_pkg" "lab/stacks/slirp_host.c, $cfg" ;;
	lwipv6) record "$addr" "LWIPv6 1.5a" "VirtualSquare | LWIPv6 | 1.X | specialized" \
		"cpe:/a:virtualsquare:lwipv6:1.5a" "$lwipv6_pkg" "lab/stacks/lwipv6_host.c, $cfg" ;;
	ns3) short=$(echo "$cfg" | sed 's/ns3::[A-Za-z0-9]*:://g')
		record "$addr" "ns-3 3.37 ($short)" "ns-3 | ns-3 | 3.X | specialized" \
		"cpe:/a:nsnam:ns-3:3.37" "$ns3_pkg" "lab/stacks/ns3_host.cc, $cfg" ;;
	edk2) PORTS_NOTE="22 and 80 closed: no open port" record "$addr" "EDK II 2022.11 OVMF ($cfg)" "TianoCore | EDK II | 2022.X | specialized" \
		"cpe:/a:tianocore:edk2:2022.11" "$ovmf_pkg" "lab/osstacks.sh edk2_up (UEFI HTTP boot), $cfg" ;;
	gvisor) record "$addr" "gVisor netstack (${cfg//NETKIT_GV_/})" "Google | gVisor | | general purpose" \
		"cpe:/a:google:gvisor" "$gv_pkg, $(go version | cut -d' ' -f3)" "lab/stacks/gvisor, ${cfg//NETKIT_GV_/}" ;;
	esac
done
rm -f "$tmp"
echo "recorded into $out" >&2
