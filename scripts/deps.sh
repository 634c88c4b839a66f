#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every build, test, lab and benchmark dependency from Debian's
# packages. Used by `make demo`, `make check` and .ci/run, so a fresh
# Debian 12 machine needs nothing else. Safe to run again.
set -euo pipefail
pkgs=(
  # build
  build-essential meson ninja-build pkg-config scdoc clang-format clang libclang-rt-14-dev
  # (c-ares and ncurses are linked from the static archives in their -dev packages)
  libmnl-dev libc-ares-dev libncurses-dev libcmocka-dev libpcre2-dev
  # the script engine: Lua 5.3 and LPeg, linked from their static archives
  liblua5.3-dev lua-lpeg-dev
  # least privilege (src/lib/util/priv.c): libcap, static; setcap/getcap
  libcap-dev libcap2-bin
  # tests
  python3 python3-pytest python3-pytest-timeout iproute2 net-tools iputils-ping traceroute
  dnsutils tmux util-linux procps psmisc iptables nftables
  # the netlink requests ip sends, read from strace (tests/integration/link_req.py)
  strace
  libxml2-utils xsltproc python3-libnmap
  # static analysis (scripts/cppcheck.sh and scripts/scan-build.sh in make check)
  cppcheck clang-tools
  # make deb (scripts/deb.sh): Debian's packaging tools and lintian
  debhelper lintian
  # the originals, our oracles and speed references
  nmap ndiff mtr-tiny masscan zmap
  # lab services
  dnsmasq openssh-server nginx-light redis-server memcached postgresql
  vsftpd dovecot-imapd dovecot-pop3d mariadb-server-core opensmtpd
  dropbear-bin lighttpd apache2 bind9 unbound mini-httpd tinyproxy-bin nsd knot webfs h2o
  rsync ngircd slapd snmpd coturn mosquitto beanstalkd gearman-job-server zabbix-agent subversion
  xinetd nats-server mumble-server kamailio gophernicus telnetd fingerd finger oidentd dante-server
  tigervnc-standalone-server xvfb samba rpcbind prosody xrdp
  # AMQP and ZooKeeper (desk): Erlang (~5 s to start) and a JVM (~1 s)
  rabbitmq-server zookeeper
  # the libraries of NTPsec's ntpd (unpacked below, not installed)
  libbsd0 libcap2 libssl3
  # lab OS-detection targets with other TCP/IP stacks (lab/osstacks.sh)
  liblwip-dev liblwipv6-dev libslirp-dev golang-go golang-gvisor-gvisor-dev passt user-mode-linux
  # ns-3 3.37 (lab/stacks/ns3_host.cc, C++: g++ comes with it; 47 MB installed)
  libns3-dev
  # EDK II's stack: OVMF in qemu (TCG), HTTP-booting from dnsmasq; qemu-system-x86
  # is ~43 MB installed with its 26 dependencies (~10 s to install), ovmf ~15 MB
  qemu-system-x86 ovmf
  # netkit dist: a throwaway Slurm cluster (scripts/slurm-local.sh), the
  # Kubernetes API models that validate its Job manifest offline
  slurmctld slurmd slurm-client munge python3-kubernetes
  # netkit db: libpq's header (the library is loaded at run time) and the server
  libpq-dev libpq5 postgresql-15 postgresql-client-15
  # benchmarks
  hyperfine time
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # The lab's daemons (nginx, apache2, bind9, postgresql, ...) run only in
  # lab namespaces: keep the packages from starting them on this machine's
  # own network (a policy-rc.d answering 101, as Debian's containers have;
  # one we put there is taken away again)
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# NTPsec's ntpd for the lab (lab/services.lab, host desk), unpacked from
# Debian's package into a cache directory, not installed: every NTP server
# package (ntpsec, chrony, openntpd) removes systemd-timesyncd
ntp=/var/cache/netkit/ntpsec
if [ ! -x "$ntp/usr/sbin/ntpd" ]; then
  d=$(mktemp -d)
  chmod 755 "$d"
  (cd "$d" && apt-get download -qq ntpsec) && dpkg-deb -x "$d"/ntpsec_*.deb "$ntp"
  rm -rf "$d"
fi
