// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.postal.daemon.load.ClientPipeline;

/** Makes a new connection as slow as {@link SlowClient} says: socket buffers, paced reads and writes. */
final class SlowLink {

    static final String READ_PACE = "read-pace";
    static final String WRITE_PACE = "write-pace";

    private SlowLink() {
    }

    /** Call on a registered channel whose pipeline is built, before it connects (buffers size the TCP window). */
    static void install(Channel ch, SlowClient slow) {
        if (slow.sendBuffer() > 0) {
            ch.config().setOption(ChannelOption.SO_SNDBUF, slow.sendBuffer());
        }
        if (slow.receiveBuffer() > 0) {
            ch.config().setOption(ChannelOption.SO_RCVBUF, slow.receiveBuffer());
        }
        if (!slow.readPause().isZero()) {
            ch.pipeline().addAfter(ClientPipeline.BYTES, READ_PACE, new ReadPacer(slow.readPause().toNanos()));
        }
        if (slow.pacesWrites()) {
            // Last, so that it sees the slot's writes first; TLS and the byte counter see its pieces.
            ch.pipeline().addLast(WRITE_PACE, new PacedWriter(slow));
        }
    }
}
