// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

/**
 * Why the kernel would not connect from a source address. Both NIO and epoll carry only the
 * strerror(3) text of the errno, so that text is what is matched.
 */
public enum BindFault {
    /** The address is not one of this host's (bind(2), connect(2) with IP_BIND_ADDRESS_NO_PORT). */
    EADDRNOTAVAIL("Cannot assign requested address",
            "not an address of this host: add it, route its prefix as local (AnyIP) or use --freebind"),
    /** No port is free for this source and destination, or the given port is taken. */
    EADDRINUSE("Address already in use",
            "no free port for this source: more source addresses or fewer connections in TIME_WAIT");

    private final String text;
    private final String advice;

    BindFault(String text, String advice) {
        this.text = text;
        this.advice = advice;
    }

    /** What to do about it. */
    public String advice() {
        return advice;
    }

    /** The fault's name when {@code error} reports one, else {@code otherwise}: an error code for the statistics. */
    public static String code(Throwable error, String otherwise) {
        BindFault fault = of(error);
        return fault == null ? otherwise : fault.name();
    }

    /** The fault {@code error} (or a cause of it) reports, or null when it is none of these. */
    public static BindFault of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            for (BindFault fault : values()) {
                if (message != null && message.contains(fault.text)) {
                    return fault;
                }
            }
        }
        return null;
    }
}
