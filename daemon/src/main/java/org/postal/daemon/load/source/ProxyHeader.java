// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Writes one PROXY protocol header as the connection opens, before TLS or the first protocol byte
 * (proxy-protocol.txt section 2: "the header MUST be sent ... at the beginning of the
 * connection"), then leaves the pipeline. The source is the announced address with the socket's
 * real local port; the destination is the server's address, written in the announced family
 * (TCP4 and TCP6 carry both addresses in one family, section 2.1).
 */
final class ProxyHeader extends ChannelInboundHandlerAdapter {

    static final String NAME = "proxy-header";
    private static final String ENCODER = "proxy-encoder";

    private final HAProxyProtocolVersion version;
    private final InetSocketAddress announced;

    ProxyHeader(Announce how, InetSocketAddress announced) {
        this.version = how == Announce.PROXY_V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        this.announced = announced;
    }

    /** Puts the header first in {@code pipeline} (before TLS, counters and the protocol). */
    static void install(io.netty.channel.ChannelPipeline pipeline, Announce how, InetSocketAddress announced) {
        pipeline.addFirst(NAME, new ProxyHeader(how, announced));
        pipeline.addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        ctx.writeAndFlush(message(announced.getAddress(), local.getPort(), remote));
        ctx.pipeline().remove(ENCODER);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    HAProxyMessage message(InetAddress source, int sourcePort, InetSocketAddress remote) {
        boolean four = source instanceof Inet4Address;
        return new HAProxyMessage(version, HAProxyCommand.PROXY,
                four ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6, NetUtil.toAddressString(source),
                sameFamily(remote.getAddress(), four), sourcePort, remote.getPort());
    }

    /**
     * {@code address} written in IPv4 or IPv6 form: an IPv4 address maps to ::ffff:a.b.c.d (RFC 4291
     * section 2.5.5.2); an IPv6 address maps back when it is such a mapping (Java reads those as IPv4
     * already), ::1 becomes 127.0.0.1, and any other becomes 0.0.0.0: the server learns only that it
     * was not an IPv4 address.
     */
    static String sameFamily(InetAddress address, boolean four) {
        if (four == address instanceof Inet4Address) {
            return NetUtil.toAddressString(address);
        }
        if (!four) {
            return "::ffff:" + address.getHostAddress();
        }
        return address.isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
    }
}
