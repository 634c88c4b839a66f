// SPDX-License-Identifier: Apache-2.0
// A lab host whose TCP/IP stack is gVisor's netstack (Debian's
// golang-gvisor-gvisor-dev): an OS-detection target that is not the host
// kernel. It opens a tap device in the network namespace it runs in, gives
// the stack ADDR/PREFIX with gateway GW, and accepts (and closes) TCP
// connections on the ports given; netstack answers everything else itself
// (RSTs, ICMP echo replies and port unreachables).
//
//	lab-gvisor-host TAP ADDR/PREFIX GW MTU PORT...    (runs until killed)
//
// With NETKIT_GV_ADDR6=ADDR6/PREFIX (and NETKIT_GV_GW6) it speaks IPv6 too
// (neighbour discovery, ICMPv6) and listens on the ports there.
//
// Used by lab/osstacks.sh; packets reach it only from the lab.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/link/fdbased"
	"gvisor.dev/gvisor/pkg/tcpip/link/tun"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

func die(f string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "lab-gvisor-host: "+f+"\n", a...)
	os.Exit(1)
}

func serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// an IPv6-only listener beside the IPv4 one (a dual-stack endpoint would
// clash with it on the port)
func listen6(s *stack.Stack, port uint16) net.Listener {
	var wq waiter.Queue
	ep, e := s.NewEndpoint(tcp.ProtocolNumber, ipv6.ProtocolNumber, &wq)
	if e != nil {
		die("IPv6 endpoint: %v", e)
	}
	ep.SocketOptions().SetV6Only(true)
	if e := ep.Bind(tcpip.FullAddress{NIC: 1, Port: port}); e != nil {
		die("IPv6 bind %d: %v", port, e)
	}
	if e := ep.Listen(16); e != nil {
		die("IPv6 listen %d: %v", port, e)
	}
	return gonet.NewTCPListener(s, &wq, ep)
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: lab-gvisor-host TAP ADDR/PREFIX GW MTU PORT...")
		os.Exit(2)
	}
	ip, ipnet, err := net.ParseCIDR(os.Args[2])
	if err != nil {
		die("bad address %s", os.Args[2])
	}
	gw := net.ParseIP(os.Args[3]).To4()
	mtu, err := strconv.Atoi(os.Args[4])
	if gw == nil || err != nil {
		die("bad gateway or MTU")
	}
	fd, err := tun.OpenTAP(os.Args[1])
	if err != nil {
		die("cannot open tap %s: %v", os.Args[1], err)
	}
	v4 := ip.To4()
	mac := tcpip.LinkAddress([]byte{0x02, 0x47, 0x56, 0x00, v4[2], v4[3]})
	ep, err := fdbased.New(&fdbased.Options{FDs: []int{fd}, MTU: uint32(mtu),
		EthernetHeader: true, Address: mac})
	if err != nil {
		die("fdbased: %v", err)
	}
	a6 := os.Getenv("NETKIT_GV_ADDR6")
	nets := []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol}
	trans := []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol, icmp.NewProtocol4}
	if a6 != "" {
		nets = append(nets, ipv6.NewProtocol)
		trans = append(trans, icmp.NewProtocol6)
	}
	s := stack.New(stack.Options{NetworkProtocols: nets, TransportProtocols: trans})
	// configurations: NETKIT_GV_SACK=1 turns SACK on, NETKIT_GV_TTL sets the default TTL
	if os.Getenv("NETKIT_GV_SACK") == "1" {
		opt := tcpip.TCPSACKEnabled(true)
		s.SetTransportProtocolOption(tcp.ProtocolNumber, &opt)
	}
	if t, err := strconv.Atoi(os.Getenv("NETKIT_GV_TTL")); err == nil {
		opt := tcpip.DefaultTTLOption(t)
		s.SetNetworkProtocolOption(ipv4.ProtocolNumber, &opt)
		if a6 != "" {
			s.SetNetworkProtocolOption(ipv6.ProtocolNumber, &opt)
		}
	}
	if e := s.CreateNIC(1, ep); e != nil {
		die("nic: %v", e)
	}
	ones, _ := ipnet.Mask.Size()
	addr := tcpip.ProtocolAddress{Protocol: ipv4.ProtocolNumber,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpip.Address(v4), PrefixLen: ones}}
	if e := s.AddProtocolAddress(1, addr, stack.AddressProperties{}); e != nil {
		die("address: %v", e)
	}
	sub, _ := tcpip.NewSubnet(tcpip.Address(make([]byte, 4)), tcpip.AddressMask(make([]byte, 4)))
	routes := []tcpip.Route{{Destination: sub, Gateway: tcpip.Address(gw), NIC: 1}}
	if a6 != "" {
		ip6, net6, err := net.ParseCIDR(a6)
		gw6 := net.ParseIP(os.Getenv("NETKIT_GV_GW6")).To16()
		if err != nil || ip6.To4() != nil || gw6 == nil {
			die("bad IPv6 address or gateway")
		}
		ones6, _ := net6.Mask.Size()
		addr6 := tcpip.ProtocolAddress{Protocol: ipv6.ProtocolNumber,
			AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpip.Address(ip6.To16()), PrefixLen: ones6}}
		if e := s.AddProtocolAddress(1, addr6, stack.AddressProperties{}); e != nil {
			die("IPv6 address: %v", e)
		}
		sub6, _ := tcpip.NewSubnet(tcpip.Address(make([]byte, 16)), tcpip.AddressMask(make([]byte, 16)))
		routes = append(routes, tcpip.Route{Destination: sub6, Gateway: tcpip.Address(gw6), NIC: 1})
	}
	s.SetRouteTable(routes)
	for _, p := range os.Args[5:] {
		port, err := strconv.Atoi(p)
		if err != nil {
			die("bad port %s", p)
		}
		l, err := gonet.ListenTCP(s, tcpip.FullAddress{NIC: 1, Port: uint16(port)}, ipv4.ProtocolNumber)
		if err != nil {
			die("listen %d: %v", port, err)
		}
		go serve(l)
		if a6 != "" {
			go serve(listen6(s, uint16(port)))
		}
	}
	fmt.Fprintf(os.Stderr, "gVisor netstack %s up on %s\n", v4, os.Args[1])
	select {}
}
