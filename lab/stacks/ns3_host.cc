/* SPDX-License-Identifier: Apache-2.0 */
/* A lab host whose TCP/IP stack is ns-3's (Debian libns3-dev): the network
 * simulator's own IPv4, ARP, ICMP and TCP, run in real time (ns-3's
 * RealtimeSimulatorImpl) on a tap device through an FdNetDevice, so the
 * lab's packets reach a simulated node. It creates the tap in the network
 * namespace it runs in (the lab's side of the link), gives the node
 * ADDR/PREFIX with gateway GW and MTU, and puts a PacketSink (accepting and
 * reading) on each TCP port given; every other port is closed, so ns-3
 * answers with its own RSTs, ICMP echo replies and port unreachables.
 * Arguments of the form ns3::Class::Attribute=value set ns-3 attribute
 * defaults (Config::SetDefault) before the node is built: the lab's
 * configurations (timestamps, window scaling, SACK, segment size, TTL).
 *
 *   lab-ns3-host TAP ADDR/PREFIX GW MTU PORT... [ns3::C::A=V...]  (runs until killed)
 *
 * Used by lab/osstacks.sh; packets reach it only from the lab. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/fd-net-device-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include "host_args.h"

using namespace ns3;

static int open_tap(const char *name)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the realtime simulator keeps running while it has events: one a second */
static void tick()
{
	Simulator::Schedule(Seconds(1), &tick);
}

/* ns3::Class::Attribute=value -> Config::SetDefault; false if not one */
static bool set_default(const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (strncmp(arg, "ns3::", 5) != 0 || !eq)
		return false;
	std::string name(arg, eq - arg);
	if (!Config::SetDefaultFailSafe(name, StringValue(eq + 1))) {
		fprintf(stderr, "lab-ns3-host: no attribute %s\n", name.c_str());
		exit(2);
	}
	return true;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s TAP ADDR/PREFIX GW MTU PORT... [ns3::C::A=V...]\n",
			argv[0]);
		return 2;
	}
	char addr[64];
	int prefix = host_addr_prefix(argv[2], addr, sizeof(addr), 24);
	struct in_addr a4;
	if (inet_pton(AF_INET, addr, &a4) != 1 || prefix < 0 || prefix > 32) {
		fprintf(stderr, "lab-ns3-host: bad address %s\n", argv[2]);
		return 2;
	}
	GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
	GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
	for (int i = 5; i < argc; i++)
		set_default(argv[i]);
	int fd = open_tap(argv[1]);
	if (fd < 0) {
		perror("lab-ns3-host: tap");
		return 1;
	}

	Ptr<Node> node = CreateObject<Node>();
	FdNetDeviceHelper fdh;
	Ptr<FdNetDevice> dev = DynamicCast<FdNetDevice>(fdh.Install(node).Get(0));
	dev->SetFileDescriptor(fd);
	/* a locally administered MAC made of the address: unique on the LAN */
	uint8_t mac[6] = {0x02, 0x00};
	memcpy(mac + 2, &a4.s_addr, 4);
	Mac48Address m;
	m.CopyFrom(mac);
	dev->SetAddress(m);
	dev->SetMtu(atoi(argv[4]));

	InternetStackHelper stack;
	stack.Install(node);
	Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
	uint32_t ifi = ipv4->AddInterface(dev);
	ipv4->AddAddress(ifi,
			 Ipv4InterfaceAddress(Ipv4Address(addr),
					      Ipv4Mask(("/" + std::to_string(prefix)).c_str())));
	ipv4->SetUp(ifi);
	Ipv4StaticRoutingHelper routing;
	routing.GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(argv[3]), ifi);

	for (int i = 5; i < argc; i++) {
		if (strncmp(argv[i], "ns3::", 5) == 0)
			continue;
		PacketSinkHelper sink(
			"ns3::TcpSocketFactory",
			InetSocketAddress(Ipv4Address::GetAny(), (uint16_t)atoi(argv[i])));
		sink.Install(node).Start(Seconds(0));
	}
	Simulator::Schedule(Seconds(1), &tick);
	Simulator::Run();
	Simulator::Destroy();
	return 0;
}
