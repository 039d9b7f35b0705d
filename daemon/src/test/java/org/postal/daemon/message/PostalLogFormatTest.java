// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostalLogFormatTest {
    private final MessageSource source = new MessageSource(MessageSpec.DEFAULT, 1, new RunId(1),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 10_000);
    private final Message message =
            source.generator(0, UnpooledByteBufAllocator.DEFAULT).next("user1@example.com", "user3@example.com", 0, 300);

    @AfterEach
    void release() {
        message.release();
        source.close();
    }

    @Test
    void summaryIsHashThenBracketedAddresses() {
        assertThat(PostalLogFormat.summary(message))
                .isEqualTo(message.hash() + " <user1@example.com> <user3@example.com>\n")
                .matches("[0-9a-f]{32} <[^>]+> <[^>]+>\n");
    }

    @Test
    void fullTextIsTheMessageAsSentWithEndOfDataAndConsumesNothing() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PostalLogFormat.writeFullText(message, out);
        String expected = message.header().toString(UTF_8) + message.lines().toString(UTF_8)
                + message.lastLine().toString(UTF_8) + ".\r\n";
        assertThat(out.toString(UTF_8)).isEqualTo(expected).startsWith("From: <user1@example.com>\r\n");
        assertThat(out.size()).isEqualTo(message.size() + 3);
        assertThat(ByteBufUtil.getBytes(message.header())).hasSize(message.header().readableBytes());
        assertThat(message.bodySize()).isEqualTo(300);
    }
}
