// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a code and one or more text lines (RFC 5321 section 4.2).
 *
 * <p>A final class rather than a record only so that it can keep its wire bytes: the sink's
 * replies are constants written millions of times, and encoding them once saves a string build
 * and a UTF-8 encoding per reply (about a seventh of bhm's allocation per message).
 */
public final class Reply {

    private final int code;
    private final List<String> lines;
    private byte[] wire;

    /**
     * @param code  the three-digit reply code, 200 to 599
     * @param lines the text lines, each without CR or LF; the last line ends the reply
     */
    public Reply(int code, List<String> lines) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        this.lines = List.copyOf(lines);
        if (this.lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : this.lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("CR or LF in reply text: " + line);
            }
        }
        this.code = code;
    }

    /** A one-line reply. */
    public static Reply of(int code, String text) {
        return new Reply(code, List.of(text));
    }

    public int code() {
        return code;
    }

    public List<String> lines() {
        return lines;
    }

    /** True for 4xx replies. */
    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** True for 4xx and 5xx replies. */
    public boolean failure() {
        return code >= 400;
    }

    /** The reply as it goes on the wire, continuation lines marked with a hyphen. */
    public String wire() {
        return new String(wireBytes(), StandardCharsets.UTF_8);
    }

    /** The wire form as UTF-8, built on first use and kept (a benign race: every thread builds the same). */
    byte[] wireBytes() {
        byte[] bytes = wire;
        if (bytes == null) {
            StringBuilder out = new StringBuilder(32 * lines.size());
            for (int i = 0; i < lines.size(); i++) {
                out.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
            }
            bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            wire = bytes;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reply reply && reply.code == code && reply.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return 31 * code + lines.hashCode();
    }

    @Override
    public String toString() {
        return "Reply[code=" + code + ", lines=" + lines + "]";
    }
}
