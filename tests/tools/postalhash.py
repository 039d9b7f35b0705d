#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Recompute the X-PostalHash of a message file and check it, independently of the Java code.

Usage: postalhash.py [--hash md5|md5-lp64|auto] [-v] FILE...

Each FILE holds one message as sent after DATA: headers, blank line, body, and optionally the
end-of-data line ".\\r\\n". The digest input is the first header line starting with each of
"From: ", "To: ", "Subject: ", "Date: ", "Message-Id: " (case-sensitive, with CRLF, in that
order), then every body byte up to the end-of-data line (doc/POSTAL-0.76.md 6.4, 6.6).
md5-lp64 is what 64-bit builds of postal 0.76 compute (6.5). Exit status: 0 if every file
verifies, 1 if one does not, 2 on usage errors or a file without X-PostalHash. Stdlib only.
"""
import hashlib
import math
import struct
import sys

SIGNED = (b"From: ", b"To: ", b"Subject: ", b"Date: ", b"Message-Id: ")
HASH_PREFIX = b"X-PostalHash: "
M64 = (1 << 64) - 1
# RFC 1321 3.4: T[i] = floor(2^32 * abs(sin(i + 1))), and the per-round shift amounts.
T = [int(abs(math.sin(i + 1)) * 2 ** 32) & 0xFFFFFFFF for i in range(64)]
SHIFTS = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4


def md5_lp64(data):
    """RFC 1321 MD5 with 64-bit state, registers, additions, NOT and rotate (postal 0.76 on LP64)."""
    state = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    bits = (len(data) * 8) & M64
    data = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", bits)
    for block in range(0, len(data), 64):
        x = struct.unpack("<16I", data[block:block + 64])
        a, b, c, d = state
        for i in range(64):
            if i < 16:
                f, k = (b & c) | (~b & M64 & d), i
            elif i < 32:
                f, k = (b & d) | (c & ~d & M64), (5 * i + 1) % 16
            elif i < 48:
                f, k = b ^ c ^ d, (3 * i + 5) % 16
            else:
                f, k = c ^ (b | (~d & M64)), (7 * i) % 16
            s = SHIFTS[i]
            v = (a + f + x[k] + T[i]) & M64
            v = ((v << s) | (v >> (32 - s))) & M64
            a, d, c, b = d, c, b, (b + v) & M64
        state = [(s0 + s1) & M64 for s0, s1 in zip(state, (a, b, c, d))]
    return b"".join(struct.pack("<I", s & 0xFFFFFFFF) for s in state).hex()


def signed_input(message):
    """The digest input and the claimed hash, or None for the hash if the message is unsigned."""
    lines = message.split(b"\n")
    lines = [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    first = {}
    claimed = None
    body_start = len(lines)
    for n, line in enumerate(lines):
        if line == b"\r\n":
            body_start = n + 1
            break
        for prefix in SIGNED:
            if line.startswith(prefix) and prefix not in first:
                first[prefix] = line
        if claimed is None and line.startswith(HASH_PREFIX):
            claimed = line[len(HASH_PREFIX):].split(b"\r")[0].split(b"\n")[0].strip().decode("ascii", "replace")
    body = []
    for line in lines[body_start:]:
        if line == b".\r\n":
            break
        body.append(line)
    return b"".join(first.get(p, b"") for p in SIGNED) + b"".join(body), claimed


def main(argv):
    mode, verbose, files = "auto", False, []
    args = iter(argv)
    for arg in args:
        if arg == "--hash":
            mode = next(args, "")
        elif arg.startswith("--hash="):
            mode = arg.split("=", 1)[1]
        elif arg == "-v":
            verbose = True
        else:
            files.append(arg)
    if mode not in ("md5", "md5-lp64", "auto") or not files:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    status = 0
    for name in files:
        with open(name, "rb") as f:
            data, claimed = signed_input(f.read())
        if claimed is None:
            print(f"{name}: no X-PostalHash", file=sys.stderr)
            status = max(status, 2)
            continue
        digests = {}
        if mode in ("md5", "auto"):
            digests["md5"] = hashlib.md5(data).hexdigest()
        if mode in ("md5-lp64", "auto"):
            digests["md5-lp64"] = md5_lp64(data)
        matched = [k for k, v in digests.items() if v == claimed.lower()]
        if matched:
            if verbose:
                print(f"{name}: {claimed} matches {matched[0]}")
        else:
            computed = ", ".join(f"{k} {v}" for k, v in digests.items())
            print(f"{name}: X-PostalHash {claimed} does not match {computed}", file=sys.stderr)
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
