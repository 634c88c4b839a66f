#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nse_dated.sh "PORT:OFFSET ..." CMD...: runs CMD in a network namespace of
# its own whose loopback has fake_dated_http.py's servers (clock-skew's
# offline test). Exits with the command's status.
# shellcheck source=tests/integration/nse_serve.sh
. "$(dirname "$0")/nse_serve.sh"
ip link set lo up
specs=$1
shift
# shellcheck disable=SC2086
python3 "$(dirname "$0")/fake_dated_http.py" $specs >/dev/null 2>&1 &
srv=$!
# the first spec's server: [HOST:]PORT:OFFSET
first=${specs%% *}
case $first in
*:*:*) host=${first%%:*} rest=${first#*:} ;;
*) host=127.0.0.1 rest=$first ;;
esac
nse_serve_run $srv "$host" "${rest%%:*}" "$@"
