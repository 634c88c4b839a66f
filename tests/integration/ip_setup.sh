#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fill network namespace $1 (already created) with many kinds of objects
# for the ip comparison tests: veth pairs (one end in a second namespace
# $2), a bridge with a port, macvlan, ifb, IPv4/IPv6 addresses, routes in
# several tables, multipath routes, neighbours in several states.
set -e
NS=$1
PEER=$2
x() { ip -n "$NS" "$@"; }
# no duplicate address detection: addresses and their routes are final at
# once, so two tools reading the namespace one after the other agree
for n in "$NS" "$PEER"; do
	ip netns exec "$n" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad;
		echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad' 2>/dev/null || true
done
x link set lo up
x link add veth0 type veth peer name veth1
x link add vpeer type veth peer name vout netns "$PEER"
x link add br0 type bridge forward_delay 0
x link add dum0 type ifb
x link add dum1 mtu 1400 type ifb
x link add mv0 link veth0 type macvlan mode bridge
x link set veth1 master br0
x link set dev dum1 alias "test alias"
for d in veth0 veth1 vpeer br0 dum0 mv0; do x link set $d up; done
ip -n "$PEER" link set vout up
x addr add 198.18.0.1/24 dev veth0
x addr add 198.18.0.5/24 dev veth0
x addr add 198.18.1.1/24 brd + dev vpeer
x addr add 2001:db8::1/64 dev veth0 nodad
x addr add 2001:db8:1::1/64 dev vpeer nodad
x addr add 198.18.2.1 peer 198.18.2.2 dev dum0
x addr add 198.18.3.1/24 dev dum0 label dum0:1
x addr add 2001:db8:2::1/64 dev dum0 nodad valid_lft 3600 preferred_lft 1800
x addr add 198.18.4.1/24 dev mv0 metric 50
ip -n "$PEER" addr add 198.18.1.2/24 dev vout
ip -n "$PEER" addr add 2001:db8:1::2/64 dev vout nodad
x route add 203.0.113.0/24 via 198.18.0.2
x route add 203.0.114.0/24 via 198.18.1.2 metric 100 proto static
x route add 203.0.115.0/24 nexthop via 198.18.0.2 weight 1 nexthop via 198.18.1.2 weight 3
x route add 203.0.116.0/24 dev dum0 scope link table 100
x route add default via 198.18.0.2 table 100
x route add blackhole 203.0.117.0/24
x route add unreachable 203.0.118.0/24 metric 7
x route add prohibit 203.0.119.0/24
x route add 203.0.120.0/24 via 198.18.0.2 mtu 1300 advmss 1200
x route add 2001:db8:10::/48 via 2001:db8::2
x route add 2001:db8:11::/48 nexthop via 2001:db8::2 nexthop via 2001:db8:1::2
x route add 2001:db8:12::/48 dev dum0 metric 5 pref high
x route add default via 198.18.0.2 metric 200
x neigh add 198.18.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
x neigh add 198.18.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale
x neigh add 198.18.0.4 dev veth0 nud failed 2>/dev/null || true
x neigh add 2001:db8::2 lladdr 02:00:00:00:00:12 dev veth0 nud reachable
x neigh add 198.18.0.9 lladdr 02:00:00:00:00:09 dev veth0 nud noarp
x neigh add proxy 198.18.0.77 dev veth0
