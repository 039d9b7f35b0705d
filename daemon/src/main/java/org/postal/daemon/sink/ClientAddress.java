// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A session's client and server addresses: the TCP peer and local address, unless a trusted PROXY
 * header or an authorized XCLIENT command announced others, which then stand for them everywhere bhm keys on a client (greylisting,
 * logs, transcripts, the distinct-client count) or names itself (the -r hosts file).
 */
final class ClientAddress {

    static final AttributeKey<InetSocketAddress> ANNOUNCED_CLIENT = AttributeKey.valueOf("announced-client");
    static final AttributeKey<InetSocketAddress> ANNOUNCED_SERVER = AttributeKey.valueOf("announced-server");

    private ClientAddress() {
    }

    /** The client of {@code ch} as logs name it, counted once in {@code count} (unless null) if it is an IP address. */
    static String arrived(Channel ch, ClientCount count) {
        SocketAddress client = client(ch);
        if (client instanceof InetSocketAddress inet && inet.getAddress() != null) {
            if (count != null) {
                count.add(inet.getAddress());
            }
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(client);
    }

    /** The client's IP address (announced or the peer's), or null when it has none (an embedded channel). */
    static java.net.InetAddress address(Channel ch) {
        return client(ch) instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** The client (announced or the peer). */
    static SocketAddress client(Channel ch) {
        return ch.hasAttr(ANNOUNCED_CLIENT) ? ch.attr(ANNOUNCED_CLIENT).get() : ch.remoteAddress();
    }

    /** The server address the client reached (announced or the socket's). */
    static SocketAddress server(Channel ch) {
        return ch.hasAttr(ANNOUNCED_SERVER) ? ch.attr(ANNOUNCED_SERVER).get() : ch.localAddress();
    }
}
