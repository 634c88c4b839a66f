#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# init of a user-mode Linux guest (Debian user-mode-linux) started by
# lab/osstacks.sh: the host's / is its root, read-only (hostfs); the
# kernel hands init the boot line's NK_* words as environment: NK_ADDR
# (address/prefix of eth0), NK_GW (its default route), NK_SYSCTL (comma-
# separated key=value, may be empty or "defaults"). It serves HTTP on 80
# (22 stays closed) and says UML-UP on the console when ready.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
ip link set lo up
ip addr add "$NK_ADDR" dev eth0
ip link set eth0 up
ip route add default via "$NK_GW"
if [ -n "$NK_SYSCTL" ] && [ "$NK_SYSCTL" != defaults ]; then
	for kv in $(echo "$NK_SYSCTL" | tr , ' '); do sysctl -qw "$kv"; done
fi
cd /tmp && python3 -m http.server 80 >/dev/null 2>&1 &
echo "UML-UP $(uname -r)"
while :; do sleep 3600; done
