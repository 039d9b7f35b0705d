// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postal.daemon.TrackingAllocator;
import org.postal.daemon.load.ServerTranscript;

/**
 * The decoder behind a recorder, fed what IMAP servers send, cut into reads in awkward places.
 *
 * <p>Literal content reaches the recorder as strings; every buffer is tracked and must be released
 * when the channel is finished, so a leaked slice fails the test.
 */
class ImapResponseDecoderTest {

    private static final String GREETING = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE"
            + " LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.";

    /** How input is cut into reads. */
    enum Split { WHOLE, BYTES, PAIRS, SEVENS }

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<Object> recorded = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        open(new ImapResponseDecoder(512));
    }

    private void open(ImapResponseDecoder decoder) {
        channel = new EmbeddedChannel(decoder, new Recorder());
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void noLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).as("leaked buffers").isEmpty();
    }

    @Test
    void dovecotGreetingCarriesCapabilities() {
        feed(GREETING + "\r\n");
        List<Object> events = events();
        Untagged greeting = new Untagged("OK", -1, GREETING.substring(5));
        assertThat(events).containsExactly(greeting);
        assertThat(greeting.code()).startsWith("CAPABILITY IMAP4rev1 SASL-IR").endsWith("AUTH=PLAIN");
        assertThat(greeting.text()).isEqualTo("Dovecot (Debian) ready.");
        ImapCapabilities caps = ImapCapabilities.of(greeting).orElseThrow();
        assertThat(caps.imap4rev1() && caps.starttls() && caps.literalPlus() && caps.auth("plain")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void selectResponses(Split split) {
        feed(split, "* FLAGS (\\Answered \\Seen)\r\n* 2 EXISTS\r\n* 0 RECENT\r\n"
                + "* OK [UIDVALIDITY 1700000000] UIDs valid\r\na2 OK [READ-WRITE] Select completed (0.014 secs).\r\n");
        List<Object> events = events();
        assertThat(events).containsExactly(new Untagged("FLAGS", -1, "(\\Answered \\Seen)"),
                new Untagged("EXISTS", 2, ""), new Untagged("RECENT", 0, ""),
                new Untagged("OK", -1, "[UIDVALIDITY 1700000000] UIDs valid"),
                new Tagged("a2", Status.OK, "READ-WRITE", "Select completed (0.014 secs)."));
        assertThat(((Untagged) events.get(3)).code()).isEqualTo("UIDVALIDITY 1700000000");
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void fetchWithLiteralBetweenItems(Split split) {
        String body = "Subject: x\r\n\r\n* 2 EXISTS\r\n{5}\r\n)\r\n";
        feed(split, "* 1 FETCH (UID 7 RFC822.SIZE " + body.length() + " BODY[] {" + body.length() + "}\r\n" + body
                + " FLAGS (\\Seen))\r\na4 OK Fetch completed.\r\n");
        String before = "(UID 7 RFC822.SIZE 34 BODY[] {34}";
        assertThat(events()).containsExactly(new LiteralStart(34, "FETCH", 1, before), body, new LiteralEnd(34),
                new Untagged("FETCH", 1, before + " FLAGS (\\Seen))"), new Tagged("a4", Status.OK, null, "Fetch completed."));
        assertThat(FetchItems.parse(before + " FLAGS (\\Seen))")).isEqualTo(new FetchItems(7, 34, List.of("\\Seen")));
    }

    @Test
    void splitsInsideTheLiteralMarkerAndBetweenCrAndLf() {
        feed("* 3 FETCH (BODY[] {1", "2", "}", "\r", "\nhello", "\r", "\nworld", ")", "\r", "\n");
        assertThat(events()).containsExactly(new LiteralStart(12, "FETCH", 3, "(BODY[] {12}"), "hello\r\nworld",
                new LiteralEnd(12), new Untagged("FETCH", 3, "(BODY[] {12})"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void severalLiteralsOfWhichOneIsEmpty(Split split) {
        feed(split, "* 1 FETCH (BODY[HEADER] {3}\r\nh\r\n BODY[TEXT] {0}\r\n BODY[1] {2}\r\nab UID 9)\r\n");
        assertThat(events()).containsExactly(new LiteralStart(3, "FETCH", 1, "(BODY[HEADER] {3}"), "h\r\n",
                new LiteralEnd(3), new LiteralStart(0, "FETCH", 1, "(BODY[HEADER] {3} BODY[TEXT] {0}"), new LiteralEnd(0),
                new LiteralStart(2, "FETCH", 1, "(BODY[HEADER] {3} BODY[TEXT] {0} BODY[1] {2}"), "ab", new LiteralEnd(2),
                new Untagged("FETCH", 1, "(BODY[HEADER] {3} BODY[TEXT] {0} BODY[1] {2} UID 9)"));
    }

    @Test
    void literalsOutsideFetchAndBinaryLiterals() {
        feed("* LIST () \"/\" {4}\r\nIN\"X\r\n* 2 FETCH (BINARY[] ~{2}\r\n\0\1)\r\n");
        assertThat(events()).containsExactly(new LiteralStart(4, "LIST", -1, "() \"/\" {4}"), "IN\"X", new LiteralEnd(4),
                new Untagged("LIST", -1, "() \"/\" {4}"), new LiteralStart(2, "FETCH", 2, "(BINARY[] ~{2}"), "\0\1",
                new LiteralEnd(2), new Untagged("FETCH", 2, "(BINARY[] ~{2})"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void continuationsAndStatusTextThatLooksLikeALiteral(Split split) {
        feed(split, "+ Ready for literal data\r\n+\r\n+ YGgGCSqGSIb3EgECAgIBAAD/////\r\n* OK see {5}\r\n"
                + "a1 no [TRYCREATE] box {3}\r\n* BYE {2}\r\na2 BAD\r\n");
        assertThat(events()).containsExactly(new Continuation("Ready for literal data"), new Continuation(""),
                new Continuation("YGgGCSqGSIb3EgECAgIBAAD/////"), new Untagged("OK", -1, "see {5}"),
                new Tagged("a1", Status.NO, "TRYCREATE", "box {3}"), new Untagged("BYE", -1, "{2}"),
                new Tagged("a2", Status.BAD, null, ""));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void bareLfLineEnds(Split split) {
        feed(split, "* 1 EXISTS\n* 1 FETCH (BODY[] {2}\nab)\na1 OK done\n");
        assertThat(events()).containsExactly(new Untagged("EXISTS", 1, ""), new LiteralStart(2, "FETCH", 1, "(BODY[] {2}"),
                "ab", new LiteralEnd(2), new Untagged("FETCH", 1, "(BODY[] {2})"), new Tagged("a1", Status.OK, null, "done"));
    }

    @Test
    void responseAtTheLimitPassesAcrossLiterals() {
        // The bound covers the whole response text: "* 1 FETCH " and every line, not the literal.
        String head = "(BODY[] {1}";
        String tail = " X " + "y".repeat(512 - "* 1 FETCH ".length() - head.length() - 4) + ")";
        feed("* 1 FETCH " + head + "\r\nz" + tail + "\r\n");
        assertThat(events()).hasSize(4).last().isEqualTo(new Untagged("FETCH", 1, head + tail));
    }

    @Test
    void responseOverTheLimitAcrossLiteralsIsAnError() {
        String head = "(BODY[] {1}";
        String tail = " X " + "y".repeat(512 - "* 1 FETCH ".length() - head.length() - 3) + ")";
        assertThatThrownBy(() -> feed("* 1 FETCH " + head + "\r\nz", tail + "\r\n"))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than 512");
    }

    @Test
    void overlongLineWithoutEndFailsOnceAndLaterInputIsDropped() {
        assertThatThrownBy(() -> feed("* OK " + "x".repeat(600))).isInstanceOf(DecoderException.class);
        feed("* 1 EXISTS\r\n");
        assertThat(events()).isEmpty();
    }

    @Test
    void garbageIsAnError() {
        for (String garbage : List.of("hello", "*", "* ", "*OK", "* 3", "* 3 ", "a1 MAYBE x", "a1", "+x", "a(1 OK",
                "* OK(", "* 99999999999999999999 EXISTS", "\"a1\" OK", "* 1 FETCH (BODY[] {99999999999999999999}")) {
            noLeaks();
            setUp();
            assertThatThrownBy(() -> feed(garbage + "\r\n")).as(garbage).isInstanceOf(DecoderException.class);
        }
    }

    @Test
    void tagsMayHoldBracketsAndDotsAndStatusIsCaseInsensitive() {
        feed("A]1.x ok fine\r\n");
        assertThat(events()).containsExactly(new Tagged("A]1.x", Status.OK, null, "fine"));
    }

    @Test
    void fiveMebibyteLiteralIsStreamedNotGathered() {
        open(new ImapResponseDecoder());
        int size = 5 * 1024 * 1024;
        feed("* 1 FETCH (UID 7 BODY[] {" + size + "}\r\n");
        String chunk = "m".repeat(65534) + "\r\n";
        int maxHeld = 0;
        long content = 0;
        for (int sent = 0; sent < size; sent += chunk.length()) {
            feed(chunk.substring(0, Math.min(chunk.length(), size - sent)));
            maxHeld = Math.max(maxHeld, alloc.unreleased().stream().mapToInt(ByteBuf::capacity).sum());
        }
        feed(" RFC822.SIZE " + size + ")\r\n");
        for (Object event : recorded) {
            content += event instanceof String piece ? piece.length() : 0;
        }
        assertThat(content).isEqualTo(size);
        // Slices are released as they arrive, so nothing but the current read stays allocated.
        assertThat(maxHeld).isLessThanOrEqualTo(65536);
        assertThat(recorded.get(recorded.size() - 1)).isEqualTo(
                new Untagged("FETCH", 1, "(UID 7 BODY[] {" + size + "} RFC822.SIZE " + size + ")"));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void dovecotFetchTranscript(Split split) {
        ServerTranscript transcript = ServerTranscript.load("dovecot-imap-fetch.txt");
        feed(split, transcript.server());
        List<Object> events = events();
        assertThat(events).filteredOn(Tagged.class::isInstance).extracting(e -> ((Tagged) e).tag())
                .containsExactly("a1", "a4", "a5", "a6", "a7", "a2", "a9", "a3", "a8", "b1");
        assertThat(events).containsSubsequence(new Untagged("EXISTS", 2, ""),
                new Untagged("OK", -1, "[UIDVALIDITY 1795645037] UIDs valid"),
                new LiteralStart(27, "FETCH", 1, "(RFC822.SIZE 45 BODY[HEADER] {27}"), "Subject: one\r\nFrom: a@b\r\n\r\n",
                new LiteralEnd(27), new LiteralStart(18, "FETCH", 1, "(RFC822.SIZE 45 BODY[HEADER] {27} BODY[TEXT] {18}"),
                "hello\r\n.dot line\r\n", new LiteralEnd(18),
                new Untagged("FETCH", 1, "(RFC822.SIZE 45 BODY[HEADER] {27} BODY[TEXT] {18})"),
                new LiteralStart(0, "FETCH", 2, "(UID 2 BODY[TEXT] {0}"), new LiteralEnd(0),
                new Untagged("FETCH", 2, "(UID 2 BODY[TEXT] {0})"), new Untagged("LIST", -1, "(\\HasNoChildren) \".\" INBOX"),
                new Tagged("a5", Status.BAD, null, "Error in IMAP command FETCH: Invalid messageset (0.001 + 0.000 secs)."),
                new Tagged("a7", Status.OK, "CLIENTBUG", "Status on selected mailbox completed (0.001 + 0.000 secs)."),
                new Untagged("SEARCH", -1, "1 2"), new Untagged("BYE", -1, "Logging out"));
        assertThat(FetchItems.parse("(RFC822.SIZE 45 BODY[HEADER] {27} BODY[TEXT] {18})"))
                .isEqualTo(new FetchItems(-1, 45, null));
    }

    @ParameterizedTest
    @EnumSource(Split.class)
    void dovecotSelectTranscriptGivesRabidWhatItNeeds(Split split) {
        feed(split, ServerTranscript.load("dovecot-imap-select.txt").server());
        List<Object> events = events();
        ImapCapabilities greeting = ImapCapabilities.of(events.get(0)).orElseThrow();
        assertThat(greeting).isEqualTo(ImapCapabilities.of(events.get(1)).orElseThrow());
        assertThat(greeting.uidplus() && greeting.literalPlus() && !greeting.starttls()).isTrue();
        List<FetchItems> fetched = events.stream().filter(e -> e instanceof Untagged u && u.keyword().equals("FETCH"))
                .map(e -> FetchItems.parse(((Untagged) e).rest())).toList();
        assertThat(fetched).containsExactly(new FetchItems(1, 45, List.of("\\Recent")),
                new FetchItems(2, 16, List.of("\\Recent")), new FetchItems(1, -1, null),
                new FetchItems(2, -1, List.of("\\Seen", "\\Recent")));
        assertThat(events).containsSubsequence(new LiteralStart(45, "FETCH", 1, "(UID 1 BODY[] {45}"),
                "Subject: one\r\nFrom: a@b\r\n\r\nhello\r\n.dot line\r\n", new LiteralEnd(45),
                new LiteralStart(16, "FETCH", 2, "(UID 2 FLAGS (\\Seen \\Recent) BODY[] {16}"), "Subject: two\r\n\r\n");
        assertThat(events.get(events.size() - 1)).isEqualTo(
                new Tagged("a6", Status.OK, null, "Logout completed (0.001 + 0.000 + 0.006 secs)."));
    }

    @Test
    void lineLimitBelow512IsRefused() {
        assertThatThrownBy(() -> new ImapResponseDecoder(511)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ------------------------------------------------------------------------------

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

    /** Records decoder output, releasing literal content as it comes. */
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
        }
    }
}
