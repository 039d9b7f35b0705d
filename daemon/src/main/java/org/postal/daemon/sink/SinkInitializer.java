// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.report.ByteCounter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.postal.daemon.smtp.ReplyEncoder;
import org.postal.daemon.smtp.SmtpServerDecoder;

/**
 * Builds a session pipeline: the slow link (when rules slow it), byte counter, TLS (implicit listener only), the pregreet trap (with a
 * greeting delay only), decoder, encoder, session.
 */
final class SinkInitializer extends ChannelInitializer<SocketChannel> {

    private final SinkServices services;
    private final boolean implicitTls;
    private final ChannelGroup sessions;
    private final ChannelHandler counter;

    SinkInitializer(SinkServices services, boolean implicitTls, ChannelGroup sessions) {
        this.services = services;
        this.implicitTls = implicitTls;
        this.sessions = sessions;
        this.counter = ByteCounter.reads(services.stats().bytes);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        sessions.add(ch);
        build(ch);
    }

    /** Lays out the session pipeline of {@code ch}; tests call it on an EmbeddedChannel. */
    void build(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        ProxyReceiver.install(ch, services.config().clients(), services.config().limits().commandTimeout().toNanos());
        p.addLast(PipelineNames.BYTES, counter);
        SlowLink.install(ch, services.settings().rules().slow(), services.stats());
        if (implicitTls) {
            SslHandler tls = services.ssl().newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(services.config().limits().commandTimeout().toMillis());
            RenegotiationGuard.install(p, tls);
        }
        GreetingGate gate = services.settings().rules().greeting().gate(services.stats());
        if (gate != null) {
            p.addLast(GreetingGate.NAME, gate);
        }
        SmtpServerDecoder decoder = new SmtpServerDecoder(services.config().limits().maxLine());
        p.addLast(PipelineNames.DECODER, decoder);
        p.addLast(PipelineNames.ENCODER, ReplyEncoder.INSTANCE);
        p.addLast(PipelineNames.SESSION, new SinkSessionHandler(services, decoder, implicitTls));
    }
}
