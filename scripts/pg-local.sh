#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL 15 for netkit db's tests and benchmark: initdb as
# the postgres user (runuser), the server listening on a Unix socket in DIR
# only (listen_addresses=''), no TCP; fsync off (a test database).
#   scripts/pg-local.sh up DIR     # prints the URL: postgresql:///postgres?host=DIR&user=postgres
#   scripts/pg-local.sh down DIR
# Debian's postgresql-15 (scripts/deps.sh); binaries in /usr/lib/postgresql/15/bin.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up|down DIR" >&2; exit 2; }
bin=/usr/lib/postgresql/15/bin
pg() { runuser -u postgres -- "$@"; }
case $cmd in
up)
	mkdir -p "$dir"
	chown postgres: "$dir"
	chmod 0755 "$dir"
	[ -f "$dir/data/PG_VERSION" ] || pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
	pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
	echo "postgresql:///postgres?host=$dir&user=postgres"
	;;
down)
	[ -f "$dir/data/postmaster.pid" ] && pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	;;
*) echo "usage: $0 up|down DIR" >&2; exit 2 ;;
esac
