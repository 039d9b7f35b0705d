// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import java.util.Locale;

/**
 * How a connection's client address reaches the server: bound as the socket's source address, or
 * announced over a connection from the machine's own address, in a PROXY protocol header
 * (haproxy.org proxy-protocol.txt, versions 1 and 2) or, in SMTP only, with Postfix's XCLIENT command.
 */
public enum Announce {
    /** Bind the address: the server sees it as the TCP peer. */
    NONE,
    /** A PROXY protocol version 1 text line before the first byte of the session. */
    PROXY_V1,
    /** A PROXY protocol version 2 binary header before the first byte of the session. */
    PROXY_V2,
    /** An XCLIENT command after EHLO (Postfix XCLIENT_README); SMTP only. */
    XCLIENT;

    /** Parses the option word: none, proxy-v1, proxy-v2 or xclient. */
    public static Announce parse(String word) {
        for (Announce a : values()) {
            if (a.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("bad --announce \"" + word + "\": use none, proxy-v1, proxy-v2 or xclient");
    }

    /** True for either PROXY protocol version. */
    public boolean proxy() {
        return this == PROXY_V1 || this == PROXY_V2;
    }

    /** The option word. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
