// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.message.Verdict;
import org.postal.daemon.message.Verdict.Status;

/** rabid.log byte for byte: a hash per verified message, 0.76's mis-match line and the text. */
class RabidLogTest {

    private static final String GOOD = "0123456789abcdef0123456789abcdef";
    private static final String BAD = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void verifiedHashesThenAMismatchWithTheMessageReachTheFileOnFlushAndClose() throws IOException {
        Path file = dir.resolve("rabid.log");
        try (RabidLog log = new RabidLog(file, false)) {
            log.verified(new Verdict(Status.VERIFIED, "<a@b>", GOOD, GOOD, null));
            assertThat(Files.readString(file)).isEmpty();
            log.flush();
            assertThat(Files.readString(file)).isEqualTo(GOOD + "\n");
            var text = Unpooled.copiedBuffer("Subject: x\r\n\r\nbody\r\n", US_ASCII);
            log.mismatch(new Verdict(Status.CORRUPT, "<c@d>", GOOD, null, BAD), "user1@example.com", text);
            assertThat(text.readerIndex()).isZero();
        }
        assertThat(Files.readString(file)).isEqualTo(GOOD + "\nMD5 mis-match, calculated:" + BAD + ", expected " + GOOD
                + "!  Account name user1@example.com\nSubject: x\r\n\r\nbody\r\n");
    }

    @Test
    void theMismatchLinePrefersRealMd5() {
        assertThat(RabidLog.mismatchLine(new Verdict(Status.CORRUPT, null, GOOD, BAD, "x"), "u"))
                .isEqualTo("MD5 mis-match, calculated:" + BAD + ", expected " + GOOD + "!  Account name u");
    }

    @Test
    void aProbeLogWritesNothing() {
        try (RabidLog log = RabidLog.discarding()) {
            log.verified(new Verdict(Status.VERIFIED, null, GOOD, GOOD, null));
            log.message(Unpooled.copiedBuffer("text", US_ASCII));
            log.flush();
            assertThat(log.full()).isFalse();
        }
    }
}
