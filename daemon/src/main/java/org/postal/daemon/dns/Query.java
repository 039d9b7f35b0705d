// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.util.Locale;
import java.util.Objects;

/**
 * One question (class IN), written as dnsperf and resperf read their input: {@code name TYPE}.
 *
 * @param name a domain name without the trailing dot
 */
public record Query(String name, DnsRecordType type) {

    /** RFC 1035 section 2.3.4: 255 octets on the wire, so at most 253 characters written out. */
    static final int MAX_NAME = 253;

    public Query {
        Objects.requireNonNull(type, "type");
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("bad query name \"" + name + "\"");
        }
    }

    /** Reads a dnsperf input line: {@code name TYPE}, separated by blanks; the type by its mnemonic. */
    public static Query parse(String line) {
        String[] words = line.trim().split("[ \t]+");
        if (words.length != 2) {
            throw new IllegalArgumentException("want \"name TYPE\", got \"" + line + "\"");
        }
        String name = words[0].endsWith(".") && words[0].length() > 1
                ? words[0].substring(0, words[0].length() - 1) : words[0];
        DnsRecordType type = DnsRecordType.valueOf(words[1].toUpperCase(Locale.ROOT));
        if (type.name().startsWith("UNKNOWN")) {
            throw new IllegalArgumentException("unknown query type \"" + words[1] + "\"");
        }
        return new Query(name, type);
    }

    /** The dnsperf line, without its newline. */
    @Override
    public String toString() {
        return name + " " + type.name();
    }
}
