#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs "$@" in a network namespace of its own whose loopback has
# fake_axfr.py's name server on 127.0.0.1:53 (TCP): dns-zone-transfer's
# offline test scans only this. Exits with the command's status.
ip link set lo up
python3 "$(dirname "$0")/fake_axfr.py" >/dev/null 2>&1 &
srv=$!
i=0
while ! python3 -c 'import socket; socket.create_connection(("127.0.0.1", 53), 1)' 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
done
"$@"
rc=$?
kill $srv
exit $rc
