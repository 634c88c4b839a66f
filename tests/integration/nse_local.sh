#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs "$@" in a network namespace of its own whose loopback has an HTTP
# server on 127.0.0.1:8000 (and nothing on 8001): the script engine's
# offline tests scan only this. Exits with the command's status.
# shellcheck source=tests/integration/nse_serve.sh
. "$(dirname "$0")/nse_serve.sh"
ip link set lo up
python3 -m http.server -b 127.0.0.1 8000 >/dev/null 2>&1 &
nse_serve_run $! 127.0.0.1 8000 "$@"
