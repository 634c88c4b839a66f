#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nse_ftp.sh "USER:PASS ..." CMD...: runs CMD in a network namespace of
# its own whose loopback has fake_ftp.py on 127.0.0.1:21 accepting those
# accounts (the brute-force scripts' offline test).
ip link set lo up
accounts=$1
shift
# shellcheck disable=SC2086
python3 "$(dirname "$0")/fake_ftp.py" $accounts >/dev/null 2>&1 &
srv=$!
i=0
while ! python3 -c 'import socket; socket.create_connection(("127.0.0.1", 21), 1)' 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
done
"$@"
rc=$?
kill $srv
exit $rc
