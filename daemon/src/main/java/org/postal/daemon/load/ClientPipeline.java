// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline of every load-generator connection, postal's and rabid's alike, and its handler
 * names: byte counter (on the wire, so it counts TLS records), TLS (implicit at once, or added by
 * STARTTLS/STLS later in the same place), transcript (clear text), the protocol's reply decoder,
 * and the slot that runs the session.
 */
public final class ClientPipeline {

    public static final String BYTES = "bytes";
    public static final String TLS = "tls";
    public static final String TRANSCRIPT = "transcript";
    public static final String DECODER = "decoder";
    public static final String SLOT = "slot";

    private ClientPipeline() {
    }

    /**
     * Fills a new connection's pipeline.
     *
     * @param tls      the TLS handler for implicit TLS (SMTPS, POP3S, IMAPS), or null
     * @param recorder the transcript recorder, or null when transcripts are off
     */
    public static void build(ChannelPipeline p, ChannelHandler bytes, SslHandler tls, ChannelHandler recorder,
                             ChannelHandler decoder, ChannelHandler slot) {
        p.addLast(BYTES, bytes);
        if (tls != null) {
            p.addLast(TLS, tls);
        }
        if (recorder != null) {
            p.addLast(TRANSCRIPT, recorder);
        }
        p.addLast(DECODER, decoder);
        p.addLast(SLOT, slot);
    }

    /** Counts {@code ch} in {@code open} until it closes, whether it ever connected or not. */
    public static void countOpen(Channel ch, LongAdder open) {
        open.increment();
        ch.closeFuture().addListener(f -> open.decrement());
    }

    /** STARTTLS (SMTP, IMAP) or STLS (POP3) was accepted: TLS goes where implicit TLS would be. */
    public static void startTls(ChannelPipeline p, SslHandler tls) {
        p.addAfter(BYTES, TLS, tls);
    }
}
