// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What SELinux says about this process: whether it enforces and which context we run in; an
 * interface so that the advice built on it can be tested on hosts without SELinux.
 */
interface Selinux {

    /** True when SELinux is enabled and enforcing, so type enforcement may refuse what file modes allow. */
    boolean enforcing();

    /** Our own security context ({@code user:role:type:level}), or null when it cannot be read. */
    String context();

    /** This host's: {@code /sys/fs/selinux/enforce} and {@code /proc/self/attr/current}. */
    static Selinux host() {
        return new KernelFiles(Path.of("/sys/fs/selinux/enforce"), Path.of("/proc/self/attr/current"));
    }

    /** SELinux as the kernel shows it in two files, read each time asked. */
    record KernelFiles(Path enforceFile, Path contextFile) implements Selinux {

        /**
         * {@code 1} in the enforce file. A missing file means SELinux is off; one we may not read means
         * it enforces, since the file is world-readable and only an enforcing policy refuses a read.
         */
        @Override
        public boolean enforcing() {
            try {
                return Files.readString(enforceFile).trim().equals("1");
            } catch (AccessDeniedException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** The context file's text without the kernel's trailing NUL and newline; null if unreadable or empty. */
        @Override
        public String context() {
            try {
                String text = Files.readString(contextFile).replace("\0", "").trim();
                return text.isEmpty() ? null : text;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
