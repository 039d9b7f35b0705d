#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile SMTP server on 127.0.0.1 for tests/hostile/clients: accepts connections, then
misbehaves in one way for the whole of its life.

    hostile_smtp.py MODE PORT

MODE:
  silent       never greets
  bad-greeting greets with a line that is not an SMTP reply
  endless      greets, then answers EHLO with a multi-line reply that never ends
  421          greets with 421 and closes
  silent-data  a normal dialogue up to DATA's 354, then silence (the end of data is never answered)
Each connection is served by a thread of its own; the server runs until killed.
"""
import socket
import sys
import threading
import time


def lines(conn):
    """The client's lines, without CR LF, until it closes."""
    buf = b""
    while True:
        data = conn.recv(65536)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line.rstrip(b"\r").decode("latin-1")


def serve(mode, conn):
    with conn:
        try:
            if mode == "silent":
                while conn.recv(65536):
                    pass
                return
            if mode == "bad-greeting":
                conn.sendall(b"hello, this is not SMTP\r\n")
                while conn.recv(65536):
                    pass
                return
            if mode == "421":
                conn.sendall(b"421 4.3.2 hostile: not now\r\n")
                return
            conn.sendall(b"220 hostile ESMTP\r\n")
            data = False
            for line in lines(conn):
                verb = line.split(" ", 1)[0].upper()
                if data:
                    continue  # silent-data: swallow the message, never answer its end
                if mode == "endless" and verb in ("EHLO", "HELO", "LHLO"):
                    while True:
                        conn.sendall(b"250-hostile\r\n" * 64)
                        time.sleep(0.01)
                if verb in ("EHLO", "HELO", "LHLO", "MAIL", "RCPT", "RSET", "NOOP"):
                    conn.sendall(b"250 2.0.0 Ok\r\n")
                elif verb == "DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    data = True
                elif verb == "QUIT":
                    conn.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    conn.sendall(b"502 5.5.2 unknown\r\n")
        except OSError:
            pass  # the client gave up (postal resets its connections)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    server = socket.create_server(("127.0.0.1", port), backlog=128)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(mode, conn), daemon=True).start()


if __name__ == "__main__":
    main()
