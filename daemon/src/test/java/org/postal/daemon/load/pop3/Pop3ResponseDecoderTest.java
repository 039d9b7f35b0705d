// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postal.daemon.load.pop3.Pop3ResponseDecoder.Expect.LINES;
import static org.postal.daemon.load.pop3.Pop3ResponseDecoder.Expect.MULTI;
import static org.postal.daemon.load.pop3.Pop3ResponseDecoder.Expect.SINGLE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postal.daemon.TrackingAllocator;
import org.postal.daemon.load.ServerTranscript;

/**
 * The decoder behind a recorder, fed what POP3 servers send, cut into reads in awkward places.
 *
 * <p>Every buffer is tracked and must be released when the channel is finished, so a leaked
 * content slice fails the test.
 */
class Pop3ResponseDecoderTest {

    private static final int MAX_LINE = 80;
    private static final int LIMIT = MAX_LINE + Pop3ResponseDecoder.LINE_SLACK;

    /** How input is cut into reads. */
    enum Split { WHOLE, BYTES, PAIRS, SEVENS }

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<Object> recorded = new ArrayList<>();
    private Pop3ResponseDecoder decoder;
    private Pop3ResponseDecoder.Expect queueAfterStatus;
    private EmbeddedChannel channel;

    private void open(boolean qmail, Pop3ResponseDecoder.Expect... expects) {
        decoder = new Pop3ResponseDecoder(MAX_LINE, qmail);
        for (Pop3ResponseDecoder.Expect expect : expects) {
            decoder.expect(expect);
        }
        channel = new EmbeddedChannel(decoder, new Recorder());
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void noLeaks() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        assertThat(alloc.unreleased()).as("leaked buffers").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void pipelinedLoginAndStat(Split split) {
        open(false, SINGLE, SINGLE, SINGLE, SINGLE);
        feed(split, "+OK Dovecot (Debian) ready.\r\n+OK\r\n+OK Logged in.\r\n+OK 2 320\r\n");
        assertThat(events()).containsExactly(ok("Dovecot (Debian) ready."), ok(""), ok("Logged in."), ok("2 320"));
        assertThat(decoder.pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void retrIsDotUnstuffedAndThePipelinedResponsesFollow(Split split) {
        open(false, MULTI, SINGLE, MULTI);
        String wire = "Subject: x\r\n\r\n..\r\n...y\r\n.z\r\nend.\r\n";
        String content = "Subject: x\r\n\r\n.\r\n..y\r\nz\r\nend.\r\n";
        feed(split, "+OK 37 octets\r\n" + wire + ".\r\n+OK Marked to be deleted.\r\n+OK\r\n.\r\n");
        assertThat(events()).containsExactly(ok("37 octets"), content, end(content.length(), false, false),
                ok("Marked to be deleted."), ok(""), end(0, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void errToRetrHasNoBody(Split split) {
        open(false, MULTI, MULTI, SINGLE);
        feed(split, "-ERR [IN-USE] No such message\r\n-ERR\r\n+OK Logging out.\r\n");
        List<Object> events = events();
        assertThat(events).containsExactly(err("[IN-USE] No such message"), err(""), ok("Logging out."));
        assertThat(((Pop3Status) events.get(0)).code()).isEqualTo("IN-USE");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void capaAndListAreLines(Split split) {
        open(false, LINES, LINES);
        feed(split, "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nPIPELINING\r\nSTLS\r\n.\r\n+OK 2 messages:\r\n1 160\n2 160\r\n..3\r\n.\r\n");
        assertThat(events()).containsExactly(ok(""), line("CAPA"), line("TOP"), line("UIDL"), line("PIPELINING"),
                line("STLS"), end(35, false, false), ok("2 messages:"), line("1 160"), line("2 160"), line(".3"),
                end(17, false, true));
    }

    @Test
    void endSplitInsideDotCrLf() {
        open(false, MULTI, SINGLE);
        feed("+OK\r\nabc\r\n.", "\r", "\n+OK", " bye\r\n");
        assertThat(events()).containsExactly(ok(""), "abc\r\n", end(5, false, false), ok("bye"));
    }

    @Test
    void splitBetweenCrAndLf() {
        open(false, SINGLE, MULTI);
        feed("+OK hi\r", "\n+OK\r", "\nx\r", "\n.\r", "\n");
        assertThat(events()).containsExactly(ok("hi"), ok(""), "x\r\n", end(3, false, false));
    }

    @Test
    void dotCrWithoutLfIsStuffedContent() {
        open(false, MULTI);
        feed("+OK\r\n.\rx\r\n.\r\n");
        assertThat(events()).containsExactly(ok(""), "\rx\r\n", end(4, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bareLfLinesAndTerminatorAreTolerated(Split split) {
        open(false, SINGLE, MULTI, SINGLE);
        feed(split, "+OK ready\n+OK\na\n..b\n\n.\n+OK\n");
        assertThat(events()).containsExactly(ok("ready"), ok(""), "a\n.b\n\n", end(6, false, true), ok(""));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void qmailBlankLineIsDroppedWhenOn(Split split) {
        open(true, MULTI, MULTI, MULTI, LINES);
        feed(split, "+OK\r\nbody\r\n\r\n.\r\n+OK\r\n\r\n.\r\n+OK\r\nno blank\r\n.\r\n+OK\r\n1 5\r\n\r\n.\r\n");
        assertThat(events()).containsExactly(ok(""), "body\r\n", end(6, false, false), ok(""), end(0, false, false),
                ok(""), "no blank\r\n", end(10, false, false), ok(""), line("1 5"), line(""), end(7, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void qmailDropsOnlyOneBlankLineAndKeepsInnerOnes(Split split) {
        open(true, MULTI);
        feed(split, "+OK\r\na\r\n\r\n\r\nb\r\n\r\n\r\n.\r\n");
        String content = "a\r\n\r\n\r\nb\r\n\r\n";
        assertThat(events()).containsExactly(ok(""), content, end(content.length(), false, false));
    }

    @Test
    void qmailBlankLineIsKeptWhenOff() {
        open(false, MULTI);
        feed("+OK\r\nbody\r\n\r\n.\r\n");
        assertThat(events()).containsExactly(ok(""), "body\r\n\r\n", end(8, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void overlongBodyLineIsFlaggedAndKept(Split split) {
        open(false, MULTI);
        String longLine = "z".repeat(3 * LIMIT) + "\r\n";
        String fits = "f".repeat(LIMIT - 2) + "\r\n";
        feed(split, "+OK\r\n" + fits + ".." + longLine + ".\r\n");
        String content = fits + "." + longLine;
        assertThat(events()).containsExactly(ok(""), content, end(content.length(), true, false));
    }

    @Test
    void bodyAtTheLimitIsNotTooLong() {
        open(false, MULTI);
        String fits = "f".repeat(LIMIT - 2) + "\r\n";
        feed("+OK\r\n" + fits + ".\r\n");
        assertThat(events()).containsExactly(ok(""), fits, end(fits.length(), false, false));
    }

    @Test
    void largeBodyIsStreamedWithoutCumulating() {
        open(false, MULTI, SINGLE);
        feed("+OK\r\n");
        String block = ("x".repeat(78) + "\r\n").repeat(800);
        long total = 0;
        int maxHeld = 0;
        for (int i = 0; i < 5 * 1024 * 1024 / block.length(); i++) {
            feed(block.substring(0, 1001), block.substring(1001));
            total += block.length();
            maxHeld = Math.max(maxHeld, alloc.unreleased().stream().mapToInt(ByteBuf::capacity).sum());
        }
        feed(".\r\n+OK\r\n");
        // Slices are released on arrival, so all that stays allocated is the cumulation: one read.
        assertThat(maxHeld).isLessThanOrEqualTo(64 * 1024);
        assertThat(recorded).hasSizeGreaterThan(2).last().isEqualTo(ok(""));
        assertThat(recorded.get(recorded.size() - 2)).isEqualTo(end(total, false, false));
    }

    /** The body is scanned in windows of {@link Pop3Body#WINDOW} octets: a dot line or the end across an edge. */
    @Test
    void stuffedLinesAndTheEndAcrossTheScanWindowEdge() {
        for (boolean qmail : new boolean[] {false, true}) {
            for (int shift = 0; shift <= 8; shift++) {
                open(qmail, MULTI, MULTI, SINGLE);
                // "+OK\r\n" is 5 octets: the line after the filler starts `shift` octets before the edge.
                String filler = lines(Pop3Body.WINDOW - 5 - shift);
                String second = lines(Pop3Body.WINDOW - 1 - shift);
                String wire = filler + "..dot\r\n" + second + (qmail ? "\r\n" : "") + ".\r\n";
                feed("+OK\r\n" + wire + "+OK\r\n" + filler + ".\r\n+OK bye\r\n");
                String content = filler + ".dot\r\n" + second;
                assertThat(sizes(events())).as("qmail %s, shift %d", qmail, shift).containsExactly(ok(""),
                        content.length(), end(content.length(), false, false), ok(""), filler.length(),
                        end(filler.length(), false, false), ok("bye"));
                assertThat(events().get(1)).as("qmail %s, shift %d", qmail, shift).isEqualTo(content);
                channel.finishAndReleaseAll();
                recorded.clear();
            }
        }
    }

    /** Lines of "f" within the line limit, CRLF-ended, exactly {@code octets} long (at least 2). */
    private static String lines(int octets) {
        StringBuilder text = new StringBuilder();
        while (octets > 0) {
            int line = octets - MAX_LINE >= 2 || octets <= MAX_LINE ? Math.min(octets, MAX_LINE) : octets - 2;
            text.append("f".repeat(line - 2)).append("\r\n");
            octets -= line;
        }
        return text.toString();
    }

    /** The events with content strings replaced by their lengths, for readable failures. */
    private static List<Object> sizes(List<Object> events) {
        return events.stream().map(e -> e instanceof String text ? (Object) text.length() : e).toList();
    }

    @Test
    void handlerMayQueueInReactionToTheStatus() {
        open(false, SINGLE);
        queueAfterStatus = MULTI;
        feed("+OK hi\r\n+OK\r\n.x\r\n.\r\n");
        assertThat(events()).containsExactly(ok("hi"), ok(""), "x\r\n", end(3, false, false));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void dovecotTranscriptWithEverythingPipelined(Split split) {
        ServerTranscript transcript = ServerTranscript.load("dovecot-pop3.txt");
        open(false);
        for (String command : transcript.commands()) {
            decoder.expect(switch (command.split(" ")[0]) {
                case "CAPA", "LIST", "UIDL" -> command.contains(" ") ? SINGLE : LINES;
                case "RETR", "TOP" -> MULTI;
                default -> SINGLE;
            });
        }
        feed(split, transcript.server());
        assertThat(events()).containsExactly(ok(""), line("CAPA"), line("TOP"), line("UIDL"), line("RESP-CODES"),
                line("PIPELINING"), line("AUTH-RESP-CODE"), end(57, false, false), ok("2 61"), ok("2 messages:"),
                line("1 45"), line("2 16"), end(12, false, false), ok(""), line("1 000000016b075e6d"),
                line("2 000000026b075e6d"), end(40, false, false), ok("45 octets"),
                "Subject: one\r\nFrom: a@b\r\n\r\nhello\r\n.dot line\r\n", end(45, false, false), ok(""),
                "Subject: two\r\n\r\n", end(16, false, false), err("There's no message 9."), ok("Logging out."));
        assertThat(decoder.pending()).isZero();
    }

    @Test
    void responseNobodyAskedForIsAnError() {
        open(false, SINGLE);
        assertThatThrownBy(() -> feed("+OK hi\r\n+OK more\r\n")).isInstanceOf(DecoderException.class)
                .hasMessageContaining("without a command");
    }

    @Test
    void garbageStatusIsAnError() {
        open(false, SINGLE);
        assertThatThrownBy(() -> feed("* OK IMAP4rev1\r\n")).isInstanceOf(DecoderException.class)
                .hasMessageContaining("not a POP3 status line");
    }

    @Test
    void okWithoutSpaceIsGarbage() {
        open(false, SINGLE);
        assertThatThrownBy(() -> feed("+OKAY\r\n")).isInstanceOf(DecoderException.class);
    }

    @Test
    void overlongStatusLineIsAnError() {
        open(false, SINGLE);
        assertThatThrownBy(() -> feed("+OK " + "s".repeat(Pop3ResponseDecoder.STATUS_LIMIT)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than");
    }

    @Test
    void overlongListingLineIsAnError() {
        open(false, LINES);
        assertThatThrownBy(() -> feed("+OK\r\n1 " + "9".repeat(LIMIT) + "\r\n.\r\n"))
                .isInstanceOf(DecoderException.class).hasMessageContaining("listing line");
    }

    @Test
    void lineLimitBelow80IsRefused() {
        assertThatThrownBy(() -> new Pop3ResponseDecoder(79, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusTextMayNotHoldLineEnds() {
        assertThatThrownBy(() -> new Pop3Status(true, "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Pop3Status(true, "no code").code()).isNull();
        assertThat(new Pop3Status(false, "[SYS/TEMP] busy").code()).isEqualTo("SYS/TEMP");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static Pop3Status ok(String text) {
        return new Pop3Status(true, text);
    }

    private static Pop3Status err(String text) {
        return new Pop3Status(false, text);
    }

    private static Pop3Line line(String text) {
        return new Pop3Line(text);
    }

    private static Pop3End end(long octets, boolean tooLong, boolean bareLf) {
        return new Pop3End(octets, tooLong, bareLf);
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
        for (Object event : recorded) {
            if (event instanceof String piece && !joined.isEmpty() && joined.get(joined.size() - 1) instanceof String before) {
                joined.set(joined.size() - 1, before + piece);
            } else {
                joined.add(event);
            }
        }
        return joined;
    }

    /** Records decoder output, releasing content as it comes; may queue one expectation after a status. */
    private final class Recorder extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf piece) {
                assertThat(piece.isReadable()).as("empty content slice").isTrue();
                recorded.add(piece.toString(ISO_8859_1));
                piece.release();
                return;
            }
            recorded.add(msg);
            if (msg instanceof Pop3Status && queueAfterStatus != null) {
                decoder.expect(queueAfterStatus);
                queueAfterStatus = null;
            }
        }
    }
}
