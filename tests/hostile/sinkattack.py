#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One hostile-client attack on a running bhm, measured while a good client keeps sending.

    sinkattack.py ATTACK --port P --pid PID [--tls-port P] [--status SOCK] [--seconds S]
                  [--min-good N] [--max-p99-ms MS] [--max-rss-mib MIB] [--sessions N]

Loopback only (127.0.0.1). The attack runs in threads for --seconds; meanwhile a good client
(smtplib) sends one message per session, one session after another. Every 0.2 s bhm's resident
memory is read from /proc/PID/status. Prints one line:
    ATTACK good=OK/TRIED p99=MSms max=MSms rss=MIB MiB attack=COUNT [reason]
and exits 0 when the good client's successes, its 99th-percentile latency and bhm's peak
resident memory are within the limits, 1 otherwise. --sessions N (soak) ends the attack after
N hostile sessions instead of after --seconds.
"""
import argparse
import os
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
MESSAGE = "Subject: good client\r\n\r\nstill served\r\n"


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Attack:
    """Hostile sessions run by `threads` threads until told to stop or `limit` sessions are done."""

    def __init__(self, args, stop):
        self.args = args
        self.stop = stop
        self.count = 0
        self.lock = threading.Lock()

    def session_done(self):
        with self.lock:
            self.count += 1
            if self.args.sessions and self.count >= self.args.sessions:
                self.stop.set()

    def connect(self, timeout=10):
        s = socket.create_connection((HOST, self.args.port), timeout=timeout)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        return s

    def run(self, threads, body):
        def loop():
            while not self.stop.is_set():
                try:
                    body()
                except OSError:
                    pass
                self.session_done()
        pool = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
        for t in pool:
            t.start()
        return pool


def flood(a, s, chunk, seconds=3):
    """Sends chunk again and again for `seconds` without reading a byte, then closes."""
    s.setblocking(False)
    end = time.monotonic() + seconds
    while time.monotonic() < end and not a.stop.is_set():
        try:
            s.send(chunk)
        except BlockingIOError:
            time.sleep(0.01)
    s.close()


def pipeliner(a):
    """Pipelines NOOPs and never reads a reply."""
    return a.run(4, lambda: flood(a, a.connect(), b"NOOP\r\n" * 10000))


def noop_flood(a):
    """NOOP as fast as the replies come back."""
    def body():
        s = a.connect()
        f = s.makefile("rb")
        f.readline()
        for _ in range(2000):
            if a.stop.is_set():
                break
            s.sendall(b"NOOP\r\n" * 50)
            for _ in range(50):
                f.readline()
        s.close()
    return a.run(4, body)


def short_sessions(a):
    """Connect, read the greeting, QUIT at once, as fast as possible (the soak's load)."""
    def body():
        s = a.connect()
        s.recv(512)
        s.sendall(b"QUIT\r\n")
        s.recv(512)
        s.close()
    return a.run(8, body)


def bad_lines(a):
    """Bare CR, bare LF, NUL and a command smuggled behind a CR: none may get a 250."""
    bad = [b"EHLO x\rMAIL FROM:<a@b>\rQUIT\r\n", b"NOOP\n", b"NO\0OP\r\n", b"HELO x\r\r\n"]

    def body():
        s = a.connect()
        f = s.makefile("rb")
        f.readline()
        for line in bad:
            s.sendall(line)
            reply = f.readline()
            if reply.startswith(b"250") or reply.startswith(b"221"):
                a.failure = f"{line!r} got {reply!r}"
        s.close()
    a.failure = None
    return a.run(4, body)


def overlong(a):
    """Lines of a megabyte, again and again."""
    junk = b"A" * (1 << 20)

    def body():
        s = a.connect()
        s.recv(512)
        for _ in range(8):
            s.sendall(junk)
        s.sendall(b"\r\nQUIT\r\n")
        s.recv(4096)
        s.close()
    return a.run(4, body)


def idle_horde(a):
    """A few thousand connections that say nothing, held open (bhm runs with enough slots)."""
    held = []

    def body():
        while not a.stop.is_set() and len(held) < a.args.horde:
            try:
                held.append(a.connect())
            except OSError:
                time.sleep(0.05)
            a.session_done()
        a.stop.wait()
        for s in held:
            s.close()
    t = threading.Thread(target=body, daemon=True)
    t.start()
    return [t]


def slow_drip(a):
    """A byte every 100 ms, in many sessions at once."""
    def body():
        s = a.connect()
        s.recv(512)
        for b in b"HELO drip.example\r\nNOOP\r\nQUIT\r\n":
            if a.stop.is_set():
                break
            s.send(bytes([b]))
            time.sleep(0.1)
        s.close()
    return a.run(50, body)


def bad_tls(a):
    """Garbage in place of a handshake, then a TLS 1.2 renegotiation attempt with openssl s_client."""
    def garbage():
        s = socket.create_connection((HOST, a.args.tls_port), timeout=10)
        s.sendall(os.urandom(4096))
        try:
            s.recv(512)
        except OSError:
            pass
        s.close()

    def renegotiate():
        # s_client reads "R" on a line of its own as "renegotiate"; a NOOP after it must get no 250.
        out = subprocess.run(
            ["openssl", "s_client", "-connect", f"{HOST}:{a.args.tls_port}", "-tls1_2", "-quiet",
             "-no_ign_eof"], input=b"R\nNOOP\r\n", capture_output=True, timeout=15)
        if b"250 2.0.0 Ok" in out.stdout:
            a.failure = "a renegotiation was accepted and NOOP answered"

    def body():
        garbage()
        if a.count % 20 == 0:
            renegotiate()
    a.failure = None
    return a.run(4, body)


def status_flood(a):
    """Requests on the read-only status socket, sent without reading a response."""
    request = b'{"v":1,"command":"stats"}\n' * 20000

    def body():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(a.args.status)
        flood(a, s, request)
    return a.run(8, body)


def quiet(a):
    """No attack: the good client alone (the baseline)."""
    return []


ATTACKS = {f.__name__.replace("_", "-"): f for f in
           (quiet, pipeliner, noop_flood, short_sessions, bad_lines, overlong, idle_horde, slow_drip,
            bad_tls, status_flood)}


def good_client(port, stop, results, pid, rss):
    while not stop.is_set():
        start = time.monotonic()
        try:
            with smtplib.SMTP(HOST, port, timeout=10) as smtp:
                smtp.ehlo("good.example")
                smtp.sendmail("good@example.com", ["user1@example.com"], MESSAGE)
            results.append(time.monotonic() - start)
        except (OSError, smtplib.SMTPException) as e:
            results.append(None)
            results.failures = getattr(results, "failures", []) + [repr(e)]
        rss[0] = max(rss[0], rss_mib(pid))
        time.sleep(0.05)


class Results(list):
    pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("attack", choices=sorted(ATTACKS))
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--tls-port", type=int)
    p.add_argument("--status")
    p.add_argument("--seconds", type=float, default=8)
    p.add_argument("--sessions", type=int, default=0)
    p.add_argument("--horde", type=int, default=2000)
    p.add_argument("--min-good", type=int, default=10)
    p.add_argument("--max-p99-ms", type=float, default=2000)
    p.add_argument("--max-rss-mib", type=float, default=700)
    args = p.parse_args()

    stop = threading.Event()
    attack = Attack(args, stop)
    attack.failure = None
    rss = [rss_mib(args.pid)]
    threads = ATTACKS[args.attack](attack)
    results = Results()
    good = threading.Thread(target=good_client, args=(args.port, stop, results, args.pid, rss), daemon=True)
    good.start()
    end = time.monotonic() + (args.seconds if not args.sessions else 24 * 3600)
    while not stop.is_set() and time.monotonic() < end:
        rss[0] = max(rss[0], rss_mib(args.pid))
        time.sleep(0.2)
    stop.set()
    for t in threads + [good]:
        t.join(timeout=15)

    ok = sorted(t for t in results if t is not None)
    p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000 if ok else float("inf")
    worst = ok[-1] * 1000 if ok else float("inf")
    reasons = []
    if len(ok) < args.min_good:
        reasons.append(f"good client: {len(ok)} successes < {args.min_good}")
    if len(ok) < len(results) * 0.95:
        reasons.append(f"good client failed {len(results) - len(ok)} of {len(results)}: "
                       + "; ".join(sorted(set(getattr(results, 'failures', []))))[:300])
    if p99 > args.max_p99_ms:
        reasons.append(f"p99 {p99:.0f} ms > {args.max_p99_ms:.0f}")
    if rss[0] > args.max_rss_mib:
        reasons.append(f"bhm resident {rss[0]:.0f} MiB > {args.max_rss_mib:.0f}")
    if attack.failure:
        reasons.append(attack.failure)
    print(f"{args.attack} good={len(ok)}/{len(results)} p99={p99:.0f}ms max={worst:.0f}ms "
          f"rss={rss[0]:.0f}MiB attack={attack.count}" + (": " + "; ".join(reasons) if reasons else ""))
    sys.exit(1 if reasons else 0)


if __name__ == "__main__":
    main()
