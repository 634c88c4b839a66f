#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fake_local.sh "KIND..." CMD...: runs CMD in a network namespace of its
# own whose loopback has fake_services.py's stand-ins for KIND... (the
# version scripts' offline tests scan only these). Exits with CMD's status.
ip link set lo up
kinds=$1
shift
dir=$(dirname "$0")
fifo=$(mktemp -u)
mkfifo "$fifo"
python3 "$dir/fake_services.py" $kinds >"$fifo" 2>/dev/null &
srv=$!
read -r ready <"$fifo"
rm -f "$fifo"
"$@"
rc=$?
kill $srv
exit $rc
