#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nse_dated.sh "PORT:OFFSET ..." CMD...: runs CMD in a network namespace of
# its own whose loopback has fake_dated_http.py's servers (clock-skew's
# offline test). Exits with the command's status.
ip link set lo up
specs=$1
shift
# shellcheck disable=SC2086
python3 "$(dirname "$0")/fake_dated_http.py" $specs >/dev/null 2>&1 &
srv=$!
first=${specs%% *}
i=0
while ! python3 -c "import socket, sys; p = sys.argv[1].split(':'); p = p if len(p) == 3 else ['127.0.0.1'] + p; socket.create_connection((p[0], int(p[1])), 1)" "$first" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
done
"$@"
rc=$?
kill $srv
exit $rc
