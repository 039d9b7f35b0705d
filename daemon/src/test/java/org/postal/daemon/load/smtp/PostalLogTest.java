// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** postal.log's two forms, byte for byte: 0.76's hash-and-addresses line, and under -a the text. */
class PostalLogTest {

    @TempDir
    Path dir;

    private Path file;

    private PostalLog open(boolean logAll) throws IOException {
        file = dir.resolve("postal.log");
        return new PostalLog(file, logAll);
    }

    @Test
    void aDeliveredMessageIsItsHashSenderAndRecipientsAfterTheNextFlush() throws IOException {
        try (PostalLog log = open(false)) {
            log.delivered("0123456789abcdef0123456789abcdef", "a@example.com", List.of("b@example.com", "c@example.com"));
            assertThat(Files.readString(file)).isEmpty();
            log.flush();
            assertThat(Files.readString(file))
                    .isEqualTo("0123456789abcdef0123456789abcdef <a@example.com> <b@example.com> <c@example.com>\n");
            log.delivered("fedcba9876543210fedcba9876543210", "d@example.com", List.of("e@example.com"));
        }
        assertThat(Files.readString(file)).endsWith("\nfedcba9876543210fedcba9876543210 <d@example.com> <e@example.com>\n");
    }

    @Test
    void aMessagesTextFollowsTheLinesBeforeIt() throws IOException {
        try (PostalLog log = open(false)) {
            log.delivered("0123456789abcdef0123456789abcdef", "a@example.com", List.of("b@example.com"));
            log.message(Unpooled.copiedBuffer("text\r\n", US_ASCII));
            assertThat(Files.readString(file))
                    .isEqualTo("0123456789abcdef0123456789abcdef <a@example.com> <b@example.com>\ntext\r\n.\r\n");
        }
    }

    @Test
    void underLogAllEachMessageIsItsTextAndTheEndOfDataLineAtOnce() throws IOException {
        try (PostalLog log = open(true)) {
            log.delivered("0123456789abcdef0123456789abcdef", "a@example.com", List.of("b@example.com"));
            var text = Unpooled.copiedBuffer("Subject: x\r\n\r\nbody\r\n", US_ASCII);
            log.message(text);
            assertThat(text.readerIndex()).isZero();
            assertThat(Files.readString(file)).isEqualTo("Subject: x\r\n\r\nbody\r\n.\r\n");
        }
        assertThat(Files.readString(file)).isEqualTo("Subject: x\r\n\r\nbody\r\n.\r\n");
    }
}
