#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make deb-test`: the package of build-deb/ installed with dpkg into a
# throwaway root, tried, purged. The root is a copy-on-write view of this
# machine's / (overlayfs, its upper layer on a tmpfs) entered with chroot
# inside new mount, PID and network namespaces: dpkg checks the package's
# dependencies against this machine's own packages, the postinst sets the
# file capability, and nothing reaches this machine's root, network or
# dpkg database; it all goes when the namespaces end. The network is a
# namespace of its own with only loopback up, and the scans go there.
# Checks: the files where they belong, getcap, netkit --version, each
# tool link, ip/route/ss output equal to iproute2's and net-tools' in the
# same namespace, nmap -sS and mtr as user nobody through the file
# capability, man pages through PATH, the bash completion, then a purge
# that leaves none of the package's files. Prints "deb-test: ok" or the
# first failing check. ~10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls build-deb/netkit_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || {
	echo "deb-test: no build-deb/netkit_*.deb (make deb first)"
	exit 1
}
tmp=$(mktemp -d /tmp/netkit-debtest.XXXXXX)
trap 'rmdir "$tmp" 2>/dev/null || true' EXIT
cp "$deb" "$tmp.deb"
trap 'rm -f "$tmp.deb"; rmdir "$tmp" 2>/dev/null || true' EXIT
unshare --mount --pid --net --fork -- bash -euo pipefail -s "$tmp" "$tmp.deb" <<'OUTER'
tmp=$1 deb=$2
mount --make-rprivate /
mount -t tmpfs -o size=512m tmpfs "$tmp"
mkdir "$tmp/upper" "$tmp/work" "$tmp/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/root"
r=$tmp/root
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount --rbind /sys "$r/sys"
mount -t tmpfs tmpfs "$r/run"
mount -t tmpfs tmpfs "$r/tmp"
cp "$deb" "$r/tmp/netkit.deb"
ip link set lo up
exec chroot "$r" /bin/bash -euo pipefail <<'INNER'
fail() { echo "deb-test: FAIL: $*"; exit 1; }
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
dpkg -i /tmp/netkit.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i"; }
dpkg -s netkit | grep -q '^Status: install ok installed' || fail "not installed"
for f in /usr/bin/netkit /usr/share/netkit/nmap/services /usr/share/netkit/nse/driver.lua \
	/usr/share/bash-completion/completions/netkit /usr/share/man/man1/netkit.1.gz \
	/usr/lib/netkit/man/man8/ip.8 /usr/lib/netkit/man/man1/nmap.1 \
	/usr/share/doc/netkit/copyright /usr/share/doc/netkit/README.Debian; do
	[ -e "$f" ] || fail "$f missing"
done
for t in ip ss route mtr nmap; do
	[ "$(readlink -f /usr/lib/netkit/bin/$t)" = /usr/bin/netkit ] || fail "link $t"
	[ -e /usr/bin/$t ] && [ "$(readlink -f /usr/bin/$t)" = /usr/bin/netkit ] && fail "/usr/bin/$t is netkit's"
done
getcap /usr/bin/netkit | grep -q 'cap_net_raw[=+]ep' || fail "no cap_net_raw: $(getcap /usr/bin/netkit)"
netkit --version | grep -q 'License: Apache-2.0' || fail "--version"
/usr/lib/netkit/bin/ip -V | grep -q 'iproute2' || fail "ip -V"
# the same namespace, the original and netkit's: equal output
nk=/usr/lib/netkit/bin
for cmd in "ip -br addr" "ip addr show lo" "ip route show table local" "ip -j link" \
	"route -n" "ss -ltn" "ss -s"; do
	set -- $cmd
	want=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@" 2>&1) || true
	got=$(PATH=$nk:/usr/sbin:/usr/bin:/sbin:/bin "$@" 2>&1) || true
	[ "$got" = "$want" ] || fail "$cmd differs: [$got] vs [$want]"
done
# an ordinary user, the file capability only: a SYN scan and mtr
python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 8080)); s.listen(); time.sleep(60)' &
srv=$!
sleep 0.5
asuser() { setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"; }
out=$(asuser env PATH=$nk:/usr/bin:/bin nmap -sS -n -p 8080,8081 127.0.0.1 2>&1) || fail "nmap -sS: $out"
echo "$out" | grep -Eq '^8080/tcp +open' || fail "nmap -sS 8080: $out"
echo "$out" | grep -Eq '^8081/tcp +closed' || fail "nmap -sS 8081: $out"
out=$(asuser env PATH=$nk:/usr/bin:/bin mtr -r -n -c 1 127.0.0.1 2>&1) || fail "mtr: $out"
echo "$out" | grep -q '127.0.0.1' || fail "mtr: $out"
out=$(asuser env PATH=$nk:/usr/bin:/bin ip route add 192.0.2.0/24 dev lo 2>&1) && fail "nobody added a route"
kill $srv
# man pages and completion through PATH
[ "$(PATH=$nk:$PATH man -w ip 2>/dev/null)" = /usr/lib/netkit/man/man8/ip.8 ] || fail "man -w ip: $(PATH=$nk:$PATH man -w ip 2>&1)"
[ "$(man -w netkit)" = /usr/share/man/man1/netkit.1.gz ] || fail "man -w netkit"
comp=$(bash -c '. /usr/share/bash-completion/completions/netkit
	COMP_WORDS=(netkit ip li); COMP_CWORD=2; _netkit_main; echo "${COMPREPLY[*]}"')
[ "$comp" = link ] || fail "completion: [$comp]"
dpkg --purge netkit >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg --purge"; }
for f in /usr/bin/netkit /usr/lib/netkit /usr/share/netkit /usr/share/doc/netkit \
	/usr/share/bash-completion/completions/netkit; do
	[ -e "$f" ] && fail "$f left after purge"
done
echo "deb-test: ok"
INNER
OUTER
