// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.Channel;
import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postal.daemon.smtp.Reply;

/**
 * Postfix's XCLIENT command (XCLIENT_README), as smtpd answers it: a client in
 * --xclient-authorized (a proxy, or postal --announce xclient) sees XCLIENT in the EHLO reply and
 * may announce another client's ADDR and PORT (and DESTADDR/DESTPORT for the server side); the
 * announced addresses then stand for the peer's exactly as a PROXY header's do (ClientAddress). The
 * other attributes are taken and ignored, since bhm neither looks names up nor keeps HELO or LOGIN.
 * Authorization is the current client's, so once another ADDR is announced XCLIENT is usually refused.
 */
final class XclientReceiver {

    /** The attributes Postfix lists, in its order. */
    static final String OFFER = "XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT";
    private static final Set<String> NAMES = Set.of(OFFER.substring("XCLIENT ".length()).split(" "));
    static final Reply UNAUTHORIZED = Reply.of(550, "5.7.0 Error: insufficient authorization");
    static final Reply IN_TRANSACTION = Reply.of(503, "5.5.1 Error: MAIL transaction in progress");
    static final Reply SYNTAX = Reply.of(501, "5.5.4 Syntax: XCLIENT attribute=value...");

    private XclientReceiver() {
    }

    /** The EHLO reply {@code ehlo}, offering XCLIENT (before HELP, the last line) when {@code ch}'s client may use it. */
    static Reply offer(Reply ehlo, Channel ch, ClientPolicy policy) {
        if (!authorized(ch, policy) || ehlo.code() != 250) {
            return ehlo;
        }
        List<String> lines = new ArrayList<>(ehlo.lines());
        lines.add(Math.max(1, lines.size() - 1), OFFER);
        return new Reply(250, lines);
    }

    /**
     * {@code count}, or null for a client that may send XCLIENT: such a proxy is counted by the
     * clients it announces, not as one of them (a PROXY header is read before any counting).
     */
    static ClientCount counted(Channel ch, ClientPolicy policy, ClientCount count) {
        return authorized(ch, policy) ? null : count;
    }

    private static boolean authorized(Channel ch, ClientPolicy policy) {
        InetAddress client = ClientAddress.address(ch);
        return client != null && policy.authorizesXclient(client);
    }

    /**
     * Performs XCLIENT {@code argument} on {@code ch}: null when the announced addresses now stand for
     * the client and server (the session must start over), else the reply refusing it, nothing changed.
     */
    static Reply receive(Channel ch, ClientPolicy policy, String argument, boolean inTransaction) {
        if (!authorized(ch, policy)) {
            return UNAUTHORIZED;
        }
        if (inTransaction) {
            return IN_TRANSACTION;
        }
        String[] attributes = argument.isBlank() ? new String[0] : argument.trim().split(" +");
        if (attributes.length == 0) {
            return SYNTAX;
        }
        InetSocketAddress client = socket(ClientAddress.client(ch));
        InetSocketAddress server = socket(ClientAddress.server(ch));
        for (String attribute : attributes) {
            int eq = attribute.indexOf('=');
            if (eq <= 0) {
                return SYNTAX;
            }
            String name = attribute.substring(0, eq).toUpperCase(java.util.Locale.ROOT);
            String value = xtext(attribute.substring(eq + 1));
            if (!NAMES.contains(name)) {
                return Reply.of(501, "5.5.4 Bad XCLIENT attribute name: " + name);
            }
            if (value == null) {
                return Reply.of(501, "5.5.4 Bad " + name + " syntax: " + attribute.substring(eq + 1));
            }
            boolean unknown = value.equals("[UNAVAILABLE]") || value.equals("[TEMPUNAVAIL]");
            try {
                switch (name) {
                    case "ADDR" -> client = unknown ? client : new InetSocketAddress(address(value), client.getPort());
                    case "PORT" -> client = unknown ? client : new InetSocketAddress(client.getAddress(), port(value));
                    case "DESTADDR" -> server = unknown ? server : new InetSocketAddress(address(value), server.getPort());
                    case "DESTPORT" -> server = unknown ? server : new InetSocketAddress(server.getAddress(), port(value));
                    default -> {
                        // NAME, REVERSE_NAME, PROTO, HELO, LOGIN: nothing of bhm's depends on them.
                    }
                }
            } catch (IllegalArgumentException e) {
                return Reply.of(501, "5.5.4 Bad " + name + " syntax: " + value);
            }
        }
        ch.attr(ClientAddress.ANNOUNCED_CLIENT).set(client);
        ch.attr(ClientAddress.ANNOUNCED_SERVER).set(server);
        return null;
    }

    /** An address the session has, or the unspecified address when it has none (an embedded channel). */
    private static InetSocketAddress socket(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null ? inet
                : new InetSocketAddress(NetUtil.LOCALHOST4, 0);
    }

    /** XCLIENT_README: an IPv4 literal, or IPV6: and an IPv6 literal; no name is looked up. */
    private static InetAddress address(String value) {
        boolean six = value.regionMatches(true, 0, "IPV6:", 0, 5);
        String literal = six ? value.substring(5) : value;
        if (six ? !NetUtil.isValidIpV6Address(literal) : !NetUtil.isValidIpV4Address(literal)) {
            throw new IllegalArgumentException(value);
        }
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(value, e);
        }
    }

    private static int port(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(value) > 65535) {
            throw new IllegalArgumentException(value);
        }
        return Integer.parseInt(value);
    }

    /** Decodes RFC 3461 section 4 xtext ("+" and two hex digits for a byte), or null when it is not xtext. */
    static String xtext(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
