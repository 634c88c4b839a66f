#!/usr/bin/env bash
# A small routed path for mtr's tests and benchmark, until (and besides)
# the shared lab: namespaces PREFIX-{c,r1,r2,t} on a line, addresses as in
# lab/README.md, and with "ecmp" two parallel routers PREFIX-{r2,r2b}
# between r1 and the target's gateway PREFIX-r3, r1 balancing flows
# over both (layer-4 hash), so per-packet flow changes show up as extra hops.
#   mtr_topo.sh up PREFIX [line|ecmp] [NETEM-SPEC...]   (one spec per link,
#     e.g. "delay 5ms loss 5%"; "-" for none; applied on both directions,
#     with sch_netem if the kernel has it, else with tests/tools/nk_impair.c
#     on an NFQUEUE: "delay Nms [Jms] loss P%")
#   mtr_topo.sh down PREFIX
# Every host answers with ICMP errors without rate limiting, so a fast run
# measures the path, not the kernel's token bucket, and unprivileged users
# may open ICMP datagram sockets (ping_group_range).
set -eu
cmd=$1 p=$2
shift 2
ns() { ip netns exec "$p-$1" "${@:2}"; }

down() {
	for h in c r1 r2 r2b r3 t; do
		ip netns del "$p-$h" 2>/dev/null || true
		rm -rf "/etc/netns/$p-$h"
	done
	[ -f "/tmp/$p-dnsmasq.pid" ] && kill "$(cat /tmp/$p-dnsmasq.pid)" 2>/dev/null || true
	rm -f "/tmp/$p-dnsmasq.pid" "/tmp/$p-dnsmasq.conf"
	if [ -f "/tmp/$p-impair.pids" ]; then
		# shellcheck disable=SC2046
		kill $(cat "/tmp/$p-impair.pids") 2>/dev/null || true
		rm -f "/tmp/$p-impair.pids"
	fi
}

IMPAIR=/tmp/nk-impair-$(id -u)
qnum=0
# impair HOST IFACE SPEC: delay/loss on the interface's egress
impair() {
	local delay=0 jitter=0 loss=0 w
	# shellcheck disable=SC2086
	set -- "$1" "$2" $3
	local h=$1 ifc=$2
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		delay)
			delay=${2%ms}
			shift 2
			case ${1:-} in *ms) jitter=${1%ms}; shift ;; esac
			;;
		loss) loss=${2%%%}; shift 2 ;;
		*) shift ;;
		esac
	done
	if ns "$h" tc qdisc add dev "$ifc" root netem delay "${delay}ms" "${jitter}ms" loss "${loss}%" \
		limit 100000 2>/dev/null; then
		return
	fi
	local src
	src=$(dirname "$0")/../tools/nk_impair.c
	if [ ! -x "$IMPAIR" ] || [ "$src" -nt "$IMPAIR" ]; then
		cc -O2 -D_GNU_SOURCE -o "$IMPAIR" "$src" -lnetfilter_queue
	fi
	qnum=$((qnum + 1))
	# real-time priority: a busy machine must not add its scheduling delay
	ip netns exec "$p-$h" chrt -f 10 "$IMPAIR" "$qnum" "$delay" "$loss" "$jitter" \
		</dev/null >/dev/null 2>&1 &
	echo $! >>"/tmp/$p-impair.pids"
	sleep 0.1
	for w in iptables ip6tables; do
		ns "$h" $w -t mangle -A POSTROUTING -o "$ifc" -j NFQUEUE --queue-num "$qnum"
	done
}

# link A IFA ADDRS-A B IFB ADDRS-B NETEM
link() {
	ip link add "$2" netns "$p-$1" type veth peer name "$5" netns "$p-$4"
	for a in $3; do ns "$1" ip addr add "$a" dev "$2" nodad 2>/dev/null || ns "$1" ip addr add "$a" dev "$2"; done
	for a in $6; do ns "$4" ip addr add "$a" dev "$5" nodad 2>/dev/null || ns "$4" ip addr add "$a" dev "$5"; done
	ns "$1" ip link set "$2" up
	ns "$4" ip link set "$5" up
	if [ -n "${7:-}" ] && [ "$7" != - ]; then
		impair "$1" "$2" "$7"
		impair "$4" "$5" "$7"
	fi
}

router() {
	ns "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
		net.ipv4.fib_multipath_hash_policy=1 net.ipv6.fib_multipath_hash_policy=1
}

up() {
	local topo=${1:-line}
	shift || true
	local l1=${1:--} l2=${2:--} l3=${3:--}
	down
	local hosts="c r1 r2 t"
	[ "$topo" = ecmp ] && hosts="c r1 r2 r2b r3 t"
	for h in $hosts; do
		ip netns add "$p-$h"
		ns "$h" ip link set lo up
		ns "$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
			net.ipv4.ping_group_range="0 2147483647"
		mkdir -p "/etc/netns/$p-$h"
		printf 'nameserver 198.18.3.53\n' >"/etc/netns/$p-$h/resolv.conf"
		printf '127.0.0.1 localhost\n' >"/etc/netns/$p-$h/hosts"
	done
	link c eth0 "198.18.1.2/24 2001:db8:1::2/64" r1 eth0 "198.18.1.1/24 2001:db8:1::1/64" "$l1"
	ns c ip route add default via 198.18.1.1
	ns c ip -6 route add default via 2001:db8:1::1
	router r1
	if [ "$topo" = ecmp ]; then
		link r1 eth1 "198.18.12.1/24 2001:db8:12::1/64" r2 eth0 "198.18.12.2/24 2001:db8:12::2/64" "$l2"
		link r1 eth2 "198.18.13.1/24 2001:db8:13::1/64" r2b eth0 "198.18.13.2/24 2001:db8:13::2/64" "$l2"
		link r2 eth1 "198.18.22.1/24 2001:db8:22::1/64" r3 eth0 "198.18.22.2/24 2001:db8:22::2/64" -
		link r2b eth1 "198.18.23.1/24 2001:db8:23::1/64" r3 eth1 "198.18.23.2/24 2001:db8:23::2/64" -
		link r3 eth2 "198.18.3.1/24 2001:db8:3::1/64" t eth0 "198.18.3.10/24 2001:db8:3::10/64 198.18.3.53/24 2001:db8:3::53/64" "$l3"
		router r2
		router r2b
		router r3
		ns r1 ip route add 198.18.3.0/24 nexthop via 198.18.12.2 nexthop via 198.18.13.2
		ns r1 ip -6 route add 2001:db8:3::/64 nexthop via 2001:db8:12::2 nexthop via 2001:db8:13::2
		for r in r2:198.18.22.2:2001:db8:22::2 r2b:198.18.23.2:2001:db8:23::2; do
			IFS=: read -r h v4 v6 <<<"$r"
			v6=${r#*:*:}
			ns "$h" ip route add 198.18.3.0/24 via "$v4"
			ns "$h" ip -6 route add 2001:db8:3::/64 via "$v6"
			ns "$h" ip route add default via "${v4%.2}.1" 2>/dev/null || true
		done
		ns r2 ip route replace default via 198.18.12.1
		ns r2b ip route replace default via 198.18.13.1
		ns r2 ip -6 route add default via 2001:db8:12::1
		ns r2b ip -6 route add default via 2001:db8:13::1
		ns r3 ip route add default nexthop via 198.18.22.1 nexthop via 198.18.23.1
		ns r3 ip -6 route add default nexthop via 2001:db8:22::1 nexthop via 2001:db8:23::1
	else
		link r1 eth1 "198.18.12.1/24 2001:db8:12::1/64" r2 eth0 "198.18.12.2/24 2001:db8:12::2/64" "$l2"
		link r2 eth1 "198.18.3.1/24 2001:db8:3::1/64" t eth0 "198.18.3.10/24 2001:db8:3::10/64 198.18.3.53/24 2001:db8:3::53/64" "$l3"
		router r2
		ns r1 ip route add 198.18.3.0/24 via 198.18.12.2
		ns r1 ip -6 route add 2001:db8:3::/64 via 2001:db8:12::2
		ns r2 ip route add default via 198.18.12.1
		ns r2 ip -6 route add default via 2001:db8:12::1
	fi
	ns t ip route add default via 198.18.3.1
	ns t ip -6 route add default via 2001:db8:3::1
	dns
}

# dnsmasq on the target: names, PTR and the AS TXT records mtr -z/-y asks for
dns() {
	cat >"/tmp/$p-dnsmasq.conf" <<CONF
no-resolv
no-hosts
bind-interfaces
listen-address=198.18.3.53
listen-address=2001:db8:3::53
except-interface=lo
host-record=client.lab,198.18.1.2,2001:db8:1::2
host-record=r1.lab,198.18.1.1,2001:db8:1::1
host-record=r1-b.lab,198.18.12.1,2001:db8:12::1
host-record=r1-c.lab,198.18.13.1,2001:db8:13::1
host-record=r2.lab,198.18.12.2,2001:db8:12::2
host-record=r2b.lab,198.18.13.2,2001:db8:13::2
host-record=r3.lab,198.18.22.2,2001:db8:22::2
host-record=r3-b.lab,198.18.23.2,2001:db8:23::2
host-record=r2-lan.lab,198.18.3.1,2001:db8:3::1
host-record=target.lab,198.18.3.10,2001:db8:3::10
host-record=dns.lab,198.18.3.53,2001:db8:3::53
txt-record=1.1.18.198.origin.asn.cymru.com,"64501 | 198.18.1.0/24 | ZZ | lab | 2026-01-01"
txt-record=2.12.18.198.origin.asn.cymru.com,"64512 | 198.18.12.0/24 | ZZ | lab | 2026-01-01"
txt-record=10.3.18.198.origin.asn.cymru.com,"64503 | 198.18.3.0/24 | ZZ | lab | 2026-01-01"
txt-record=1.3.18.198.origin.asn.cymru.com,"64503 | 198.18.3.0/24 | ZZ | lab | 2026-01-01"
txt-record=AS64501.asn.cymru.com,"64501 | ZZ | lab | 2026-01-01 | LAB-R1 - netkit lab"
txt-record=AS64512.asn.cymru.com,"64512 | ZZ | lab | 2026-01-01 | LAB-R2 - netkit lab"
txt-record=AS64503.asn.cymru.com,"64503 | ZZ | lab | 2026-01-01 | LAB-LAN - netkit lab"
CONF
	for a in 2001:db8:1::1 2001:db8:12::2 2001:db8:3::10 2001:db8:3::1; do
		local rev
		rev=$(python3 -c "import ipaddress,sys;print('.'.join(ipaddress.ip_address(sys.argv[1]).exploded.replace(':','')[:16][::-1]))" "$a")
		local asn=64503
		case $a in 2001:db8:1::*) asn=64501 ;; 2001:db8:12::*) asn=64512 ;; esac
		printf 'txt-record=%s.origin6.asn.cymru.com,"%s | %s/64 | ZZ | lab | 2026-01-01"\n' \
			"$rev" "$asn" "${a%::*}::" >>"/tmp/$p-dnsmasq.conf"
	done
	ns t dnsmasq -C "/tmp/$p-dnsmasq.conf" -x "/tmp/$p-dnsmasq.pid" -u root
}

case $cmd in
up) up "$@" ;;
down) down ;;
*) echo "usage: $0 up|down PREFIX [line|ecmp] [NETEM...]" >&2; exit 2 ;;
esac
