// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;

/**
 * The command lines a session queued while it handled one event, gathered in one buffer and
 * written with one flush: pipelined RETR and DELE lines leave in one system call and one iovec.
 */
final class CommandBatch {

    /** Room for a window of pipelined RETR and DELE lines; the buffer grows if a line is longer. */
    private static final int CAPACITY = 256;
    private static final short CRLF = ('\r' << 8) | '\n';

    private ByteBuf batch;

    /** Adds {@code line} and CRLF. */
    void add(Channel channel, CharSequence line) {
        if (batch == null) {
            batch = channel.alloc().buffer(CAPACITY);
        }
        ByteBufUtil.writeUtf8(batch, line);
        batch.writeShort(CRLF);
    }

    /** Writes and flushes what was gathered, if anything. */
    void flush(Channel channel) {
        if (batch != null) {
            ByteBuf out = batch;
            batch = null;
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    /** Drops what was gathered: the connection is going. */
    void discard() {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }
}
