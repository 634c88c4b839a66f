#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nse_ftp.sh "USER:PASS ..." CMD...: runs CMD in a network namespace of
# its own whose loopback has fake_ftp.py on 127.0.0.1:21 accepting those
# accounts (the brute-force scripts' offline test).
# shellcheck source=tests/integration/nse_serve.sh
. "$(dirname "$0")/nse_serve.sh"
ip link set lo up
accounts=$1
shift
# shellcheck disable=SC2086
python3 "$(dirname "$0")/fake_ftp.py" $accounts >/dev/null 2>&1 &
nse_serve_run $! 127.0.0.1 21 "$@"
