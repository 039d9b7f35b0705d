# SPDX-License-Identifier: GPL-3.0-or-later
"""Loopback port helpers for the interop driver.

  netutil.py freeport            print a free TCP port on 127.0.0.1 below 32768
  netutil.py listening PORT      exit 0 if something LISTENs on PORT (IPv4 or IPv6)
  netutil.py ipv6                exit 0 if ::1 can be bound

`listening` reads /proc/net/tcp{,6} instead of connecting, so waiting for a server
to come up adds no connection to the server's statistics.
"""
import random
import socket
import sys


def freeport() -> int:
    # Below the kernel's ephemeral range (32768+), where TIME_WAIT sockets of the
    # tests' own client connections could hold a port (traps.md).
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            try:
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.bind((addr, port))
            except OSError as e:
                if family == socket.AF_INET6 and e.errno in (97, 99):  # no IPv6 here
                    continue
                break
        else:
            return port
    raise SystemExit("netutil: no free port found in 200 tries")


def listening(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    local, state = line.split()[1], line.split()[3]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        return True
        except FileNotFoundError:
            pass
    return False


def ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "freeport":
        print(freeport())
    elif cmd == "listening" and len(sys.argv) == 3:
        sys.exit(0 if listening(int(sys.argv[2])) else 1)
    elif cmd == "ipv6":
        sys.exit(0 if ipv6() else 1)
    else:
        sys.exit("usage: netutil.py freeport | listening PORT | ipv6")
