# SPDX-License-Identifier: Apache-2.0
"""HTTP servers whose Date header is off by a given number of seconds,
for clock-skew's offline test: each argument PORT:OFFSET serves Python's
http.server on 127.0.0.1:PORT with Date = now + OFFSET (run it in a
network namespace of the test's own); ADDR:PORT:OFFSET listens on ADDR
(another loopback address, for several hosts). Prints "ready" once
listening."""
import email.utils
import http.server
import sys
import threading
import time


class Dated(http.server.SimpleHTTPRequestHandler):
    offset = 0

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(time.time() + self.offset, usegmt=True)

    def log_message(self, *args):
        pass


def main():
    servers = []
    for spec in sys.argv[1:]:
        parts = spec.split(":")
        addr, port, off = parts if len(parts) == 3 else ["127.0.0.1"] + parts
        cls = type("Dated%s" % port, (Dated,), {"offset": int(off)})
        servers.append(http.server.ThreadingHTTPServer((addr, int(port)), cls))
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("ready", flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    main()
