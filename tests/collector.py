#!/usr/bin/env python3
"""collector.py: the loopback HTTP(S) collector xt's tests upload to.

    python3 tests/collector.py --dir DIR [--mode MODE] [--tls CERT KEY]
            [--lifetime SECONDS] [--port-file FILE] [--watch-pid PID] [-v]

Listens on 127.0.0.1 only, on a port the kernel picks, and answers every
request according to MODE:

    200 204 400 429 500  that status (429 with Retry-After: 1), a short body
    503-once   the first request answered in this mode gets 503, later 200
    hang       reads the request, never answers; holds the connection until
               the client closes it or the lifetime ends
    trickle    sends "200" and its headers at once, then the body one byte a
               second (TRICKLE_BODY: over 30 s), so only a whole-request
               timeout ends the wait; a client that trusts the status alone
               sees 200 and must not
    reset      reads the request, then closes with a TCP RST (SO_LINGER 0)
    redirect   302 to REDIRECT_PATH on this same server, which answers 200:
               a client that follows redirects makes a second request
    big-body   200 with a BIG_BODY-byte body (1 MiB)
    999        status 999, outside HTTP's 100-599
    huge-headers  200 with HUGE_HEADERS bytes of headers (10 MB)
    trickle-headers  "200", then one header line a second (over 30 s):
               the headers never end within a client's timeout

The mode can be changed while it runs: a file DIR/mode holding a mode name
overrides --mode for the requests that follow (write it with rename).

What it writes in DIR, each file whole (temp file + rename), so a test
polling for a file never reads half of it:

    port         the listening port, once it accepts connections; also
                 written to --port-file if given, else printed on stdout
    closed-port  a port on 127.0.0.1 that refuses connections for as long
                 as this process lives: it is bound but never listened on,
                 so nothing else can take it (a released port could be)
    connections  how many TCP connections were accepted (before any TLS
                 handshake, so a failed verification still counts one)
    requests     how many whole requests were read; every one is recorded,
                 whatever the mode answers, before the answer
    req-NNNN.json  {"method","path","version","scheme","headers","length",
                 "body" (if UTF-8) or "body_b64"}: header names lower-cased,
                 repeated headers joined with ", "; numbered from 0001 in the
                 order requests were completed
    req-NNNN.body  the request body, exact bytes (chunked bodies decoded)

Every response carries "Connection: close", so each attempt of a client is
one connection.  A request that is malformed gets 400 (or 413 beyond
BODY_MAX) and is not recorded; one the client abandons mid-body is dropped
(one cut short inside its headers is taken as it is: http.server cannot
tell).  A client that closes at once may be counted in "connections" a
moment after it is gone: collector_wait_connections polls for it.

It exits 0 after --lifetime seconds (default 60) whatever it is doing, on
SIGTERM, SIGINT or SIGHUP, and as soon as process --watch-pid is gone (the
tests pass their shell's pid, so a killed test leaves nothing behind).
Diagnostics go to stderr only with -v.  Python 3 standard library only.
"""

import argparse
import base64
import json
import os
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

MODES = ("200", "204", "400", "429", "500", "503-once", "hang", "trickle",
         "reset", "redirect", "big-body", "999", "huge-headers",
         "trickle-headers")
IO_TIMEOUT = 30			# a silent client is dropped after this
BODY_MAX = 16 << 20		# xt never sends more than 1 MiB
BIG_BODY = 1 << 20		# 16 times what xt-post may read of a response
HUGE_HEADERS = 10 << 20
REDIRECT_PATH = "/redirected"
TRICKLE_BODY = b'{"ok":true,"note":"this body arrives one byte a second"}\n'
TRICKLE_INTERVAL = 1.0


def write_atomic(path, data):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Recorder:
    """The files in DIR.  Every write happens under one lock, so request
    numbers, file names and the counters always agree."""

    def __init__(self, dir, default_mode=None):
        os.makedirs(dir, exist_ok=True)
        self.dir = dir
        self.default_mode = default_mode
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0
        self.once_spent = False
        self.put("connections", b"0\n")
        self.put("requests", b"0\n")

    def put(self, name, data):
        write_atomic(os.path.join(self.dir, name), data)

    def connection(self):
        with self.lock:
            self.connections += 1
            self.put("connections", b"%d\n" % self.connections)

    def request(self, record, body):
        with self.lock:
            n = self.requests + 1
            self.put("req-%04d.body" % n, body)
            self.put("req-%04d.json" % n, json.dumps(record).encode() + b"\n")
            self.requests = n
            self.put("requests", b"%d\n" % n)

    def mode(self):
        try:
            with open(os.path.join(self.dir, "mode")) as f:
                return f.read().strip()
        except FileNotFoundError:
            return self.default_mode

    def spend_once(self):
        """True the first time only (503-once)."""
        with self.lock:
            spent, self.once_spent = self.once_spent, True
            return not spent


class Malformed(Exception):
    def __init__(self, status):
        self.status = status


class Gone(Exception):
    """The client closed the connection before the request was whole."""


class Handler(BaseHTTPRequestHandler):
    """One request per connection: read it whole, record it, answer()."""

    protocol_version = "HTTP/1.1"	# so "Expect: 100-continue" is answered
    timeout = IO_TIMEOUT
    server_version = "xt-test-collector"
    sys_version = ""

    def __getattr__(self, name):	# do_POST, do_GET, ... any method
        if name.startswith("do_"):
            return self.take
        raise AttributeError(name)

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s: %s\n" % (self.server.name, fmt % args))

    def take(self):
        self.close_connection = True
        try:
            body = self.read_body()
        except Malformed as e:
            self.send_error(e.status)
            return
        except (Gone, OSError):
            return
        try:
            self.answer(body)
        except OSError:		# the client left while we answered
            pass

    def read_body(self):
        te = self.headers.get("Transfer-Encoding")
        length = self.headers.get("Content-Length")
        if te is not None:
            if te.strip().lower() != "chunked" or length is not None:
                raise Malformed(400)
            return self.read_chunked()
        if length is None:
            return b""
        if not (length.isascii() and length.isdigit()):
            raise Malformed(400)
        if int(length) > BODY_MAX:
            raise Malformed(413)
        return self.read_exactly(int(length))

    def read_exactly(self, n):
        data = self.rfile.read(n)
        if len(data) < n:
            raise Gone()
        return data

    def read_line(self):
        line = self.rfile.readline(8192)
        if not line.endswith(b"\n"):
            raise Gone() if len(line) < 8192 else Malformed(400)
        return line

    def read_chunked(self):
        body = bytearray()
        while True:
            size = self.read_line().split(b";")[0].strip()
            if not size or size.strip(b"0123456789abcdefABCDEF"):
                raise Malformed(400)
            n = int(size, 16)
            if n == 0:
                break
            if len(body) + n > BODY_MAX:
                raise Malformed(413)
            body += self.read_exactly(n)
            if self.read_line().strip():
                raise Malformed(400)
        while self.read_line().strip():		# trailer fields
            pass
        return bytes(body)

    def record(self, body, **extra):
        headers = {}
        for name, value in self.headers.items():
            name = name.lower()
            headers[name] = headers[name] + ", " + value if name in headers else value
        record = {"method": self.command, "path": self.path,
                  "version": self.request_version,
                  "scheme": "https" if self.server.tls else "http",
                  "headers": headers, "length": len(body)}
        try:
            record["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            record["body_b64"] = base64.b64encode(body).decode("ascii")
        record.update(extra)
        self.server.recorder.request(record, body)

    def reply(self, status, body=None, ctype="application/json", headers=(), trickle=False):
        if body is None:
            body = b"" if status == 204 else b'{"status":%d}\n' % status
        self.send_response(status)
        if status != 204:
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if not trickle:
            self.wfile.write(body)
            return
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(body)):
            time.sleep(TRICKLE_INTERVAL)
            self.wfile.write(body[i:i + 1])


class Collector(Handler):
    def answer(self, body):
        self.record(body)
        mode = self.server.recorder.mode()
        if mode in ("200", "204", "400", "500"):
            self.reply(int(mode))
        elif mode == "429":
            self.reply(429, headers=[("Retry-After", "1")])
        elif mode == "503-once":
            self.reply(503 if self.server.recorder.spend_once() else 200)
        elif mode == "hang":
            self.hold()
        elif mode == "trickle":
            self.reply(200, TRICKLE_BODY, trickle=True)
        elif mode == "reset":
            self.reset()
        elif mode == "redirect" and self.path != REDIRECT_PATH:
            port = self.server.server_address[1]
            scheme = "https" if self.server.tls else "http"
            self.reply(302, headers=[("Location", "%s://127.0.0.1:%d%s" % (scheme, port, REDIRECT_PATH))])
        elif mode == "redirect":
            self.reply(200)
        elif mode == "big-body":
            self.reply(200, b"x" * BIG_BODY, "application/octet-stream")
        elif mode == "999":
            self.reply(999)
        elif mode == "huge-headers":
            self.huge_headers()
        elif mode == "trickle-headers":
            self.trickle_headers()
        else:
            sys.stderr.write("%s: unknown mode %r\n" % (self.server.name, mode))
            self.reply(500, b"collector: unknown mode\n", "text/plain")

    def huge_headers(self):
        self.wfile.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n")
        line = b"X-Filler: " + b"x" * 1000 + b"\r\n"
        try:
            for _ in range(HUGE_HEADERS // len(line)):
                self.wfile.write(line)
            self.wfile.write(b"Content-Length: 0\r\n\r\n")
        except OSError:
            pass		# the client had enough: that is the point

    def trickle_headers(self):
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.wfile.flush()
            for i in range(60):
                time.sleep(TRICKLE_INTERVAL)
                self.wfile.write(b"X-Slow-%d: x\r\n" % i)
                self.wfile.flush()
            self.wfile.write(b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass

    def hold(self):
        while True:
            try:
                if not self.connection.recv(4096):
                    return
            except socket.timeout:
                continue
            except OSError:
                return

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()		# it holds a reference that keeps the fd open
        self.connection.close()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True		# a hanging client never delays exit
    block_on_close = False
    request_queue_size = 64

    def __init__(self, handler, recorder, name, tls=None, verbose=False):
        self.recorder, self.name, self.tls, self.verbose = recorder, name, tls, verbose
        super().__init__(("127.0.0.1", 0), handler)

    def process_request(self, request, client_address):
        self.recorder.connection()
        super().process_request(request, client_address)

    def finish_request(self, request, client_address):
        if self.tls is None:
            return super().finish_request(request, client_address)
        # The handshake happens here, in the connection's thread, so a
        # client stuck in it blocks no one.
        request.settimeout(IO_TIMEOUT)
        try:
            request = self.tls.wrap_socket(request, server_side=True)
        except (OSError, ValueError) as e:
            if self.verbose:
                sys.stderr.write("%s: TLS handshake: %s\n" % (self.name, e))
            return
        try:
            super().finish_request(request, client_address)
        finally:
            request.close()

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--dir", required=True, help="where requests are recorded")
    p.add_argument("--port-file", help="write the port here once listening")
    p.add_argument("--lifetime", type=float, default=60, help="exit after this many seconds")
    p.add_argument("--watch-pid", type=int, help="exit when this process is gone")
    p.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    return p


def exit_now(*_):
    sys.stderr.flush()
    os._exit(0)


def watchdog(deadline, pid):
    while time.monotonic() < deadline:
        if pid is not None:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
        time.sleep(0.2)
    exit_now()


def serve(server, args):
    """Announce the port, then serve until the lifetime, a signal or the
    watched process ends it."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, exit_now)
    threading.Thread(target=watchdog, daemon=True,
                     args=(time.monotonic() + args.lifetime, args.watch_pid)).start()
    port = b"%d\n" % server.server_address[1]
    server.recorder.put("port", port)
    if args.port_file:
        write_atomic(os.path.abspath(args.port_file), port)
    else:
        sys.stdout.buffer.write(port)
        sys.stdout.flush()
    server.serve_forever()


def main():
    p = parser("Loopback HTTP(S) collector with fault modes, for xt's tests.")
    p.add_argument("--mode", default="200", choices=MODES)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    args = p.parse_args()
    tls = None
    if args.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*args.tls)
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))	# never listen(): connecting is refused
    recorder = Recorder(args.dir, args.mode)
    recorder.put("closed-port", b"%d\n" % closed.getsockname()[1])
    serve(Server(Collector, recorder, "collector", tls, args.verbose), args)


if __name__ == "__main__":
    main()
