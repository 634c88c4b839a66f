#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# init of a user-mode Linux guest (Debian user-mode-linux) started by
# lab/osstacks.sh: the host's / is its root, read-only (hostfs); the
# kernel hands init the boot line's NK_* words as environment: NK_ADDR
# (address/prefix of eth0), NK_GW (its default route), NK_ADDR6 and NK_GW6
# (the same for IPv6, optional), NK_SYSCTL (comma-
# separated key=value, may be empty or "defaults"). It serves HTTP on 80
# (22 stays closed) and says UML-UP on the console when ready.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
ip link set lo up
ip addr add "$NK_ADDR" dev eth0
ip link set eth0 up
ip route add default via "$NK_GW"
if [ -n "$NK_ADDR6" ]; then
	# IPv6 is a module in Debian's UML kernel (after crc-ccitt); no kmod
	# here: finit_module(2) (x86-64 syscall 313) from Python
	m=/usr/lib/uml/modules/$(uname -r)/kernel
	python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for p in sys.argv[1:]:
    if libc.syscall(313, os.open(p, os.O_RDONLY), b"", 0):
        print("uml_init: loading", p, os.strerror(ctypes.get_errno()))' \
		"$m/lib/crc-ccitt.ko" "$m/net/ipv6/ipv6.ko"
	ip addr add "$NK_ADDR6" dev eth0 nodad
	ip -6 route add default via "$NK_GW6"
fi
if [ -n "$NK_SYSCTL" ] && [ "$NK_SYSCTL" != defaults ]; then
	for kv in $(echo "$NK_SYSCTL" | tr , ' '); do sysctl -qw "$kv"; done
fi
# on both families when IPv6 came up, else IPv4 alone
any=0.0.0.0
[ -e /proc/net/if_inet6 ] && any=::
cd /tmp && python3 -m http.server --bind "$any" 80 >/dev/null 2>&1 &
echo "UML-UP $(uname -r)"
while :; do sleep 3600; done
