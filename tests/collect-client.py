#!/usr/bin/env python3
"""collect-client.py: the clients xt-collect must survive, for
tests/t/collect.t.  Python 3 standard library only; 127.0.0.1 only.

    collect-client.py trickle PORT PATH FILE
        POST FILE (with its Content-Length) sending the body one byte
        every tenth of a second.  Prints "cut after N bytes" when the
        server closes the connection first, "answered after N bytes:
        STATUS LINE" when it answers first, or "answered: STATUS LINE".
    collect-client.py idle PORT N
        Open N connections and send nothing.  Prints "open N" once all
        are connected (on stdout, flushed), then "closed N" once the
        server has closed every one of them.
    collect-client.py half PORT PATH FILE MARK GO
        POST FILE: the headers and half the body, then create the file
        MARK, wait for the file GO to exist, send the rest and print
        the status line of the answer.

Each gives up after 120 seconds and then prints "gave up".
"""

import os
import socket
import sys
import time

LIMIT = 120


def connect(port):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=LIMIT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def headers(port, path, body):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % (path, port, len(body))).encode()


def status_line(s):
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n")[0].decode(errors="replace")


def trickle(port, path, file):
    body = open(file, "rb").read()
    s = connect(port)
    s.sendall(headers(port, path, body))
    s.setblocking(False)
    for i in range(len(body)):
        try:
            data = s.recv(4096)
            if data == b"":
                print("cut after %d bytes" % i)
                return
            print("answered after %d bytes: %s" % (
                i, data.split(b"\r\n")[0].decode(errors="replace")))
            return
        except BlockingIOError:
            pass
        except OSError:
            print("cut after %d bytes" % i)
            return
        try:
            s.send(body[i:i + 1])
        except OSError:
            print("cut after %d bytes" % i)
            return
        time.sleep(0.1)
    s.setblocking(True)
    print("answered: " + status_line(s))


def idle(port, n):
    socks = [connect(port) for _ in range(int(n))]
    print("open %d" % len(socks), flush=True)
    deadline = time.monotonic() + LIMIT
    closed = 0
    for s in socks:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            if s.recv(1) == b"":
                closed += 1
        except ConnectionResetError:
            closed += 1
        except OSError:
            print("gave up")
            return
    print("closed %d" % closed)


def half(port, path, file, mark, go):
    body = open(file, "rb").read()
    s = connect(port)
    s.sendall(headers(port, path, body) + body[:len(body) // 2])
    open(mark, "w").close()
    deadline = time.monotonic() + LIMIT
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            print("gave up")
            return
        time.sleep(0.02)
    s.sendall(body[len(body) // 2:])
    print(status_line(s))


def main():
    what = sys.argv[1]
    if what == "trickle":
        trickle(*sys.argv[2:5])
    elif what == "idle":
        idle(*sys.argv[2:4])
    elif what == "half":
        half(*sys.argv[2:7])
    else:
        sys.exit("collect-client.py: unknown client %r" % what)


if __name__ == "__main__":
    main()
