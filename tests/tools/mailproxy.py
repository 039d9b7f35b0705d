# SPDX-License-Identifier: GPL-3.0-or-later
"""A recording POP3/IMAP proxy on loopback, to capture what rabid and a real server say.

  mailproxy.py LISTEN_PORT SERVER_PORT OUT_BASE --cert CERT --key KEY [--sessions N]

Accepts connections on 127.0.0.1:LISTEN_PORT and relays each to 127.0.0.1:SERVER_PORT,
writing OUT_BASE.N (N = 1, 2, ...) with one "C: line" per line the client sent and one
"S: line" per line the server sent, in the order they passed. When the server accepts STLS
(POP3, RFC 2595 section 4) or STARTTLS (IMAP, RFC 3501 section 6.2.1), the proxy takes TLS
from the client itself (with CERT/KEY) and opens its own to the server, so the rest of the
session is recorded in clear too, with a line "tls: ok" where the handshake fell. Stops after
N sessions (default 1). Loopback only; a test-capture tool, not a relay.
"""
import argparse
import socket
import ssl
import threading


def relay(client, server, out, cert, key):
    lock = threading.Lock()

    def record(tag, line):
        with lock:
            out.write(tag + ": " + line.rstrip(b"\r\n").decode("utf-8", "replace") + "\n")
            out.flush()

    cfile = client.makefile("rb")
    sfile = server.makefile("rb")
    asked = threading.Event()
    starttls = {"tag": None}

    def client_pump():
        """Relays the client's lines; stops after STLS/STARTTLS (the client then waits for the reply)."""
        try:
            while True:
                line = cfile.readline()
                if not line:
                    server.shutdown(socket.SHUT_WR)
                    return
                record("C", line)
                server.sendall(line)
                word = line.split()
                if [w.upper() for w in word[:1]] == [b"STLS"]:
                    starttls["tag"] = b"+OK"
                elif [w.upper() for w in word[1:2]] == [b"STARTTLS"]:
                    starttls["tag"] = word[0] + b" OK"
                else:
                    continue
                asked.set()
                return
        except (OSError, ValueError):
            pass

    t = threading.Thread(target=client_pump, daemon=True)
    t.start()
    try:
        while True:
            line = sfile.readline()
            if not line:
                break
            record("S", line)
            client.sendall(line)
            if asked.is_set() and not line.startswith(b"*"):
                asked.clear()
                if line.upper().startswith(starttls["tag"].upper()):
                    break
                t = threading.Thread(target=client_pump, daemon=True)
                t.start()
        else:
            return
    except (OSError, ValueError):
        return
    if not line:
        t.join(timeout=5)
        return
    record("tls", b"ok")
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    tls_server = cctx.wrap_socket(server, server_hostname="localhost")
    tls_client = sctx.wrap_socket(client, server_side=True)
    relay_plain(tls_client, tls_server, record)


def relay_plain(client, server, record):
    def pump(src, dst, tag):
        f = src.makefile("rb")
        try:
            while True:
                line = f.readline()
                if not line:
                    break
                record(tag, line)
                dst.sendall(line)
        except (OSError, ValueError):
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    t = threading.Thread(target=pump, args=(client, server, "C"), daemon=True)
    t.start()
    pump(server, client, "S")
    t.join(timeout=5)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("listen", type=int)
    p.add_argument("server", type=int)
    p.add_argument("out")
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--sessions", type=int, default=1)
    a = p.parse_args()
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", a.listen))
    lsock.listen(8)
    for n in range(1, a.sessions + 1):
        client, _ = lsock.accept()
        server = socket.create_connection(("127.0.0.1", a.server))
        with open("%s.%d" % (a.out, n), "w") as out:
            relay(client, server, out, a.cert, a.key)
        for s in (client, server):
            try:
                s.close()
            except OSError:
                pass


if __name__ == "__main__":
    main()
