#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read every message of every user over IMAP or POP3 and save each one to a file.

Usage: mailread.py --proto imap|pop3 --tls plain|starttls|implicit --port PORT --users FILE
                   --out DIR [--host 127.0.0.1] [--delete] [--caps]

FILE has "address password" lines (dovecot-up's users.txt). Each message is saved as
DIR/<address>.<n>.eml exactly as the server sent it (CRLF lines, POP3 dot-stuffing undone), so
tests/tools/postalhash.py can check it. DIR/manifest.tsv gets "address<TAB>Message-Id<TAB>X-PostalHash"
per message and DIR/counts.txt "address count" per user. --delete removes every message read
(POP3 DELE + QUIT, or IMAP \\Deleted + EXPUNGE). --caps prints the capabilities seen before and
after login. TLS is not verified (self-signed test certificates). Exit 1 on any protocol error.
Stdlib only.
"""
import argparse
import imaplib
import os
import poplib
import re
import ssl
import sys


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def header(msg, name):
    head = msg.split(b"\r\n\r\n", 1)[0]
    m = re.search(rb"^" + re.escape(name) + rb":[ \t]*([^\r\n]*)", head, re.M | re.I)
    return m.group(1).decode("ascii", "replace").strip() if m else "-"


def read_imap(args, user, password, ctx, caps):
    if args.tls == "implicit":
        conn = imaplib.IMAP4_SSL(args.host, args.port, ssl_context=ctx, timeout=30)
    else:
        conn = imaplib.IMAP4(args.host, args.port, timeout=30)
        if args.tls == "starttls":
            conn.starttls(ssl_context=ctx)
    try:
        if caps is not None and not caps:
            caps["before"] = " ".join(conn.capabilities)
        conn.login(user, password)
        if caps is not None and "after" not in caps:
            typ, data = conn.capability()
            caps["after"] = data[0].decode()
        typ, data = conn.select("INBOX", readonly=not args.delete)
        if typ != "OK":
            raise RuntimeError(f"SELECT INBOX: {typ} {data}")
        exists = int(data[0])
        msgs = []
        if exists:
            typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
            if typ != "OK":
                raise RuntimeError(f"UID FETCH: {typ} {data}")
            for item in data:
                if isinstance(item, tuple):
                    msgs.append(item[1])
            if len(msgs) != exists:
                raise RuntimeError(f"SELECT said {exists} messages, FETCH returned {len(msgs)}")
            if args.delete:
                typ, data = conn.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
                if typ != "OK":
                    raise RuntimeError(f"UID STORE: {typ} {data}")
                typ, data = conn.expunge()
                if typ != "OK":
                    raise RuntimeError(f"EXPUNGE: {typ} {data}")
        conn.close()
        return msgs
    finally:
        try:
            conn.logout()
        except Exception:
            pass


def read_pop3(args, user, password, ctx, caps):
    if args.tls == "implicit":
        conn = poplib.POP3_SSL(args.host, args.port, context=ctx, timeout=30)
    else:
        conn = poplib.POP3(args.host, args.port, timeout=30)
        if args.tls == "starttls":
            conn.stls(context=ctx)
    done = False
    try:
        if caps is not None and not caps:
            caps["before"] = " ".join(sorted(conn.capa()))
        conn.user(user)
        conn.pass_(password)
        if caps is not None and "after" not in caps:
            caps["after"] = " ".join(sorted(conn.capa()))
        count, _size = conn.stat()
        msgs = []
        for i in range(1, count + 1):
            _resp, lines, _octets = conn.retr(i)
            msgs.append(b"\r\n".join(lines) + b"\r\n")
            if args.delete:
                conn.dele(i)
        conn.quit()  # the DELEs take effect here
        done = True
        return msgs
    finally:
        if not done:
            try:
                conn.close()
            except Exception:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proto", choices=("imap", "pop3"), required=True)
    ap.add_argument("--tls", choices=("plain", "starttls", "implicit"), default="plain")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--users", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--delete", action="store_true")
    ap.add_argument("--caps", action="store_true")
    args = ap.parse_args()

    users = []
    with open(args.users) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                users.append((parts[0], parts[1]))
    os.makedirs(args.out, exist_ok=True)
    ctx = tls_context()
    caps = {} if args.caps else None
    reader = read_imap if args.proto == "imap" else read_pop3
    total = 0
    with open(os.path.join(args.out, "manifest.tsv"), "w") as manifest, \
            open(os.path.join(args.out, "counts.txt"), "w") as counts:
        for user, password in users:
            try:
                msgs = reader(args, user, password, ctx, caps)
            except Exception as e:  # noqa: BLE001 - report any failure per user
                print(f"mailread: {args.proto}/{args.tls} {user}: {type(e).__name__}: {e}", file=sys.stderr)
                return 1
            for n, msg in enumerate(msgs, 1):
                with open(os.path.join(args.out, f"{user}.{n}.eml"), "wb") as out:
                    out.write(msg)
                manifest.write(f"{user}\t{header(msg, b'Message-Id')}\t{header(msg, b'X-PostalHash')}\n")
            counts.write(f"{user} {len(msgs)}\n")
            total += len(msgs)
    if caps is not None:
        print(f"caps-before-login: {caps.get('before', '')}")
        print(f"caps-after-login: {caps.get('after', '')}")
    print(f"messages: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
