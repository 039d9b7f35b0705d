# SPDX-License-Identifier: GPL-3.0-or-later
"""Client side of the interop cases that use Python's smtplib or a raw socket.

  smtpcases.py CASE --port PORT [options]

Each case talks to a sink on 127.0.0.1 (or --host), checks every reply it expects,
and prints what it did as `key=value` lines (accepted=N, ...) for the driver to
compare with the sink's own totals. Any unexpected reply ends it with exit status 1
and one line on stderr saying what differed.
"""
import argparse
import hashlib
import smtplib
import socket
import ssl
import sys
import time

import signedmail

TIMEOUT = 20  # seconds, for every socket operation
SENDER = "sender@example.com"
RCPT = "user1@example.com"


class Fail(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Fail(what)


def report(**counts):
    for key, value in counts.items():
        print(f"{key}={value}")


def no_verify():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def fingerprint(sock):
    return hashlib.sha256(sock.getpeercert(binary_form=True)).hexdigest()


def plain_message(seq, marker=""):
    return (f"From: <{SENDER}>\r\nTo: <{RCPT}>\r\nSubject: interop {seq}\r\n"
            f"Message-ID: <interop.{seq}.{time.time_ns()}@example.com>\r\n\r\n"
            f"message {seq} {marker}\r\n..a line that needs dot-stuffing\r\n").encode()


def send_ok(smtp, sender, rcpts, data, mail_options=()):
    """sendmail that must be accepted for every recipient."""
    try:
        refused = smtp.sendmail(sender, rcpts, data, mail_options=list(mail_options))
    except smtplib.SMTPException as e:
        raise Fail(f"message from {sender} to {rcpts} not accepted: {e}")
    expect(not refused, f"recipients refused: {refused}")


class Session:
    """A line-oriented SMTP/LMTP client on a raw socket, for what smtplib cannot do."""

    def __init__(self, host, port, tls_context=None):
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        if tls_context:
            self.sock = tls_context.wrap_socket(self.sock)
        self.file = self.sock.makefile("rb")

    def send(self, data: bytes):
        self.sock.sendall(data)

    def reply(self):
        """(code, [text lines]) of one possibly multi-line reply; code 0 on EOF."""
        lines = []
        for _ in range(100):
            line = self.file.readline(4096)
            if not line:
                return 0, lines
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return int(line[:3]) if line[:3].isdigit() else -1, lines
        raise Fail("reply longer than 100 lines")

    def command(self, line: str, want: int):
        self.send(line.encode() + b"\r\n")
        code, lines = self.reply()
        expect(code == want, f"{line.split(' ')[0]!r}: expected {want}, got {lines}")
        return lines

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def case_plain(a):
    """--connections sessions of --messages messages each, unsigned."""
    sent = 0
    for c in range(a.connections):
        s = smtplib.SMTP(a.host, a.port, timeout=TIMEOUT)
        try:
            s.ehlo("client.example.com")
            for m in range(a.messages):
                send_ok(s, SENDER, [RCPT], plain_message(sent, a.marker))
                sent += 1
            quit_reply(s, a.stopping)
        finally:
            s.close()
    report(accepted=sent)


def quit_reply(s, stopping):
    """QUIT gets 221; a sink that is stopping may answer 421 or just close (RFC 5321 3.8)."""
    try:
        code, text = s.docmd("QUIT")
    except smtplib.SMTPServerDisconnected:
        expect(stopping, "connection closed instead of a reply to QUIT")
        return
    expect(code == 221 or (stopping and code == 421), f"QUIT: {code} {text}")


def case_utf8(a):
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        s.ehlo("client.example.com")
        expect(s.has_extn("smtputf8"), f"SMTPUTF8 not advertised: {s.esmtp_features}")
        sender, rcpt = "jürgen@bücher.example", "zoë@例え.テスト"
        data = (f"From: <{sender}>\r\nTo: <{rcpt}>\r\nSubject: Grüße\r\n\r\nÄÖÜ ✓\r\n").encode()
        send_ok(s, sender, [rcpt], data, mail_options=["SMTPUTF8"])
    report(accepted=1)


def case_starttls(a):
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        s.ehlo("client.example.com")
        expect(s.has_extn("starttls"), f"STARTTLS not advertised: {s.esmtp_features}")
        code, text = s.starttls(context=no_verify())
        expect(code == 220, f"STARTTLS answered {code} {text}")
        s.ehlo("client.example.com")
        # RFC 3207 section 4.2: not offered again once TLS is on.
        expect(not s.has_extn("starttls"), "STARTTLS advertised again after TLS started")
        for m in range(a.messages):
            send_ok(s, SENDER, [RCPT], plain_message(m))
        report(accepted=a.messages, tls=s.sock.version(), fingerprint=fingerprint(s.sock))


def case_smtps(a):
    with smtplib.SMTP_SSL(a.host, a.port, timeout=TIMEOUT, context=no_verify()) as s:
        s.ehlo("client.example.com")
        expect(not s.has_extn("starttls"), "STARTTLS advertised on an implicit-TLS port")
        for m in range(a.messages):
            send_ok(s, SENDER, [RCPT], plain_message(m))
        report(accepted=a.messages, tls=s.sock.version(), fingerprint=fingerprint(s.sock))


def case_oversize(a):
    """A message over --max-kib gets 552, both undeclared (after the data) and declared."""
    limit = a.max_kib * 1024
    big = plain_message(0) + b"x" * 76 + b"\r\n"
    big += (b"y" * 998 + b"\r\n") * (2 * limit // 1000)
    rejected = 0
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        s.ehlo("client.example.com")
        expect(s.has_extn("size"), f"SIZE not advertised: {s.esmtp_features}")
        expect(s.esmtp_features["size"].strip() == str(limit),
               f"SIZE {s.esmtp_features['size']!r}, expected {limit}")
        # No SIZE= parameter, so only the data can tell (RFC 1870 section 6.3).
        code, text = s.mail(SENDER)
        expect(code == 250, f"MAIL: {code} {text}")
        code, text = s.rcpt(RCPT)
        expect(code == 250, f"RCPT: {code} {text}")
        code, text = s.data(big)
        expect(code == 552, f"{len(big)}-byte message over SIZE {limit}: got {code} {text}, expected 552")
        rejected += 1
        # The session goes on: a small message is still accepted.
        send_ok(s, SENDER, [RCPT], plain_message(1))
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        # sendmail declares SIZE=; a 552 either at MAIL or after the data is right.
        try:
            s.sendmail(SENDER, [RCPT], big)
            raise Fail("declared oversize message was accepted")
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
            expect(e.smtp_code == 552, f"declared oversize message: {e.smtp_code} {e.smtp_error}")
            rejected += 1
    report(accepted=1, rejected552=rejected)


def case_userlist(a):
    """ok@ accepted, rej@ (action r) 550, def@ (action d) 450."""
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        s.ehlo("client.example.com")
        code, text = s.mail(SENDER)
        expect(code == 250, f"MAIL: {code} {text}")
        for rcpt, want in (("rej@example.com", 550), ("def@example.com", 450), ("ok@example.com", 250)):
            code, text = s.rcpt(rcpt)
            expect(code == want, f"RCPT {rcpt}: expected {want}, got {code} {text}")
        code, text = s.data(plain_message(0))
        expect(code == 250, f"DATA to the accepted recipient: {code} {text}")
    report(accepted=1, rejected550=1, deferred450=1)


def case_greylist(a):
    """grey@ (action g): 450 at first and on a quick retry, 250 once the delay has passed.

    Times are taken around each RCPT, so a slow machine cannot make a right answer
    look wrong: bhm saw the RCPT somewhere between the two.
    """
    deferred = 0

    def attempt():
        with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
            s.ehlo("client.example.com")
            code, text = s.mail(SENDER)
            expect(code == 250, f"MAIL: {code} {text}")
            before = time.monotonic()
            code, text = s.rcpt("grey@example.com")
            after = time.monotonic()
            if code == 250:
                code2, text2 = s.data(plain_message(0))
                expect(code2 == 250, f"DATA after greylisting passed: {code2} {text2}")
            return code, text, before, after

    code, text, _, first = attempt()
    expect(code == 450, f"first try: expected 450, got {code} {text}")
    deferred += 1
    code, text, before, after = attempt()
    if after - first < a.delay:
        expect(code == 450, f"retry {after - first:.1f}s later, before the delay: expected 450, got {code} {text}")
    if code == 450:
        deferred += 1
    else:
        expect(code == 250, f"retry: {code} {text}")
    if code != 250:
        time.sleep(max(0.0, first + a.delay + 0.5 - time.monotonic()))
        code, text, before, _ = attempt()
        expect(code == 250, f"retry {before - first:.1f}s after the first: expected 250, got {code} {text}")
    report(accepted=1, deferred450=deferred)


def case_bdat(a):
    """CHUNKING (RFC 3030): chunks then BDAT 0 LAST; then a pipelined BDAT n LAST."""
    s = Session(a.host, a.port)
    try:
        expect(s.reply()[0] == 220, "no 220 greeting")
        ehlo = s.command("EHLO client.example.com", 250)
        expect(any(l[4:].upper().startswith("CHUNKING") for l in ehlo), f"CHUNKING not advertised: {ehlo}")
        s.command("MAIL FROM:<a@x.example>", 250)
        s.command("RCPT TO:<b@y.example>", 250)
        msg = plain_message(0)
        # Split inside a CRLF and at a line that starts with a dot: BDAT takes bytes as they are.
        cut = msg.index(b"\r\n") + 1
        for chunk in (msg[:cut], msg[cut:]):
            s.send(b"BDAT %d\r\n" % len(chunk) + chunk)
            code, lines = s.reply()
            expect(code == 250, f"BDAT {len(chunk)}: {lines}")
        s.command("BDAT 0 LAST", 250)
        # Second message: everything in one write, as a pipelining client sends it.
        msg = plain_message(1)
        s.send(b"MAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nBDAT %d LAST\r\n" % len(msg) + msg)
        for what in ("MAIL", "RCPT", "BDAT LAST"):
            code, lines = s.reply()
            expect(code == 250, f"pipelined {what}: {lines}")
        s.command("QUIT", 221)
    finally:
        s.close()
    report(accepted=2)


def case_lmtp(a):
    """LMTP (RFC 2033): after the data, one reply per accepted recipient."""
    s = Session(a.host, a.port)
    try:
        expect(s.reply()[0] == 220, "no 220 greeting")
        s.command("LHLO client.example.com", 250)
        s.command("MAIL FROM:<sender@example.com>", 250)
        s.command("RCPT TO:<user1@example.com>", 250)
        s.command("RCPT TO:<rej@example.com>", 550)
        s.command("RCPT TO:<user2@example.com>", 250)
        s.command("DATA", 354)
        s.send(plain_message(0) + b".\r\n")
        for rcpt in ("user1", "user2"):
            code, lines = s.reply()
            expect(code == 250, f"LMTP reply for {rcpt}: {lines}")
        s.command("QUIT", 221)
    finally:
        s.close()
    report(accepted=1, deliveries=2)


def case_hash(a):
    """Messages in the 0.76 layout, signed with each digest, plus corrupted ones."""
    counts = {"md5": a.md5, "md5-lp64": a.lp64}
    sent = 0
    with smtplib.SMTP(a.host, a.port, timeout=TIMEOUT) as s:
        s.ehlo("client.example.com")
        for digest, n in counts.items():
            for _ in range(n):
                send_ok(s, SENDER, [RCPT], signedmail.message(SENDER, RCPT, 3000 + sent, sent, digest))
                sent += 1
        for _ in range(a.corrupt):
            send_ok(s, SENDER, [RCPT], signedmail.message(SENDER, RCPT, 3000, sent, "md5", corrupt=True))
            sent += 1
    report(accepted=sent, md5=a.md5, lp64=a.lp64, corrupt=a.corrupt)


def case_limit(a):
    """--max sessions at once get 220; one more gets 421 and is closed; a freed slot is reused."""
    held = []
    try:
        for i in range(a.max):
            s = Session(a.host, a.port)
            held.append(s)
            code, lines = s.reply()
            expect(code == 220, f"session {i + 1} of {a.max}: {lines}")
        extra = Session(a.host, a.port)
        code, lines = extra.reply()
        expect(code == 421, f"session {a.max + 1} over the limit: expected 421, got {lines}")
        code, lines = extra.reply()
        expect(code == 0, f"connection still open after 421: {lines}")
        extra.close()
        s = held[0]
        s.command("EHLO client.example.com", 250)
        s.command("MAIL FROM:<a@x.example>", 250)
        s.command("RCPT TO:<b@y.example>", 250)
        s.command("DATA", 354)
        s.send(plain_message(0) + b".\r\n")
        expect(s.reply()[0] == 250, "message in a held session not accepted")
        s.command("QUIT", 221)
        s.close()
        held.pop(0)
        # The slot is free once the server has seen the close; allow it a moment.
        for _ in range(50):
            s = Session(a.host, a.port)
            code, lines = s.reply()
            s.close()
            if code == 220:
                break
            time.sleep(0.1)
        expect(code == 220, f"no session slot came free after a QUIT: {lines}")
    finally:
        for s in held:
            s.close()
    report(accepted=1)


def case_greeting(a):
    s = Session(a.host, a.port)
    try:
        code, lines = s.reply()
        expect(code == 220, f"greeting: {lines}")
        s.command("QUIT", 221)
    finally:
        s.close()
    report(greeting_host=lines[-1][4:].split(" ")[0])


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--messages", type=int, default=1)
    p.add_argument("--marker", default="")
    p.add_argument("--stopping", action="store_true", help="the sink stops after the last message")
    p.add_argument("--max-kib", type=int, default=10)
    p.add_argument("--delay", type=float, default=2.0)
    p.add_argument("--md5", type=int, default=0)
    p.add_argument("--lp64", type=int, default=0)
    p.add_argument("--corrupt", type=int, default=0)
    p.add_argument("--max", type=int, default=2)
    a = p.parse_args()
    try:
        CASES[a.case](a)
    except Fail as e:
        print(f"{a.case}: {e}", file=sys.stderr)
        sys.exit(1)
    except (OSError, smtplib.SMTPException) as e:
        print(f"{a.case}: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
