// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.postal.daemon.TrackingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decoder alone, behind a recorder that switches modes the way the session handler does:
 * DATA starts a body, {@code BDAT n} a chunk, STARTTLS drops what was pipelined behind it.
 *
 * <p>Every buffer the channel allocates or the test writes is tracked and must be released
 * when the channel is finished, so a leaked content slice fails the test.
 */
class SmtpServerDecoderTest {

    /** The smallest line limit the decoder takes; with its slack a line may have 104 octets. */
    private static final int MAX_LINE = 80;
    private static final int LIMIT = MAX_LINE + SmtpServerDecoder.LINE_SLACK;

    /** How input is cut into reads. */
    enum Split { WHOLE, BYTES, PAIRS, SEVENS }

    private final TrackingAllocator alloc = new TrackingAllocator();
    private SmtpServerDecoder decoder;
    private Recorder recorder;
    private EmbeddedChannel channel;
    private long budget = 1 << 20;

    @BeforeEach
    void setUp() {
        decoder = new SmtpServerDecoder(MAX_LINE);
        recorder = new Recorder();
        channel = new EmbeddedChannel(decoder, recorder);
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void noLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).as("leaked buffers").isEmpty();
    }

    // --- command lines ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Split.class)
    void pipelinedCommandsInAnySplit(Split split) {
        feed(split, "EHLO client.example\r\nMAIL FROM:<a@b> SIZE=10\r\nrcpt to:<c@d>\r\nNOOP\r\n");
        assertThat(events()).containsExactly(
                new CommandLine(Verb.EHLO, "client.example", "EHLO client.example"),
                new CommandLine(Verb.MAIL, "FROM:<a@b> SIZE=10", "MAIL FROM:<a@b> SIZE=10"),
                new CommandLine(Verb.RCPT, "to:<c@d>", "rcpt to:<c@d>"),
                new CommandLine(Verb.NOOP, "", "NOOP"));
    }

    @Test
    void commandSplitBetweenCrAndLf() {
        feed("NOOP\r", "\nQUIT", "\r", "\n");
        assertThat(events()).containsExactly(cmd("NOOP"), cmd("QUIT"));
    }

    @Test
    void incompleteLineWaitsForItsEnd() {
        feed("MAIL FROM:<a@b>");
        assertThat(events()).isEmpty();
        feed("\r\n");
        assertThat(events()).containsExactly(cmd("MAIL FROM:<a@b>"));
    }

    @Test
    void unknownVerbKeepsItsText() {
        feed("XYZZY plugh\r\n\r\n");
        assertThat(events()).containsExactly(
                new CommandLine(Verb.UNKNOWN, "plugh", "XYZZY plugh"), new CommandLine(Verb.UNKNOWN, "", ""));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bareLfCommandIsRefusedAndTheNextLineParsed(Split split) {
        feed(split, "NOOP\nQUIT\r\n\n");
        assertThat(events()).containsExactly(LineError.BARE_LF, cmd("QUIT"), LineError.BARE_LF);
    }

    // RFC 5321 section 2.3.8: a bare CR ends nothing; the three "commands" are one refused line.
    @ParameterizedTest
    @EnumSource(Split.class)
    void bareCrInsideACommandIsOneRefusedLine(Split split) {
        feed(split, "EHLO x\rMAIL FROM:<a@b>\rQUIT\r\nNOOP\r\r\nQUIT\r\n");
        assertThat(events()).containsExactly(LineError.BARE_CR, LineError.BARE_CR, cmd("QUIT"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void nulInCommandIsRefusedAndTheNextLineParsed(Split split) {
        feed(split, "MAIL FROM:<a\0b>\r\nQUIT\r\n");
        assertThat(events()).containsExactly(LineError.NUL, cmd("QUIT"));
    }

    @Test
    void lineAtTheLimitPassesAndOneOctetMoreIsTooLong() {
        String fits = "NOOP " + "x".repeat(LIMIT - 7);
        String over = fits + "x";
        feed(fits + "\r\n" + over + "\r\n" + "QUIT\r\n");
        assertThat(events()).containsExactly(cmd(fits), LineError.TOO_LONG, cmd("QUIT"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void overlongLineIsReportedOnceAndTheNextLineParsed(Split split) {
        feed(split, "NOOP " + "x".repeat(5 * LIMIT) + "\r\nRSET\r\n");
        feed(split, "QUIT\r\n");
        assertThat(events()).containsExactly(LineError.TOO_LONG, cmd("RSET"), cmd("QUIT"));
    }

    @Test
    void overlongLineWithoutEndIsReportedOnceWhileItGrows() {
        for (int i = 0; i < 10; i++) {
            feed("y".repeat(LIMIT));
        }
        feed("\r\nQUIT\r\n");
        assertThat(events()).containsExactly(LineError.TOO_LONG, cmd("QUIT"));
    }

    // --- DATA ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Split.class)
    void dataEndsAtCrLfDotCrLfAndPipelinedCommandsFollow(Split split) {
        String body = "Subject: t\r\n\r\nline one\r\nSTARTTLS\r\nQUIT\r\n";
        feed(split, "DATA\r\n" + body + ".\r\nRSET\r\nQUIT\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), body, end(body.length(), false, false),
                cmd("RSET"), cmd("QUIT"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void emptyBody(Split split) {
        feed(split, "DATA\r\n.\r\nNOOP\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), end(0, false, false), cmd("NOOP"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void dotUnstuffing(Split split) {
        feed(split, "DATA\r\n..\r\n...x\r\n.y\r\nz.\r\n..\r\n.\r\n");
        String content = ".\r\n..x\r\ny\r\nz.\r\n.\r\n";
        assertThat(events()).containsExactly(cmd("DATA"), content, end(content.length(), false, false));
    }

    @Test
    void endSplitInsideDotCrLf() {
        feed("DATA\r\nabc\r\n.", "\r", "\n", "NOOP\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), "abc\r\n", end(5, false, false), cmd("NOOP"));
    }

    @Test
    void endSplitBetweenCrAndLfOfTheLineBefore() {
        feed("DATA\r\nabc\r", "\n.\r\nNOOP\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), "abc\r\n", end(5, false, false), cmd("NOOP"));
    }

    @Test
    void dotCrWithoutLfIsContent() {
        feed("DATA\r\n.\rx\r\n.\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), "\rx\r\n", end(4, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bareLfDotLineDoesNotEndData(Split split) {
        // SMTP smuggling: "\r\n.\n" ends data in servers that take LF alone as a line end.
        feed(split, "DATA\r\nhello\r\n.\nMAIL FROM:<evil@x>\r\n.\r\nNOOP\r\n");
        List<Object> events = events();
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo(cmd("DATA"));
        assertThat((String) events.get(1)).startsWith("hello\r\n").contains("MAIL FROM:<evil@x>\r\n");
        assertThat(((ContentEnd) events.get(2)).bareLf()).isTrue();
        assertThat(events.get(3)).isEqualTo(cmd("NOOP"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void lfDotCrLfDoesNotEndData(Split split) {
        // SMTP smuggling: "\n.\r\n" is not CRLF "." CRLF (RFC 5321 section 4.1.1.4).
        feed(split, "DATA\r\nhello\n.\r\nMAIL FROM:<evil@x>\r\n.\r\nNOOP\r\n");
        List<Object> events = events();
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo(cmd("DATA"));
        assertThat((String) events.get(1)).startsWith("hello\n").contains("MAIL FROM:<evil@x>\r\n");
        assertThat(((ContentEnd) events.get(2)).bareLf()).isTrue();
        assertThat(events.get(3)).isEqualTo(cmd("NOOP"));
    }

    @Test
    void bareLfInBodySetsTheFlagButEndsNormally() {
        feed("DATA\r\na\nb\r\n.\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), "a\nb\r\n", end(5, false, true));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void contentNeverExceedsTheBudgetWhileOctetsCountEverything(Split split) {
        budget = 10;
        String body = "0123456789abcdef\r\n..ghijklmn\r\n";
        feed(split, "DATA\r\n" + body + ".\r\nNOOP\r\n");
        List<Object> events = events();
        assertThat(events).containsExactly(cmd("DATA"), "0123456789", end(body.length() - 1, false, false),
                cmd("NOOP"));
    }

    @Test
    void zeroBudgetEmitsNoContent() {
        budget = 0;
        feed("DATA\r\nabc\r\n.\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), end(5, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void overlongDataLineIsFlaggedAndKept(Split split) {
        String longLine = "z".repeat(3 * LIMIT) + "\r\n";
        String body = "short\r\n" + longLine + ".tail\r\n";
        feed(split, "DATA\r\n" + body + ".\r\n");
        String content = "short\r\n" + longLine + "tail\r\n";
        assertThat(events()).containsExactly(cmd("DATA"), content, end(content.length(), true, false));
    }

    @Test
    void lineAtTheLimitInDataIsNotTooLong() {
        String line = "d".repeat(LIMIT - 2) + "\r\n";
        feed("DATA\r\n" + line + ".\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), line, end(line.length(), false, false));
    }

    @Test
    void eachBodyStartsAfresh() {
        feed("DATA\r\na\nb\r\n.\r\nDATA\r\nc\r\n.\r\n");
        assertThat(events()).containsExactly(cmd("DATA"), "a\nb\r\n", end(5, false, true),
                cmd("DATA"), "c\r\n", end(3, false, false));
    }

    // --- BDAT ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Split.class)
    void chunksAreTakenVerbatimAndCommandsFollowRightBehind(Split split) {
        feed(split, "BDAT 8\r\na\r\n.\r\n.xBDAT 3 LAST\r\nendQUIT\r\n");
        assertThat(events()).containsExactly(cmd("BDAT 8"), "a\r\n.\r\n.x", end(8, false, false),
                cmd("BDAT 3 LAST"), "end", end(3, false, false), cmd("QUIT"));
    }

    @Test
    void chunkSplitAcrossReads() {
        feed("BDAT 11\r\nhel", "lo ", "wor", "ldNOOP\r\n");
        assertThat(events()).containsExactly(cmd("BDAT 11"), "hello world", end(11, false, false), cmd("NOOP"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void chunkContentStopsAtTheBudget(Split split) {
        budget = 4;
        feed(split, "BDAT 10\r\n0123456789NOOP\r\n");
        assertThat(events()).containsExactly(cmd("BDAT 10"), "0123", end(10, false, false), cmd("NOOP"));
    }

    @Test
    void chunkOfNothingIsRefused() {
        assertThatThrownBy(() -> decoder.expectChunk(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- STARTTLS -----------------------------------------------------------------------------

    @Test
    void discardInputDropsWhatWasPipelinedBehindStartTls() {
        feed("STARTTLS\r\nMAIL FROM:<injected@x>\r\nRCPT TO:<y@z>\r\n");
        feed("EHLO after\r\n");
        assertThat(events()).containsExactly(cmd("STARTTLS"), cmd("EHLO after"));
    }

    @Test
    void discardInputWithNothingBehindIsHarmless() {
        feed("STARTTLS\r\n");
        feed("EHLO after\r\n");
        assertThat(events()).containsExactly(cmd("STARTTLS"), cmd("EHLO after"));
    }

    @Test
    void lineLimitBelow80IsRefused() {
        assertThatThrownBy(() -> new SmtpServerDecoder(79)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ------------------------------------------------------------------------------

    private static CommandLine cmd(String line) {
        return CommandLine.parse(line);
    }

    private static ContentEnd end(long octets, boolean tooLong, boolean bareLf) {
        return new ContentEnd(octets, tooLong, bareLf);
    }

    private void feed(String... reads) {
        for (String read : reads) {
            ByteBuf buf = alloc.buffer(read.length());
            buf.writeCharSequence(read, ISO_8859_1);
            channel.writeInbound(buf);
        }
    }

    private void feed(Split split, String text) {
        int step = switch (split) {
            case WHOLE -> Math.max(1, text.length());
            case BYTES -> 1;
            case PAIRS -> 2;
            case SEVENS -> 7;
        };
        for (int i = 0; i < text.length(); i += step) {
            feed(text.substring(i, Math.min(text.length(), i + step)));
        }
    }

    /** What reached the recorder, with adjacent content pieces joined into one string. */
    private List<Object> events() {
        List<Object> joined = new ArrayList<>();
        for (Object event : recorder.events) {
            if (event instanceof String piece && !joined.isEmpty() && joined.get(joined.size() - 1) instanceof String before) {
                joined.set(joined.size() - 1, before + piece);
            } else {
                joined.add(event);
            }
        }
        return joined;
    }

    /** Records decoder output and switches its mode as the session handler would. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf piece) {
                assertThat(piece.isReadable()).as("empty content slice").isTrue();
                events.add(piece.toString(ISO_8859_1));
                ReferenceCountUtil.release(piece);
                return;
            }
            events.add(msg);
            if (msg instanceof CommandLine command) {
                switch (command.verb()) {
                    case DATA -> decoder.expectData(budget);
                    case BDAT -> decoder.expectChunk(Long.parseLong(command.argument().split(" ")[0]), budget);
                    case STARTTLS -> decoder.discardInput();
                    default -> {
                    }
                }
            }
        }
    }
}
