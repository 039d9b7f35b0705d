# SPDX-License-Identifier: GPL-3.0-or-later
"""Loopback helper for the interop suites.

  netutil.py ipv6      exit 0 if ::1 can be bound

Free ports and waiting for a listener are tests/lib/harness.sh's (free_port, wait_port).
"""
import socket
import sys


def ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


if __name__ == "__main__":
    if sys.argv[1:] == ["ipv6"]:
        sys.exit(0 if ipv6() else 1)
    sys.exit("usage: netutil.py ipv6")
