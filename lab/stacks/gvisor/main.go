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
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

func die(f string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "lab-gvisor-host: "+f+"\n", a...)
	os.Exit(1)
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
	s := stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol, udp.NewProtocol, icmp.NewProtocol4},
	})
	// configurations: NETKIT_GV_SACK=1 turns SACK on, NETKIT_GV_TTL sets the default TTL
	if os.Getenv("NETKIT_GV_SACK") == "1" {
		opt := tcpip.TCPSACKEnabled(true)
		s.SetTransportProtocolOption(tcp.ProtocolNumber, &opt)
	}
	if t, err := strconv.Atoi(os.Getenv("NETKIT_GV_TTL")); err == nil {
		opt := tcpip.DefaultTTLOption(t)
		s.SetNetworkProtocolOption(ipv4.ProtocolNumber, &opt)
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
	s.SetRouteTable([]tcpip.Route{{Destination: sub, Gateway: tcpip.Address(gw), NIC: 1}})
	for _, p := range os.Args[5:] {
		port, err := strconv.Atoi(p)
		if err != nil {
			die("bad port %s", p)
		}
		l, err := gonet.ListenTCP(s, tcpip.FullAddress{NIC: 1, Port: uint16(port)}, ipv4.ProtocolNumber)
		if err != nil {
			die("listen %d: %v", port, err)
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	fmt.Fprintf(os.Stderr, "gVisor netstack %s up on %s\n", v4, os.Args[1])
	select {}
}
