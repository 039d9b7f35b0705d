// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's reply decoder over an {@code EmbeddedChannel}, whole and cut into reads of every size. */
class SmtpReplyDecoderTest {

    private static final String EHLO = "250-sink.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new SmtpReplyDecoder());

    @AfterEach
    void finish() {
        // After a protocol error the client drops the connection; here the decoder is removed with
        // what it could not decode, so finishing does not decode that again.
        channel.pipeline().remove(SmtpReplyDecoder.class);
        channel.finishAndReleaseAll();
    }

    private List<Reply> feed(String wire, int chunk) {
        byte[] bytes = wire.getBytes(UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        List<Reply> replies = new ArrayList<>();
        for (Reply r = channel.readInbound(); r != null; r = channel.readInbound()) {
            replies.add(r);
        }
        return replies;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 1000})
    void pipelinedRepliesComeOutWholeAndInOrderHoweverTheyAreCut(int chunk) {
        List<Reply> replies = feed("220 sink ESMTP\r\n" + EHLO + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go on\n221 Bye\r\n",
                chunk);
        assertThat(replies).containsExactly(Reply.of(220, "sink ESMTP"),
                new Reply(250, List.of("sink.example", "PIPELINING", "SIZE 10240000", "8BITMIME")),
                Reply.of(250, "2.1.0 Ok"), Reply.of(250, "2.1.5 Ok"), Reply.of(354, "go on"), Reply.of(221, "Bye"));
    }

    @Test
    void aBareCodeAndACodeWithASpaceHaveEmptyText() {
        assertThat(feed("250\r\n354 \r\n", 1000)).containsExactly(Reply.of(250, ""), Reply.of(354, ""));
    }

    @Test
    void utf8TextIsKept() {
        assertThat(feed("250 2.0.0 Grüße\r\n", 1)).containsExactly(Reply.of(250, "2.0.0 Grüße"));
    }

    @Test
    void aLineWithoutThreeDigitsIsAProtocolError() {
        assertThatThrownBy(() -> feed("25O Ok\r\n", 1000)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("not an SMTP reply line: \"25O Ok\"");
    }

    @Test
    void aFourthCharacterOtherThanSpaceOrHyphenIsAProtocolError() {
        assertThatThrownBy(() -> feed("250+Ok\r\n", 1000)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("not an SMTP reply line");
    }

    @Test
    void aCodeOutOfRangeIsAProtocolError() {
        assertThatThrownBy(() -> feed("199 Hm\r\n", 1000)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("bad reply code in \"199 Hm\"");
    }

    @Test
    void aCodeChangingInsideAReplyIsAProtocolError() {
        assertThatThrownBy(() -> feed("250-a\r\n251 b\r\n", 1000)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("bad reply code in \"251 b\"");
    }

    @Test
    void anOverlongLineIsAProtocolErrorBeforeItsEndArrives() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE), 512))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than");
    }

    @Test
    void aLongErrorLineIsAbbreviatedInTheMessage() {
        assertThatThrownBy(() -> feed("x".repeat(100) + "\r\n", 1000)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("\"" + "x".repeat(60) + "...\"");
    }

    @Test
    void aReplyOfTooManyLinesIsAProtocolError() {
        String many = "250-x\r\n".repeat(SmtpReplyDecoder.MAX_LINES + 1) + "250 end\r\n";
        assertThatThrownBy(() -> feed(many, 4096)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("more than " + SmtpReplyDecoder.MAX_LINES + " lines");
    }
}
