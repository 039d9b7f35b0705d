// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.io.PrintStream;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * mlockall(2) for {@code --lock-memory}: the daemon's pages stay in RAM while the machine under test
 * pages, so its sessions and its control sockets keep answering.
 *
 * <p>{@code MCL_ONFAULT} (Linux 4.4) locks a page when it is first touched rather than all at once:
 * the JVM reserves gigabytes of address space it never touches, and locking those would take memory
 * the machine needs. The kernel still compares the whole mapped size with {@code RLIMIT_MEMLOCK}
 * (mm/mlock.c), so the limit must be unlimited, which systemd's {@code LimitMEMLOCK=infinity} sets
 * before the daemon starts; then no capability is needed. With {@code CAP_IPC_LOCK} (a unit
 * drop-in, and the SELinux boolean postal_lock_memory) any limit will do.
 */
public final class MemoryLock {

    private static final int MCL_CURRENT = 1;
    private static final int MCL_FUTURE = 2;
    private static final int MCL_ONFAULT = 4;
    private static final int EPERM = 1;
    private static final int ENOMEM = 12;
    private static final int EINVAL = 22;

    /** The one libc call; errno saved at once, before the JVM can overwrite it. */
    public interface LibC {
        @SaveError
        int mlockall(int flags);
    }

    /** mlockall failed; the message says why and what to change. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private MemoryLock() {
    }

    /**
     * Locks every page the process has and will have, each as it is first touched.
     *
     * @throws Refused when the kernel says no (over the lock limit, not permitted, too old)
     */
    public static void lockAll() throws Refused {
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        if (libc.mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0) {
            throw new Refused(reason(Runtime.getRuntime(libc).getLastError()));
        }
    }

    /**
     * Locks the program's memory when {@code wanted}; 0, or {@link Sysexits#EX_OSERR} with the reason
     * on {@code err}, for a main to return.
     */
    public static int lockIfWanted(boolean wanted, String program, PrintStream err) {
        if (!wanted) {
            return 0;
        }
        try {
            lockAll();
            return 0;
        } catch (Refused e) {
            err.println(program + ": " + e.getMessage());
            return Sysexits.EX_OSERR;
        }
    }

    static String reason(int errno) {
        String fix = "raise the limit to unlimited (LimitMEMLOCK=infinity in the unit's drop-in, "
                + "or ulimit -l unlimited before starting)";
        return switch (errno) {
            case ENOMEM -> "--lock-memory: the lock limit (RLIMIT_MEMLOCK) is below the program's mapped size: " + fix;
            case EPERM -> "--lock-memory: locking memory is not permitted here (RLIMIT_MEMLOCK is 0): " + fix;
            case EINVAL -> "--lock-memory: this kernel cannot lock pages on first touch (MCL_ONFAULT needs Linux 4.4)";
            default -> "--lock-memory: mlockall failed with errno " + errno;
        };
    }
}
