// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link Reply} objects as wire text; stateless, so one instance serves every channel. */
@Sharable
public final class ReplyEncoder extends MessageToByteEncoder<Reply> {

    public static final ReplyEncoder INSTANCE = new ReplyEncoder();

    private ReplyEncoder() {
        super(Reply.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Reply reply, boolean preferDirect) {
        return ctx.alloc().ioBuffer(reply.wireBytes().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
        out.writeBytes(reply.wireBytes());
    }
}
