# SPDX-License-Identifier: GPL-3.0-or-later
"""Messages in the 0.76 postal layout, signed with X-PostalHash.

The digest covers the From, To, Subject, Date and Message-Id header lines as sent
(with their CRLFs) followed by the body bytes (doc/POSTAL-0.76.md section 6.4).
Two digests exist: real MD5, and "md5-lp64", what a 64-bit build of 0.76 computes
(section 6.5), taken from tests/tools/postalhash.py.
"""
import hashlib
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from postalhash import md5_lp64  # noqa: E402


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


DIGESTS = {"md5": md5, "md5-lp64": md5_lp64}

_ALPHABET = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "
             "`~!@#$%^&*()-_=+[]{};:'\"|/?<>,")


def body(size: int, rng: random.Random) -> bytes:
    """CRLF-terminated lines of exactly `size` (0 or >= 2) bytes; no line starts with a dot."""
    if size == 1:
        raise ValueError("a body of one byte cannot end in CRLF")
    out = []
    left = size
    while left > 0:
        n = max(2, rng.randrange(79))
        if left - n < 2:
            n = left
        out.append("".join(rng.choice(_ALPHABET) for _ in range(n - 2)) + "\r\n")
        left -= n
    return "".join(out).encode("ascii")


def message(sender: str, rcpt: str, size: int, seq: int, digest: str = "md5",
            rng: random.Random = None, corrupt: bool = False) -> bytes:
    """One message as 0.76 postal sends it after 354 (without the final dot line).

    digest None leaves out X-PostalHash; corrupt=True signs one body and sends another.
    """
    rng = rng or random.Random(seq)
    head = (f"From: <{sender}>\r\n"
            f"To: <{rcpt}>\r\n"
            f"Subject: interop {seq}\r\n"
            f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
            f"Message-Id: <{int(time.time()):08X}.{seq % 2048:03X}.001.{sender}>\r\n").encode()
    text = body(size, rng)
    sig = b""
    if digest is not None:
        value = DIGESTS[digest](head + text)
        sig = f"X-PostalHash: {value}\r\n".encode()
        if corrupt:
            text = text[:-3] + (b"Z" if text[-3:-2] != b"Z" else b"Y") + text[-2:]
    trailer = (b"X-Postal: 0.75 - the mad postman.\r\n"
               b"X-Postal: http://www.coker.com.au/postal/\r\n"
               b"X-Postal: This is not a real email.\r\n\r\n")
    return head + sig + trailer + text


if __name__ == "__main__":
    # Self-test: exact body sizes, and the digests against doc/POSTAL-0.76.md section 6.5.
    assert md5_lp64(b"abc") == "7999dc75e8da648c6727e137c5b77803"
    for n in [0] + list(range(2, 300)):
        b = body(n, random.Random(n))
        assert len(b) == n and not b.startswith(b"."), n
    print("signedmail: ok")
