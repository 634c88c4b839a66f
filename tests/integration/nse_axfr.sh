#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs "$@" in a network namespace of its own whose loopback has
# fake_axfr.py's name server on 127.0.0.1:53 (TCP): dns-zone-transfer's
# offline test scans only this. Exits with the command's status.
# shellcheck source=tests/integration/nse_serve.sh
. "$(dirname "$0")/nse_serve.sh"
ip link set lo up
python3 "$(dirname "$0")/fake_axfr.py" >/dev/null 2>&1 &
nse_serve_run $! 127.0.0.1 53 "$@"
