// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The address of a DNS server as options give it: an IP literal, port 53 unless given. */
public final class DnsServerAddress {

    /** The DNS port (RFC 1035 section 4.2). */
    public static final int PORT = 53;

    /**
     * <pre>
     * server = ipv4 [ ":" port ] / "[" ipv6-or-ipv4 "]" [ ":" port ] / ipv6
     * </pre>
     * A bare IPv6 literal has no port (its colons would be ambiguous).
     */
    private static final Pattern SYNTAX = Pattern.compile(
            "\\[([0-9A-Fa-f:.]+)](?::([0-9]{1,5}))?|([0-9.]+)(?::([0-9]{1,5}))?|([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)");

    private DnsServerAddress() {
    }

    /** Parses {@code text}; {@code option} names where it came from in the error. No name is looked up. */
    public static InetSocketAddress parse(String text, String option) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad " + option + " \"" + text
                    + "\": use an IP address, ADDRESS:PORT or [IPV6]:PORT");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
        String port = m.group(2) != null ? m.group(2) : m.group(4);
        int number = port == null ? PORT : Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("bad " + option + " \"" + text + "\": port out of range 1..65535");
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw new IllegalArgumentException("bad " + option + " \"" + text + "\": not an IP address");
        }
        return new InetSocketAddress(address, number);
    }
}
