# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh
# Sourced by the nse_*.sh wrappers, which each start a stand-in server on
# their namespace's loopback in the background and then call
#   nse_serve_run PID HOST PORT CMD...
# It waits (up to 5 s) until HOST:PORT takes a TCP connection, runs CMD,
# stops the server PID and exits with CMD's status.
nse_serve_run() {
  srv=$1 host=$2 port=$3
  shift 3
  i=0
  while ! python3 -c 'import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)' "$host" "$port" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
  done
  "$@"
  rc=$?
  kill "$srv"
  exit $rc
}
