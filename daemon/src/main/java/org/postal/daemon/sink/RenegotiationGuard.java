// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses client-initiated TLS renegotiation: it reads the TLS record headers on their way to
 * the {@link SslHandler} behind it and, when a handshake record arrives after the handshake has
 * finished, fires {@link #REFUSED} down the pipeline (the session counts and logs it) and closes
 * the connection.
 *
 * <p>Renegotiation lets one client make the server redo the costly half of a handshake as often as
 * it likes on one connection (CVE-2011-1473); a sink has no use for it. The JDK refuses it only
 * when {@code jdk.tls.rejectClientInitiatedRenegotiation} is set before its first server handshake,
 * once per JVM, so the check is made here, whatever the provider. Record headers are plaintext
 * (RFC 5246 section 6.2.1): in TLS 1.2 a handshake record (type 22) after the client's Finished
 * can only start a renegotiation; TLS 1.3 has none, and sends its later handshake messages as
 * application-data records (RFC 8446 section 5.2), so it never trips the guard.
 */
final class RenegotiationGuard extends ChannelInboundHandlerAdapter {

    /** The user event fired before a connection is closed for renegotiating. */
    static final Object REFUSED = "TLS renegotiation refused";

    private static final int HEADER = 5;
    private static final byte HANDSHAKE = 22;

    private final SslHandler tls;
    private final byte[] header = new byte[HEADER];
    private int headerBytes;
    private int bodyLeft;
    private boolean first = true;

    RenegotiationGuard(SslHandler tls) {
        this.tls = tls;
    }

    /** Puts {@code tls} right after the byte counter, with a guard in front of it. */
    static void install(ChannelPipeline pipeline, SslHandler tls) {
        pipeline.addAfter(PipelineNames.BYTES, PipelineNames.RENEGOTIATION, new RenegotiationGuard(tls));
        pipeline.addAfter(PipelineNames.RENEGOTIATION, PipelineNames.TLS, tls);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && renegotiates(buf)) {
            ReferenceCountUtil.release(msg);
            ctx.fireUserEventTriggered(REFUSED);
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Steps over the records in {@code buf}; true when one is a handshake record after the handshake. */
    private boolean renegotiates(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        if (first && pos < end) {
            first = false;
            if ((buf.getByte(pos) & 0x80) != 0) {
                // An SSLv2-format ClientHello: a two-octet length with the top bit set, then the body.
                if (end - pos < 2) {
                    return false;
                }
                bodyLeft = ((buf.getByte(pos) & 0x7f) << 8) | (buf.getByte(pos + 1) & 0xff);
                pos += 2;
            }
        }
        while (pos < end) {
            if (bodyLeft > 0) {
                int n = Math.min(bodyLeft, end - pos);
                pos += n;
                bodyLeft -= n;
                continue;
            }
            header[headerBytes++] = buf.getByte(pos++);
            if (headerBytes == HEADER) {
                headerBytes = 0;
                bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (header[0] == HANDSHAKE && tls.handshakeFuture().isSuccess()) {
                    return true;
                }
            }
        }
        return false;
    }
}
