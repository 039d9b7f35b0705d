// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sockets passed by systemd socket activation (sd_listen_fds(3)): when {@code $LISTEN_PID} is this
 * process and {@code $LISTEN_FDS} is n ≥ 1, fds 3 … 3+n-1 are open listening sockets, named in order
 * by {@code $LISTEN_FDNAMES} (colon-separated; {@code FileDescriptorName=} in the .socket unit,
 * "unknown" when unnamed). Also made by {@code systemd-socket-activate -l ADDR --fdname=NAME}.
 */
public final class ListenFds {

    /** The first passed descriptor (SD_LISTEN_FDS_START). */
    public static final int FIRST = 3;

    /** One passed socket. */
    public record Passed(int fd, String name) {
    }

    private ListenFds() {
    }

    /**
     * The passed sockets, empty when none were passed to this process.
     *
     * @throws IllegalArgumentException when the variables are there for us but malformed
     */
    public static List<Passed> fromEnvironment(Map<String, String> env, long pid) {
        String forPid = env.get("LISTEN_PID");
        String count = env.get("LISTEN_FDS");
        if (forPid == null || count == null) {
            return List.of();
        }
        try {
            if (Long.parseLong(forPid.trim()) != pid) {
                return List.of();
            }
        } catch (NumberFormatException e) {
            return List.of();
        }
        int n;
        try {
            n = Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LISTEN_FDS=" + count + " is not a number");
        }
        if (n < 0 || n > 1024) {
            throw new IllegalArgumentException("LISTEN_FDS=" + count + " is out of range");
        }
        String names = env.getOrDefault("LISTEN_FDNAMES", "");
        String[] split = names.isEmpty() ? new String[0] : names.split(":", -1);
        List<Passed> passed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            passed.add(new Passed(FIRST + i, i < split.length && !split[i].isEmpty() ? split[i] : "unknown"));
        }
        return List.copyOf(passed);
    }

    /** Closes sockets this process bound or was given but will not serve (jsvc: init bound, start never ran). */
    public static void close(List<Passed> sockets) {
        for (Passed socket : sockets) {
            try {
                new io.netty.channel.unix.Socket(socket.fd()).close();
            } catch (java.io.IOException e) {
                // already closed: nothing left to release
            }
        }
    }

    /** True for the names that mean TLS from the first byte (RFC 8314): "smtps", "submissions". */
    public static boolean implicitTls(Passed passed) {
        return passed.name().equals("smtps") || passed.name().equals("submissions");
    }
}
