// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postal.daemon.load.MailboxLimits;

/**
 * A server that answers one command with responses without end (untagged IMAP responses, POP3
 * listing lines) is cut off after {@link MailboxLimits#MAX_RESPONSES} (listings) or
 * {@link MailboxLimits#MAX_OTHER_RESPONSES} (other commands), rather than read forever.
 */
class MailboxFloodTest {

    private static final int CHUNK = 4096;

    private EmbeddedChannel channel;
    private TestHost host;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        host.end();
    }

    private void start(String protocol, String greeting) throws Exception {
        host = new TestHost(protocol);
        channel = new EmbeddedChannel(false, false);
        host.start(channel, "");
        channel.register();
        host.session.start();
        feed(greeting);
    }

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
        channel.runPendingTasks();
    }

    /** Sends {@code line} until the session ends, or a good deal more often than the limit. */
    private long flood(String line, int limit) {
        String chunk = line.repeat(CHUNK);
        long sent = 0;
        while (!host.done && sent < 3L * limit) {
            feed(chunk);
            sent += CHUNK;
        }
        return sent;
    }

    @Test
    void imapUntaggedFloodEndsTheSession() throws Exception {
        start("imap", "* OK [CAPABILITY IMAP4rev1] hi\r\n");
        feed("a1 OK logged in\r\n");
        long sent = flood("* OK [ALERT] flood\r\n", MailboxLimits.MAX_OTHER_RESPONSES);
        assertThat(host.events).containsExactly("failed SELECT flood", "done trouble");
        assertThat(sent).isLessThanOrEqualTo(MailboxLimits.MAX_OTHER_RESPONSES + CHUNK);
    }

    @Test
    void pop3EndlessListingEndsTheSession() throws Exception {
        start("pop3", "+OK hi\r\n");
        feed("+OK\r\n.\r\n+OK\r\n+OK\r\n+OK 1 10\r\n+OK\r\n");
        long sent = flood("1 10\r\n", MailboxLimits.MAX_RESPONSES);
        assertThat(host.events).containsExactly("failed LIST flood", "done trouble");
        assertThat(sent).isLessThanOrEqualTo(MailboxLimits.MAX_RESPONSES + CHUNK);
    }
}
