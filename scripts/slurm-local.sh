#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway Slurm cluster on this machine for netkit dist's tests and
# benchmark: munged, slurmctld and NODES slurmd (n1..nN, one CPU each,
# each on its own port) on 127.0.0.1, everything (config, keys, state,
# logs, pid files) under DIR; no systemd, no accounting. Run it inside the
# network namespace the scans and the lab live in (`unshare --net`): the
# daemons listen on that namespace's loopback only.
#   scripts/slurm-local.sh up DIR [NODES]   # prints: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh down DIR
# Facts learnt bringing it up here: SlurmctldHost must be `hostname -s`
# with an explicit address, nodes need NodeAddr=127.0.0.1; munged wants its
# pid file's directory to exist (and, as root, --force); slurmctld starts
# only once munge answers; proctrack/linuxproc and task/none need no
# cgroups; SlurmdParameters=config_overrides lets a node declare CPUs the
# machine lacks; the scheduler runs at once with batch_sched_delay=0.
# Slurm resolves its listening address with AI_ADDRCONFIG, which fails in a
# namespace with loopback alone: there a veth pair (no dummy module here) gets 192.0.2.254/32
# (TEST-NET-1, a local address nothing routes to), removed by `down`.
# Debian's slurmctld, slurmd, slurm-client and munge (scripts/deps.sh).
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up|down DIR [NODES]" >&2; exit 2; }

free_port() { # a TCP port nothing listens on here, from a base
	local p=$1
	while ss -Htln "sport = :$p" | grep -q .; do p=$((p + 1)); done
	echo "$p"
}

# TERM to every daemon of the pid files at once, KILL what is left after 3 s
kill_pidfiles() {
	local f pids=()
	for f in "$@"; do
		[ -f "$f" ] && pids+=("$(cat "$f" 2>/dev/null)")
	done
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
	for _ in $(seq 30); do
		kill -0 "${pids[@]}" 2>/dev/null || break
		sleep 0.1
	done
	[ ${#pids[@]} -gt 0 ] && kill -9 "${pids[@]}" 2>/dev/null || true
	rm -f "$@"
}

# slurmstepd processes of this cluster (they hold its log files open)
stepds() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = slurmstepd ] || continue
		ls -l "$p/fd" 2>/dev/null | grep -q -- "-> $dir/" && echo "${p#/proc/}"
	done
	return 0
}

down() {
	if [ -f "$dir/slurm.conf" ] && [ -f "$dir/run/slurmctld.pid" ]; then
		SLURM_CONF=$dir/slurm.conf timeout 5 scancel --quiet --user=root 2>/dev/null || true
		for _ in $(seq 30); do
			[ -z "$(SLURM_CONF=$dir/slurm.conf timeout 2 squeue -h 2>/dev/null)" ] && break
			sleep 0.1
		done
	fi
	local pid
	for pid in $(stepds); do kill "$pid" 2>/dev/null || true; done
	if [ -f "$dir/run/dummy" ]; then
		ip link del nkslurm0 2>/dev/null || true
		rm -f "$dir/run/dummy"
	fi
	kill_pidfiles "$dir"/run/slurmd-*.pid "$dir/run/slurmctld.pid"
	kill_pidfiles "$dir/run/munged.pid"
	for pid in $(stepds); do kill -9 "$pid" 2>/dev/null || true; done
}

write_conf() { # nodes ctlport
	local host nodes=$1 port=$2 i
	host=$(hostname -s)
	cat > "$dir/slurm.conf" <<CONF
ClusterName=nklab
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
SlurmdTimeout=10
MinJobAge=600
KillWait=2
CONF
	for i in $(seq "$nodes"); do
		echo "NodeName=n$i NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + i)) CPUs=1 State=UNKNOWN" >> "$dir/slurm.conf"
	done
	echo "PartitionName=lab Nodes=ALL Default=YES MaxTime=INFINITE State=UP" >> "$dir/slurm.conf"
}

up() {
	local nodes=${3:-4} port i
	mkdir -p "$dir"/{munge,state,log,run,spool}
	chmod o+x "$dir" "$dir/munge"
	ip link set lo up 2>/dev/null || true
	down
	if ! ip -o addr show scope global | grep -q .; then
		ip link add nkslurm0 type veth peer name nkslurm1
		ip addr add 192.0.2.254/32 dev nkslurm0
		ip link set nkslurm0 up
		touch "$dir/run/dummy"
	fi
	[ -f "$dir/munge/munge.key" ] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; chmod 0400 "$dir/munge/munge.key"; }
	munged --force -S "$dir/munge/munge.socket" --key-file "$dir/munge/munge.key" \
		--pid-file "$dir/run/munged.pid" --log-file "$dir/log/munged.log" \
		--seed-file "$dir/munge/munge.seed"
	for _ in $(seq 50); do
		munge -n -S "$dir/munge/munge.socket" >/dev/null 2>&1 && break
		sleep 0.1
	done
	port=$(free_port 16817)
	write_conf "$nodes" "$port"
	export SLURM_CONF=$dir/slurm.conf
	slurmctld -i
	for i in $(seq "$nodes"); do
		mkdir -p "$dir/spool/n$i"
		slurmd -N "n$i"
	done
	for _ in $(seq 100); do
		[ "$(sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l)" -ge "$nodes" ] && break
		sleep 0.1
	done
	if [ "$(sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l)" -lt "$nodes" ]; then
		echo "slurm-local: the nodes did not come up; see $dir/log" >&2
		sinfo >&2 || true
		exit 1
	fi
	echo "export SLURM_CONF=$dir/slurm.conf"
}

case $cmd in
up) up "$@" ;;
down) down ;;
*) echo "usage: $0 up|down DIR [NODES]" >&2; exit 2 ;;
esac
