// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@link Reply} objects as wire text; stateless, so one instance serves every channel. */
@Sharable
public final class ReplyEncoder extends MessageToByteEncoder<Reply> {

    public static final ReplyEncoder INSTANCE = new ReplyEncoder();

    private ReplyEncoder() {
        super(Reply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
        String wire = reply.wire();
        out.ensureWritable(ByteBufUtil.utf8MaxBytes(wire));
        out.writeCharSequence(wire, StandardCharsets.UTF_8);
    }
}
