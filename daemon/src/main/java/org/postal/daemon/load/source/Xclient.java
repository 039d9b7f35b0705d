// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The XCLIENT command (Postfix XCLIENT_README) that announces one connection's client address:
 * sent after EHLO when the server offers it, with only the attributes the server lists. The
 * server answers 220 and starts the session over as if that client had connected; one address per
 * connection, since a server usually stops authorizing XCLIENT once ADDR has been sent.
 *
 * @param address the announced client address, drawn from the source ranges like a PROXY header's
 * @param helo    the name postal greets with, announced as HELO
 */
public record Xclient(InetSocketAddress address, String helo) {

    /** The attributes postal announces, in the order it sends them. */
    private static final List<String> ANNOUNCED = List.of("ADDR", "NAME", "HELO", "PORT");

    /** XCLIENT_README: "[UNAVAILABLE]" says the client's name is not known (no reverse lookup was made). */
    static final String UNAVAILABLE = "[UNAVAILABLE]";

    public Xclient {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(helo, "helo");
    }

    /** The announcement for the next connection, or null unless {@code sources} announce with XCLIENT. */
    public static Xclient next(SourceAddresses sources, String helo) {
        return sources == null || sources.announce() != Announce.XCLIENT ? null
                : new Xclient(sources.announced(), helo);
    }

    /**
     * The attributes an EHLO reply's XCLIENT line lists (upper case), or null when the server does
     * not offer XCLIENT. {@code lines} are the reply's texts without codes, the greeting first.
     */
    public static List<String> offered(List<String> lines) {
        for (int i = 1; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().toUpperCase(Locale.ROOT).split("[ \t]+");
            if (words[0].equals("XCLIENT")) {
                return List.of(words).subList(1, words.length);
            }
        }
        return null;
    }

    /**
     * The command line (no CRLF) for a server offering {@code attributes}, or null when they do not
     * include ADDR: then nothing would be announced. {@code port} is the connection's own source port.
     */
    public String command(List<String> attributes, int port) {
        if (attributes == null || !attributes.contains("ADDR")) {
            return null;
        }
        StringJoiner line = new StringJoiner(" ", "XCLIENT ", "");
        for (String name : ANNOUNCED) {
            if (attributes.contains(name)) {
                line.add(name + "=" + xtext(value(name, port)));
            }
        }
        return line.toString();
    }

    private String value(String name, int port) {
        return switch (name) {
            case "ADDR" -> address.getAddress() instanceof Inet6Address
                    ? "IPV6:" + NetUtil.toAddressString(address.getAddress()) // XCLIENT_README's IPv6 form
                    : address.getAddress().getHostAddress();
            case "NAME" -> UNAVAILABLE;
            case "HELO" -> helo;
            case "PORT" -> Integer.toString(port);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * RFC 3461 section 4 xtext, which XCLIENT attribute values use: '+', '=' and bytes outside
     * 33-126 become "+" and two upper-case hex digits.
     */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
