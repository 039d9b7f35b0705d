# SPDX-License-Identifier: GPL-3.0-or-later
"""Messages in the 0.76 postal layout, signed with X-PostalHash.

The digest covers the From, To, Subject, Date and Message-Id header lines as sent
(with their CRLFs) followed by the body bytes (postal-original.md section 6.4).
Two digests exist: real MD5, and "md5-lp64", what a 64-bit build of 0.76 computes
because its RSA reference MD5 keeps its 32-bit words in 64-bit longs (section 6.5).
"""
import hashlib
import math
import random
import struct
import time

M64 = (1 << 64) - 1

_S = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4
_K = [int(abs(math.sin(i + 1)) * 2 ** 32) & 0xFFFFFFFF for i in range(64)]


def _rotl(x, s):
    # The reference macro on a 64-bit word: high bits leak in from the right shift.
    return ((x << s) | (x >> (32 - s))) & M64


def md5_lp64(data: bytes) -> str:
    """X-PostalHash as a 64-bit build of postal 0.76 computes it."""
    state = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    bits = (len(data) * 8) & M64
    padded = data + b"\x80" + b"\0" * ((55 - len(data)) % 64)
    padded += struct.pack("<II", bits & 0xFFFFFFFF, (len(data) >> 29) & 0xFFFFFFFF)
    for off in range(0, len(padded), 64):
        x = struct.unpack("<16I", padded[off:off + 64])
        a, b, c, d = state
        for i in range(64):
            if i < 16:
                f, g = (b & c) | (~b & M64 & d), i
            elif i < 32:
                f, g = (b & d) | (c & (~d & M64)), (5 * i + 1) % 16
            elif i < 48:
                f, g = b ^ c ^ d, (3 * i + 5) % 16
            else:
                f, g = c ^ (b | (~d & M64)), (7 * i) % 16
            a = (a + f + x[g] + _K[i]) & M64
            a = (_rotl(a, _S[i]) + b) & M64
            a, b, c, d = d, a, b, c
        state = [(s + v) & M64 for s, v in zip(state, (a, b, c, d))]
    return struct.pack("<4I", *(s & 0xFFFFFFFF for s in state)).hex()


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
    # Self-test against the vectors in postal-original.md section 6.5.
    vectors = {b"": "e4c23762ed2823a27e62a64b95c024e7", b"a": "793a9bc07e209b286fa416d6ee29a85d",
               b"abc": "7999dc75e8da648c6727e137c5b77803",
               b"message digest": "840793371ec58a6cc84896a5153095de"}
    for data, want in vectors.items():
        got = md5_lp64(data)
        assert got == want, (data, got, want)
    for n in [0] + list(range(2, 300)):
        b = body(n, random.Random(n))
        assert len(b) == n and not b.startswith(b"."), n
    print("postalhash: ok")
