#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The OS-detection lab (lab/osstacks.lab): Linux hosts with different
# sysctls and user-space stacks, on one LAN 198.18.7.0/24 behind router r.
# Run it inside `unshare --net` (or a test's own network namespace):
# nothing here reaches this machine's network.
#
#   lab/osstacks.sh up [NAME]      # prints NAME; default name osstk
#   lab/osstacks.sh hosts [NAME]   # "ADDR STACK CONFIG" per target host
#   lab/osstacks.sh hosts6 [NAME]  # the same for the hosts that speak IPv6 (-6 -O)
#   lab/osstacks.sh down [NAME]
#
# Hosts (the stack, how it is configured):
#   198.18.7.11 lin1  Linux, sysctl defaults
#   198.18.7.12 lin2  Linux, tcp_timestamps=0
#   198.18.7.13 lin3  Linux, ip_default_ttl=128 tcp_window_scaling=0
#   198.18.7.14 lin4  Linux, tcp_sack=0 tcp_ecn=1
#   198.18.7.21       lwIP 2.1.3 (Debian liblwip0), MTU 1500, port 80 open
#   198.18.7.22       lwIP 2.1.3 (Debian liblwip0), MTU 576, port 80 open
#   198.18.7.41       LWIPv6 1.5a (Debian liblwipv6-2), port 80 open
#   198.18.7.31       gVisor netstack (Debian golang-gvisor-gvisor-dev), defaults
#   198.18.7.32       gVisor netstack, SACK on, default TTL 128, MTU 1400
#   198.18.7.33       gVisor netstack, SACK on
#   198.18.7.34       gVisor netstack, default TTL 128
#   198.18.7.23       lwIP 2.1.3, MTU 1000
#   198.18.7.51       Slirp (Debian libslirp0), its virtual host; port 80 open
#                     (relayed to 127.0.0.1:80 in r, where lab-slirp-host listens)
#   198.18.7.52       Slirp, MTU 1000
#   198.18.9.254      pasta (Debian passt), its gateway address; the tap in pg1
#                     (198.18.7.61 on the LAN routes 198.18.9.0/24 to it),
#                     pasta in ph1 (port 80: the lab's http there)
#   198.18.10.254     pasta, MTU 1500 (pg2, ph2)
#   198.18.7.71       user-mode Linux 6.1 (Debian user-mode-linux), defaults;
#                     its tap in r's LAN, init lab/stacks/uml_init.sh
#   198.18.7.72       user-mode Linux 6.1, tcp_timestamps=0
#   198.18.7.81       ns-3 3.37 (Debian libns3-dev): the simulator's own stack
#                     in real time on a tap (lab/stacks/ns3_host.cc), defaults
#                     (536-byte segments, timestamps, window scaling, SACK)
#   198.18.7.82       ns-3, no timestamps/window scaling/SACK, 1460-byte segments,
#                     8 KiB receive buffer
#   198.18.7.83       ns-3, default TTL 128, ECN on
#   198.18.7.91       EDK II 2022.11 (Debian ovmf: OVMF.fd) in qemu (TCG) on a
#                     virtio-net tap: the firmware's own stack during UEFI HTTP
#                     boot (DHCP from dnsmasq on r's lan, an endless download
#                     from lab/stacks/edk2_boot.py on 198.18.7.1:8080); no
#                     open port: 22 and 80 closed (reset)
#   198.18.7.92       EDK II, OVMF_CODE_4M.fd (pflash, its own variables), 2 CPUs
# The gVisor host is built on first use into the build directory (go build).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
nk=${NETKIT:-$top/build/netkit}
# the stacks are targets, not netkit under test: the plain build's (an
# ASan-built LWIPv6 host loses its port unreachables), else netkit's own dir
bin=${NETKIT_STACKS:-$top/build}
[ -x "$bin/lab-lwip-host" ] || bin=$(dirname "$nk")
cmd=${1:-}
name=${2:-osstk}
HOSTS="198.18.7.11 linux lin1 -
198.18.7.12 linux lin2 net.ipv4.tcp_timestamps=0
198.18.7.13 linux lin3 net.ipv4.ip_default_ttl=128,net.ipv4.tcp_window_scaling=0
198.18.7.14 linux lin4 net.ipv4.tcp_sack=0,net.ipv4.tcp_ecn=1
198.18.7.21 lwip tapl1 mtu=1500
198.18.7.22 lwip tapl2 mtu=576
198.18.7.41 lwipv6 tapv1 defaults
198.18.7.31 gvisor tapg1 mtu=1500
198.18.7.32 gvisor tapg2 mtu=1400,NETKIT_GV_SACK=1,NETKIT_GV_TTL=128
198.18.7.33 gvisor tapg3 mtu=1500,NETKIT_GV_SACK=1
198.18.7.34 gvisor tapg4 mtu=1500,NETKIT_GV_TTL=128
198.18.7.23 lwip tapl3 mtu=1000
198.18.7.51 slirp taps1 mtu=1500
198.18.7.52 slirp taps2 mtu=1000
198.18.9.254 pasta 1 mtu=65520
198.18.10.254 pasta 2 mtu=1500
198.18.7.71 uml tapu1 defaults
198.18.7.72 uml tapu2 net.ipv4.tcp_timestamps=0
198.18.7.81 ns3 tapn1 mtu=1500
198.18.7.82 ns3 tapn2 mtu=1500,ns3::TcpSocketBase::Timestamp=false,ns3::TcpSocketBase::WindowScaling=false,ns3::TcpSocketBase::Sack=false,ns3::TcpSocket::SegmentSize=1460,ns3::TcpSocket::RcvBufSize=8192
198.18.7.83 ns3 tapn3 mtu=1500,ns3::Ipv4L3Protocol::DefaultTtl=128,ns3::TcpSocketBase::UseEcn=On
198.18.7.91 edk2 tape1 ovmf=OVMF.fd
198.18.7.92 edk2 tape2 ovmf=OVMF_CODE_4M.fd,smp=2"

# a stack host's tap joins the LAN once its program has made it
attach() {
	for _ in $(seq 50); do ip -n "$r" link show "$1" >/dev/null 2>&1 && break; sleep 0.1; done
	ip -n "$r" link set "$1" master lan up ||
		echo "osstacks: $1 did not come up (/run/netkit/lab/$name/$1.log)" >&2
}

up() {
	"$nk" lab up "$top/lab/osstacks.lab" -q --name "$name" >/dev/null
	r=nk-$name-r
	while read -r addr stack where cfg; do
		case $stack in
		linux)
			[ "$cfg" = - ] && continue
			for kv in ${cfg//,/ }; do ip netns exec "nk-$name-$where" sysctl -qw "$kv"; done
			;;
		slirp)
			have "$stack" || { echo "osstacks: $bin/lab-$stack-host not built" >&2; continue; }
			# Slirp ARPs for the prober's off-link address: r answers for it
			ip netns exec "$r" sysctl -qw net.ipv4.conf.lan.proxy_arp=1
			ip netns exec "$r" env NETKIT_SLIRP_MTU="${cfg#mtu=}" "$bin/lab-slirp-host" "$where" \
				"$addr" 198.18.7.0/24 80 \
				>"/run/netkit/lab/$name/$where.log" 2>&1 &
			echo $! >"/run/netkit/lab/$name/$where.pid"
			attach "$where"
			;;
		pasta)
			have pasta || { echo "osstacks: pasta (Debian passt) not installed" >&2; continue; }
			pasta_up "$addr" "$where" "${cfg#mtu=}"
			;;
		edk2)
			have edk2 || { echo "osstacks: qemu-system-x86_64 or ovmf not installed" >&2; continue; }
			edk2_up "$addr" "$where" "$cfg"
			;;
		uml)
			have uml || { echo "osstacks: linux.uml (Debian user-mode-linux) not installed" >&2; continue; }
			uml_up "$addr" "$where" "$cfg"
			;;
		lwipv6)
			have "$stack" || { echo "osstacks: $bin/lab-$stack-host not built" >&2; continue; }
			ip netns exec "$r" env NETKIT_LWIPV6_ADDR6="2001:db8:7::${addr##*.}/64" \
				NETKIT_LWIPV6_GW6=2001:db8:7::1 \
				"$bin/lab-lwipv6-host" "$where" "$addr/24" 198.18.7.1 80 \
				>"/run/netkit/lab/$name/$where.log" 2>&1 &
			echo $! >"/run/netkit/lab/$name/$where.pid"
			attach "$where"
			;;
		ns3)
			have "$stack" || { echo "osstacks: $bin/lab-$stack-host not built" >&2; continue; }
			local attrs=()
			for kv in ${cfg//,/ }; do [[ $kv == ns3::* ]] && attrs+=("$kv"); done
			ip netns exec "$r" "$bin/lab-ns3-host" "$where" "$addr/24" 198.18.7.1 \
				"$(echo "$cfg" | tr , '\n' | sed -n 's/^mtu=//p')" 80 "${attrs[@]}" \
				>"/run/netkit/lab/$name/$where.log" 2>&1 &
			echo $! >"/run/netkit/lab/$name/$where.pid"
			attach "$where"
			;;
		lwip | gvisor)
			have "$stack" || { echo "osstacks: $bin/lab-$stack-host not built" >&2; continue; }
			local mtu env=()
			mtu=$(echo "$cfg" | tr , '\n' | sed -n 's/^mtu=//p')
			for kv in ${cfg//,/ }; do [[ $kv == NETKIT_* ]] && env+=("$kv"); done
			[ "$stack" = gvisor ] && env+=("NETKIT_GV_ADDR6=2001:db8:7::${addr##*.}/64"
				"NETKIT_GV_GW6=2001:db8:7::1")
			ip netns exec "$r" env "${env[@]}" "$bin/lab-$stack-host" "$where" "$addr/24" \
				198.18.7.1 "$mtu" 80 >"/run/netkit/lab/$name/$where.log" 2>&1 &
			echo $! >"/run/netkit/lab/$name/$where.pid"
			attach "$where"
			;;
		esac
	done <<<"$HOSTS"
	edk2_wait
	# every target answers before we say it is up
	for addr in $(hosts | awk '{print $1}'); do
		for _ in $(seq 50); do
			ip netns exec "nk-$name-client" ping -c1 -W1 -q "$addr" >/dev/null 2>&1 && break
			sleep 0.1
		done
	done
	echo "$name"
}

# pasta N's host side: ph N with one routable interface (a veth whose peer
# stays there: nothing leaves) whose gateway ADDR is its own loopback
# address (pasta maps the gateway to loopback for TCP; ICMP echoes go
# there); its guest side: the tap it makes in pg N, which forwards
# the LAN's packets for ADDR's /24 to it.
pasta_up() {
	local gw=$1 ph=nk-$name-ph$2 pg=nk-$name-pg$2 mtu=$3 net=${1%.*}
	ip -n "$ph" link add d0 type veth peer name d1
	ip -n "$ph" addr add "$net.1/24" dev d0
	ip -n "$ph" link set d0 up
	ip -n "$ph" link set d1 up
	ip -n "$ph" addr add "$gw/32" dev lo
	ip -n "$ph" route add default via "$gw" dev d0
	ip netns exec "$ph" sysctl -qw net.ipv4.ping_group_range="0 0"
	ip netns exec "$ph" pasta --runas 0 -q -f -m "$mtu" --netns "$pg" \
		>"/run/netkit/lab/$name/tapp$2.log" 2>&1 &
	echo $! >"/run/netkit/lab/$name/tapp$2.pid"
	for _ in $(seq 50); do ip -n "$pg" link show d0 >/dev/null 2>&1 && break; sleep 0.1; done
	ip -n "$pg" addr add "$net.1/24" dev d0
	ip -n "$pg" link set d0 up
}

# a user-mode Linux guest on tap WHERE in r's LAN; waits for its init
uml_up() {
	local log=/run/netkit/lab/$name/$2.log
	ip -n "$r" tuntap add "$2" mode tap
	ip -n "$r" link set "$2" master lan up
	ip netns exec "$r" linux.uml mem=160M root=/dev/root rootfstype=hostfs rootflags=/ ro \
		init="$top/lab/stacks/uml_init.sh" NK_ADDR="$1/24" NK_GW=198.18.7.1 NK_ADDR6="2001:db8:7::${1##*.}/64" \
		NK_GW6=2001:db8:7::1 NK_SYSCTL="$3" \
		eth0=tuntap,"$2" con=null con0=fd:0,fd:1 </dev/null >"$log" 2>&1 &
	echo $! >"/run/netkit/lab/$name/$2.pid"
	for _ in $(seq 300); do
		grep -q UML-UP "$log" && { : >"/run/netkit/lab/$name/$2.up"; return; }
		sleep 0.2
	done
	echo "osstacks: user-mode Linux on $2 did not come up ($log)" >&2
}

# an EDK II firmware (OVMF in qemu, TCG: the same on every machine) on tap
# WHERE in r's LAN, HTTP-booting from r; the first one starts r's DHCP
# server (dnsmasq: the EDK II hosts' MACs only) and the boot server
edk2_up() {
	local addr=$1 tap=$2 cfg=$3 run=/run/netkit/lab/$name fw smp mac
	mac=$(printf '02:00:%02x:%02x:%02x:%02x' ${addr//./ })
	if [ ! -e "$run/tape-dhcp.pid" ]; then
		grep ' edk2 ' <<<"$HOSTS" | while read -r a _; do
			printf '02:00:%02x:%02x:%02x:%02x,%s\n' ${a//./ } "$a"
		done >"$run/edk2.hosts"
		ip netns exec "$r" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 \
			--interface=lan --bind-interfaces --dhcp-range=198.18.7.0,static,255.255.255.0 \
			--dhcp-hostsfile="$run/edk2.hosts" --dhcp-leasefile="$run/edk2.leases" \
			--dhcp-vendorclass=set:http,HTTPClient --dhcp-option-force=tag:http,60,HTTPClient \
			--dhcp-boot=tag:http,http://198.18.7.1:8080/boot.efi >"$run/tape-dhcp.log" 2>&1 &
		echo $! >"$run/tape-dhcp.pid"
		ip netns exec "$r" "$top/lab/stacks/edk2_boot.py" 198.18.7.1 8080 >"$run/tape-http.log" 2>&1 &
		echo $! >"$run/tape-http.pid"
	fi
	fw=$(tr , '\n' <<<"$cfg" | sed -n 's/^ovmf=//p')
	smp=$(tr , '\n' <<<"$cfg" | sed -n 's/^smp=//p')
	local boot=(-bios /usr/share/ovmf/OVMF.fd)
	if [ "$fw" != OVMF.fd ]; then
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$run/$tap.vars"
		boot=(-drive "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/$fw"
			-drive "if=pflash,format=raw,file=$run/$tap.vars")
	fi
	ip -n "$r" tuntap add "$tap" mode tap
	ip -n "$r" link set "$tap" master lan up
	ip netns exec "$r" qemu-system-x86_64 -accel tcg -m 256 -smp "${smp:-1}" -display none \
		"${boot[@]}" -serial "file:$run/$tap.log" \
		-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n \
		-fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n \
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
		-device "virtio-net-pci,netdev=n0,romfile=,mac=$mac" </dev/null >"$run/$tap.qemu" 2>&1 &
	echo $! >"$run/$tap.pid"
}

# the EDK II hosts are up once each has begun its download (they boot in
# parallel: ~10 s each under TCG; up to 120 s waited)
edk2_wait() {
	local run=/run/netkit/lab/$name addr tap
	[ -e "$run/tape-http.log" ] || return 0
	while read -r addr _ tap _; do
		for _ in $(seq 600); do
			grep -q "^GET $addr\$" "$run/tape-http.log" && { : >"$run/$tap.up"; break; }
			sleep 0.2
		done
		[ -e "$run/$tap.up" ] || echo "osstacks: EDK II on $tap did not boot ($run/$tap.log)" >&2
	done < <(grep ' edk2 ' <<<"$HOSTS")
}

# lab-lwip-host is built by meson; lab-gvisor-host here, when Go and
# Debian's gVisor sources are installed
have() {
	# (again when its source is newer than the build)
	if [ "$1" = gvisor ] && { [ ! -x "$bin/lab-gvisor-host" ] ||
		[ "$top/lab/stacks/gvisor/main.go" -nt "$bin/lab-gvisor-host" ]; } &&
		command -v go >/dev/null &&
		[ -d /usr/share/gocode/src/gvisor.dev/gvisor ]; then
		(cd "$top/lab/stacks/gvisor" && GOPATH=/usr/share/gocode GO111MODULE=off \
			GOCACHE=${GOCACHE:-$bin/.gocache} go build -o "$bin/lab-gvisor-host" .) >&2 || true
	fi
	[ "$1" = pasta ] && { command -v pasta >/dev/null; return; }
	[ "$1" = uml ] && { command -v linux.uml >/dev/null; return; }
	[ "$1" = edk2 ] && { command -v qemu-system-x86_64 >/dev/null && [ -e /usr/share/ovmf/OVMF.fd ] &&
		command -v dnsmasq >/dev/null; return; }
	[ -x "$bin/lab-$1-host" ]
}

hosts() {
	while read -r addr stack where cfg; do
		[ "$stack" != linux ] && ! have "$stack" && continue
		# a user-mode Linux that did not boot (a loaded machine) is left out
		[ "$stack" = uml ] && [ ! -e "/run/netkit/lab/$name/$where.up" ] && continue
		[ "$stack" = edk2 ] && [ ! -e "/run/netkit/lab/$name/$where.up" ] && continue
		echo "$addr $stack $cfg"
	done <<<"$HOSTS"
}

# IPv6: the Linux hosts 2001:db8:7::11-14, user-mode Linux ::71-72, LWIPv6 ::41,
# gVisor netstack ::31-34
hosts6() {
	hosts | while read -r addr stack cfg; do
		case $stack in
		linux | uml | lwipv6 | gvisor) echo "2001:db8:7::${addr##*.} $stack $cfg" ;;
		esac
	done
}

down() {
	for f in /run/netkit/lab/"$name"/tap*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
	done
	"$nk" lab down "$name" >/dev/null
}

case $cmd in
up) up ;;
hosts) hosts ;;
hosts6) hosts6 ;;
down) down ;;
*) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
