# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/timer.py DIR RESULT COMMAND...: runs COMMAND in DIR with a monotonic clock.

Writes "seconds cpu_seconds exit_code" to RESULT; the CPU is utime+stime of COMMAND's whole process
tree (getrusage(RUSAGE_CHILDREN), the same ticks /proc/PID/stat counts). A program, not a shell
function, so that a benchmark's exit trap never runs inside the redirections of the timed command.
"""
import os
import resource
import subprocess
import sys
import time

os.chdir(sys.argv[1])
t0 = time.monotonic()
rc = subprocess.call(sys.argv[3:])
t1 = time.monotonic()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[2], "w") as f:
    print(f"{t1 - t0:.6f} {ru.ru_utime + ru.ru_stime:.3f} {rc}", file=f)
