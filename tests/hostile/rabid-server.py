# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile POP3/IMAP server on loopback, for tests/hostile/rabid.

  rabid-server.py MODE PORT

Listens on 127.0.0.1:PORT and serves every connection (one thread each) in one of these modes:
  endless-retr     POP3: logs in and lists one message, then answers RETR with lines without end
  trickle-retr     POP3: the same, one short line every 50 ms (never silent for long, never done)
  endless-literal  IMAP: answers the message FETCH with a literal of 10^12 octets and streams it
  wrong-tag        IMAP: every tagged reply carries a tag the client never sent
  untagged-flood   IMAP: answers SELECT with untagged responses without end
  never-greets     either: accepts and says nothing
It stops when killed. Each mode speaks just enough of the protocol to reach its attack.
"""
import socket
import sys
import threading
import time

FILLER = b"x" * 70 + b"\r\n"


def lines(conn):
    f = conn.makefile("rb")
    while True:
        line = f.readline()
        if not line:
            return
        yield line.rstrip(b"\r\n")


def pop3(conn, mode):
    conn.sendall(b"+OK hostile ready\r\n")
    for line in lines(conn):
        verb = line.split(b" ")[0].upper()
        if verb == b"CAPA":
            conn.sendall(b"+OK\r\nUSER\r\n.\r\n")
        elif verb in (b"USER", b"PASS", b"DELE", b"NOOP"):
            conn.sendall(b"+OK\r\n")
        elif verb == b"STAT":
            conn.sendall(b"+OK 1 100\r\n")
        elif verb == b"LIST":
            conn.sendall(b"+OK\r\n1 100\r\n.\r\n")
        elif verb == b"RETR":
            conn.sendall(b"+OK\r\nSubject: endless\r\n\r\n")
            while True:
                if mode == "trickle-retr":
                    conn.sendall(b"more\r\n")
                    time.sleep(0.05)
                else:
                    conn.sendall(FILLER * 1000)
        elif verb == b"QUIT":
            conn.sendall(b"+OK bye\r\n")
            return
        else:
            conn.sendall(b"-ERR\r\n")


def imap(conn, mode):
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1] hostile ready\r\n")
    for line in lines(conn):
        parts = line.split(b" ")
        tag, cmd = parts[0], b" ".join(parts[1:]).upper()
        reply_tag = b"x" + tag if mode == "wrong-tag" else tag
        if cmd.startswith(b"SELECT"):
            if mode == "untagged-flood":
                flood = b"* OK [ALERT] flood\r\n" * 4096
                while True:
                    conn.sendall(flood)
            conn.sendall(b"* 1 EXISTS\r\n" + reply_tag + b" OK done\r\n")
        elif cmd.startswith(b"UID FETCH 1:*"):
            conn.sendall(b"* 1 FETCH (UID 1 RFC822.SIZE 100)\r\n" + reply_tag + b" OK done\r\n")
        elif cmd.startswith(b"UID FETCH"):
            conn.sendall(b"* 1 FETCH (UID 1 BODY[] {1000000000000}\r\n")
            while True:
                conn.sendall(FILLER * 1000)
        elif cmd.startswith(b"LOGOUT"):
            conn.sendall(b"* BYE\r\n" + reply_tag + b" OK bye\r\n")
            return
        else:
            conn.sendall(reply_tag + b" OK done\r\n")


def serve(conn, mode):
    try:
        if mode == "never-greets":
            while conn.recv(4096):
                pass
        elif mode in ("endless-retr", "trickle-retr"):
            pop3(conn, mode)
        else:
            imap(conn, mode)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
