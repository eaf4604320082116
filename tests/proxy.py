#!/usr/bin/env python3
"""proxy.py: a loopback HTTP forward proxy for xt's tests.

    python3 tests/proxy.py --dir DIR [--lifetime SECONDS] [--port-file FILE]
            [--watch-pid PID] [-v]

Listens on 127.0.0.1 only, on a port the kernel picks, and forwards
requests for http://127.0.0.1[:PORT]/... and http://localhost[:PORT]/...
(always to 127.0.0.1), and tunnels CONNECT 127.0.0.1:PORT or
localhost:PORT (for https:// through the proxy).  Any other target is
refused with 403 before anything is connected to, so no test can reach
beyond this machine through it; an unreachable target gets 502.

It records in DIR exactly what collector.py records (the same files, the
same lifetime, signals and --watch-pid; see collector.py): each request
it received as req-NNNN.json, whose "path" is the request target as the
client sent it (the absolute URL, or host:port for CONNECT), plus
"allowed": whether it was forwarded.  So a test shows http_proxy was
honoured (the proxy recorded the URL and the collector got the request)
or that no_proxy bypassed it (the proxy's "connections" stays 0).

The whole response is read from the target before it is relayed, with
"Connection: close"; hop-by-hop headers are dropped both ways.
"""

import http.client
import select
import socket
import sys
from urllib.parse import urlsplit

sys.dont_write_bytecode = True		# no __pycache__ in the source tree
from collector import IO_TIMEOUT, Handler, Recorder, Server, parser, serve

LOOPBACK = ("127.0.0.1", "localhost")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate",
              "proxy-authorization", "proxy-connection", "te", "trailer",
              "transfer-encoding", "upgrade",
              "content-length"}		# the body is relayed whole: recounted
REPLY_WRITES = {"content-type", "server", "date"}	# Handler.reply sends its own
REFUSED = b"proxy: only 127.0.0.1 and localhost are reachable through me\n"


class Proxy(Handler):
    def answer(self, body):
        url = urlsplit(self.path)
        try:
            port = url.port or 80
        except ValueError:
            port = None
        allowed = url.scheme == "http" and url.hostname in LOOPBACK and port is not None
        self.record(body, allowed=allowed)
        if not allowed:
            self.reply(403, REFUSED, "text/plain")
            return
        target = (url.path or "/") + ("?" + url.query if url.query else "")
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=IO_TIMEOUT)
        try:
            upstream.putrequest(self.command, target, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            response = upstream.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.reply(502, b"proxy: target failed\n", "text/plain")
            return
        finally:
            upstream.close()
        self.reply(response.status, data, response.getheader("Content-Type"),
                   [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP | REPLY_WRITES])

    def do_CONNECT(self):
        self.close_connection = True
        host, _, port = self.path.rpartition(":")
        allowed = host in LOOPBACK and port.isascii() and port.isdigit() and 0 < int(port) < 65536
        self.record(b"", allowed=allowed)
        if not allowed:
            self.reply(403, REFUSED, "text/plain")
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=IO_TIMEOUT)
        except OSError:
            self.reply(502, b"proxy: target failed\n", "text/plain")
            return
        with upstream:
            try:
                self.send_response(200, "Connection established")
                self.end_headers()
                # The client waits for this answer before it sends (TLS
                # starts with the client), so nothing is left in rfile.
                self.tunnel(self.connection, upstream)
            except OSError:
                pass

    def tunnel(self, client, upstream):
        other = {client: upstream, upstream: client}
        while True:
            readable, _, _ = select.select(list(other), [], [], IO_TIMEOUT)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    return
                other[s].sendall(data)


def main():
    args = parser("Loopback HTTP forward proxy for xt's tests.").parse_args()
    serve(Server(Proxy, Recorder(args.dir), "proxy", None, args.verbose), args)


if __name__ == "__main__":
    main()
