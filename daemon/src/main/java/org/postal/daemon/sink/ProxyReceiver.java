// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY protocol header (version 1 or 2, proxy-protocol.txt) that a client from a
 * trusted network must send first, records the addresses it announces, and only then lets the
 * session start and greet: the greeting goes to the announced client (as Postfix's
 * smtpd_upstream_proxy_protocol does). A connection that sends no valid header within the command
 * timeout is closed without a word; a LOCAL header (a proxy's health check) keeps the real addresses.
 */
final class ProxyReceiver extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyReceiver.class);
    static final String DECODER = "proxy-decoder";
    static final String NAME = "proxy-receiver";

    private final long timeoutNanos;
    private ScheduledFuture<?> timeout;

    private ProxyReceiver(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Puts the header decoder first in {@code ch}'s pipeline when its peer is in a trusted network. */
    static void install(Channel ch, ClientPolicy policy, long timeoutNanos) {
        if (ch.remoteAddress() instanceof InetSocketAddress peer && policy.trustsProxy(peer.getAddress())) {
            ch.pipeline().addFirst(NAME, new ProxyReceiver(timeoutNanos));
            ch.pipeline().addFirst(DECODER, new HAProxyMessageDecoder());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back until the header has come: the session greets on channelActive.
        timeout = ctx.executor().schedule(() -> {
            LOG.debug("no PROXY header from {} in time", ctx.channel().remoteAddress());
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.proxiedProtocol() != HAProxyProxiedProtocol.UNKNOWN
                    && header.proxiedProtocol().transportProtocol() == HAProxyProxiedProtocol.TransportProtocol.STREAM) {
                ctx.channel().attr(ClientAddress.ANNOUNCED_CLIENT).set(
                        socket(header.sourceAddress(), header.sourcePort()));
                ctx.channel().attr(ClientAddress.ANNOUNCED_SERVER).set(
                        socket(header.destinationAddress(), header.destinationPort()));
            }
        } finally {
            ReferenceCountUtil.release(header);
        }
        timeout.cancel(false);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** An address literal the decoder has checked: no name lookup happens. */
    private static InetSocketAddress socket(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal)),
                    port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("bad PROXY header from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.close();
    }
}
