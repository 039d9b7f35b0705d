// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

/**
 * How a server answered a command, as RFC 5321 section 4.2.1 groups reply codes by their first
 * digit, plus the case where no answer came at all.
 */
public enum ReplyClass {
    /** 2xx, or a 3xx that asks for more (354 to DATA, 334 to AUTH): the command went through. */
    ACCEPTED("2xx"),
    /** 4xx: transient negative completion, worth trying again later (greylisting, 421, 452). */
    TEMPORARY("4xx"),
    /** 5xx: permanent negative completion. */
    PERMANENT("5xx"),
    /** No reply: the connection closed, failed or timed out while the reply was awaited. */
    LOST("lost");

    private final String label;

    ReplyClass(String label) {
        this.label = label;
    }

    /** The name in columns, JSON keys and the summary. */
    public String label() {
        return label;
    }

    /** The class of a reply code (100-599). */
    public static ReplyClass of(int code) {
        return switch (code / 100) {
            case 2, 3 -> ACCEPTED;
            case 4 -> TEMPORARY;
            case 5 -> PERMANENT;
            default -> throw new IllegalArgumentException("not a reply code: " + code);
        };
    }
}
