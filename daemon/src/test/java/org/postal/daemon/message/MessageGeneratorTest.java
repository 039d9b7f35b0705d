// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageGeneratorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T18:44:03Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RunId RUN = new RunId(0x0123456789ABCDEFL);
    private static final String FROM = "user1@example.com";
    private static final String TO = "user3@example.com";
    private static final Pattern HEADER = Pattern.compile(
            "From: <user1@example\\.com>\r\n"
            + "To: <user3@example\\.com>\r\n"
            + "Subject: ([^\r\n.]{0,58})\r\n"
            + "Date: ([A-Za-z0-9 ,:+]+)\r\n"
            + "Message-Id: (<0123456789ABCDEF\\.([0-9A-F]+)\\.([0-9A-F]+)\\.user1@example\\.com>)\r\n"
            + "X-PostalHash: ([0-9a-f]{32})\r\n"
            + "X-Postal: 1\\.0\\.0 - the mad postman\\.\r\n"
            + "X-Postal: http://www\\.coker\\.com\\.au/postal/\r\n"
            + "X-Postal: This is not a real email\\.\r\n"
            + "\r\n");
    private static final ByteBuf MESSAGE_ID_LINE = Unpooled.copiedBuffer("Message-Id: ", UTF_8);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.US);

    private final List<MessageSource> sources = new ArrayList<>();

    @AfterEach
    void closeSources() {
        for (MessageSource source : sources) {
            source.close();
            assertThat(source.pool().refCnt()).as("pool released, no slice left").isZero();
        }
    }

    @Test
    void headerIsTheExact076LayoutAndTheHashVerifiesInMd5AndAuto() {
        Message message = generator(MessageSpec.DEFAULT, 7, RUN, 0).next(FROM, TO, 0x2A);
        Matcher header = header(message);
        assertThat(header.group(3)).isEqualTo("<0123456789ABCDEF.2A.0.user1@example.com>").isEqualTo(message.messageId());
        assertThat(header.group(6)).isEqualTo(message.hash());
        byte[] wire = wire(message);
        assertThat(verify(HashMode.MD5, wire).status()).isEqualTo(Verdict.Status.VERIFIED);
        assertThat(verify(HashMode.AUTO, wire).status()).isEqualTo(Verdict.Status.VERIFIED);
        assertThat(verify(HashMode.MD5_LP64, wire).status()).isEqualTo(Verdict.Status.CORRUPT);
        assertThat(message.size()).isEqualTo(wire.length);
        message.release();
    }

    @Test
    void md5Lp64GenerationVerifiesAsA64Bit076WouldComputeIt() {
        MessageSpec spec = new MessageSpec(new MessageSizes(0, 4), SubjectStyle.PLAIN, HashMode.MD5_LP64);
        MessageGenerator generator = generator(spec, 7, RUN, 0);
        for (int i = 0; i < 50; i++) {
            Message message = generator.next(FROM, TO, i);
            byte[] wire = wire(message);
            Verdict auto = verify(HashMode.AUTO, wire);
            assertThat(auto.status()).isEqualTo(Verdict.Status.VERIFIED);
            assertThat(auto.md5Lp64()).isEqualTo(message.hash()).isNotEqualTo(auto.md5());
            assertThat(verify(HashMode.MD5_LP64, wire).status()).isEqualTo(Verdict.Status.VERIFIED);
            assertThat(verify(HashMode.MD5, wire).status()).isEqualTo(Verdict.Status.CORRUPT);
            message.release();
        }
    }

    @Test
    void bodySizesAreExactWithCrlfLinesOf076Shape() {
        MessageGenerator generator = generator(new MessageSpec(new MessageSizes(0, 64), SubjectStyle.PLAIN,
                HashMode.MD5), 7, RUN, 0);
        int[] sizes = {0, 2, 3, 4, 78, 79, 80, 81, 1023, 1024, 1025, 65_535, 65_536};
        for (int size : sizes) {
            for (int i = 0; i < 20; i++) {
                Message message = generator.next(FROM, TO, i, size);
                byte[] body = body(message);
                assertThat(body).as("size %d", size).hasSize(size);
                assertThat(message.bodySize()).isEqualTo(size);
                assertBodyLines(body);
                assertThat(verify(HashMode.MD5, wire(message)).status()).isEqualTo(Verdict.Status.VERIFIED);
                message.release();
            }
        }
    }

    @Test
    void aOneByteBodyIsSentAsOneEmptyLine() {
        Message message = generator(MessageSpec.DEFAULT, 7, RUN, 0).next(FROM, TO, 0, 1);
        assertThat(new String(body(message), UTF_8)).isEqualTo("\r\n");
        message.release();
    }

    @Test
    void drawnBodiesCoverTheRangeAndLineLengthsFollow076() {
        MessageGenerator generator = generator(new MessageSpec(new MessageSizes(1, 3), SubjectStyle.PLAIN,
                HashMode.MD5), 7, RUN, 0);
        int low = Integer.MAX_VALUE;
        int high = 0;
        long[] lineLengths = new long[80];
        for (int i = 0; i < 2000; i++) {
            Message message = generator.next(FROM, TO, i);
            byte[] body = body(message);
            low = Math.min(low, body.length);
            high = Math.max(high, body.length);
            int start = 0;
            for (int at = 0; at < body.length; at++) {
                if (body[at] == '\n') {
                    lineLengths[at + 1 - start]++;
                    start = at + 1;
                }
            }
            assertBodyLines(body);
            message.release();
        }
        assertThat(low).isBetween(1024, 1100);
        assertThat(high).isBetween(3000, 3071);
        // 0.76: L = random() % 79, raised to 2, so empty lines are three times as common as any other.
        long total = Arrays.stream(lineLengths).sum();
        assertThat((double) lineLengths[2] / total).isBetween(2.5 / 79, 3.5 / 79);
        assertThat((double) lineLengths[40] / total).isBetween(0.7 / 79, 1.3 / 79);
        assertThat((double) lineLengths[78] / total).isBetween(0.7 / 79, 1.3 / 79);
    }

    @Test
    void headersOnlyWhenMaxIsZero() {
        MessageGenerator generator = generator(new MessageSpec(new MessageSizes(0, 0), SubjectStyle.PLAIN,
                HashMode.MD5), 7, RUN, 0);
        Message message = generator.next(FROM, TO, 1);
        assertThat(message.bodySize()).isZero();
        assertThat(verify(HashMode.MD5, wire(message)).status()).isEqualTo(Verdict.Status.VERIFIED);
        message.release();
    }

    @Test
    void bodiesLongerThanThePoolWrapAroundAndStillVerify() {
        MessageSpec spec = new MessageSpec(new MessageSizes(20, 20), SubjectStyle.PLAIN, HashMode.MD5);
        MessageSource source = source(spec, 7, RUN, 1000);
        MessageGenerator generator = source.generator(0, UnpooledByteBufAllocator.DEFAULT);
        for (int i = 0; i < 20; i++) {
            Message message = generator.next(FROM, TO, i);
            byte[] body = body(message);
            assertThat(body).hasSize(20 * 1024);
            assertBodyLines(body);
            assertThat(verify(HashMode.AUTO, wire(message)).status()).isEqualTo(Verdict.Status.VERIFIED);
            message.release();
        }
    }

    @Test
    void subjectPrefixFollowsDashB() {
        for (SubjectStyle style : SubjectStyle.values()) {
            MessageGenerator generator = generator(new MessageSpec(MessageSizes.DEFAULT, style, HashMode.MD5),
                    7, RUN, 0);
            int lengths = 0;
            for (int i = 0; i < 500; i++) {
                Message message = generator.next(FROM, TO, i, 0);
                String subject = header(message).group(1);
                assertThat(subject).startsWith(style.prefix());
                lengths |= 1 << Math.min(subject.length() - style.prefix().length(), 30);
                message.release();
            }
            assertThat(lengths & 1).as("an empty text").isEqualTo(1);
        }
    }

    @Test
    void sameSeedRepeatsSubjectsAndBodiesWithNewMessageIdsOtherSeedDoesNot() {
        List<String> first = run(76, RUN, 0);
        List<String> again = run(76, new RunId(RUN.value() + 1), 0);
        List<String> otherSeed = run(77, RUN, 0);
        List<String> otherStream = run(76, RUN, 1);
        for (int i = 0; i < first.size(); i++) {
            assertThat(strip(again.get(i))).isEqualTo(strip(first.get(i)));
            assertThat(messageId(again.get(i))).isNotEqualTo(messageId(first.get(i)));
            assertThat(strip(otherSeed.get(i))).isNotEqualTo(strip(first.get(i)));
            assertThat(strip(otherStream.get(i))).isNotEqualTo(strip(first.get(i)));
        }
        assertThat(RunId.random()).isNotEqualTo(RunId.random());
    }

    @Test
    void messageIdsAreUniqueOverAMillionMessages() {
        MessageSpec headersOnly = new MessageSpec(new MessageSizes(0, 0), SubjectStyle.PLAIN, HashMode.MD5);
        MessageSource source = source(headersOnly, 7, RunId.random(), RandomPool.DEFAULT_LINE_BYTES);
        MessageGenerator[] generators = {
            source.generator(0, UnpooledByteBufAllocator.DEFAULT),
            source.generator(1, UnpooledByteBufAllocator.DEFAULT),
        };
        int count = 1_000_000;
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            // Each generator counts its own messages, so sequences repeat across streams.
            Message message = generators[i & 1].next(FROM, TO, i >> 1);
            ids[i] = fingerprint(message.header());
            message.release();
        }
        Arrays.sort(ids);
        for (int i = 1; i < count; i++) {
            assertThat(ids[i]).isNotEqualTo(ids[i - 1]);
        }
    }

    @Test
    void dateIsNowMinus539ToPlus60SecondsInUtc() {
        MessageGenerator generator = generator(MessageSpec.DEFAULT, 7, RUN, 0);
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (int i = 0; i < 6000; i++) {
            Message message = generator.next(FROM, TO, i, 0);
            String date = header(message).group(2);
            long skew = ZonedDateTime.parse(date, DATE).toEpochSecond() - NOW.getEpochSecond();
            assertThat(date).endsWith(" +0000");
            low = Math.min(low, skew);
            high = Math.max(high, skew);
            message.release();
        }
        assertThat(low).isEqualTo(-539);
        assertThat(high).isEqualTo(60);
    }

    @Test
    void aHundredThousandMessagesLeaveNothingHeld() {
        MessageSource source = source(MessageSpec.DEFAULT, 7, RUN, RandomPool.DEFAULT_LINE_BYTES);
        MessageGenerator generator = source.generator(0, UnpooledByteBufAllocator.DEFAULT);
        RandomPool pool = source.pool();
        Message held = generator.next(FROM, TO, 0, 100);
        assertThat(pool.refCnt()).isEqualTo(3);
        held.release();
        assertThat(pool.refCnt()).isEqualTo(1);
        for (int i = 0; i < 100_000; i++) {
            Message message = generator.next(FROM, TO, i);
            ByteBuf header = message.header();
            message.release();
            assertThat(header.refCnt()).isZero();
        }
        assertThat(pool.refCnt()).isEqualTo(1);
    }

    @Test
    void aRejectedAddressLeavesTheRandomSequenceAlone() {
        MessageGenerator one = generator(MessageSpec.DEFAULT, 7, RUN, 0);
        MessageGenerator two = generator(MessageSpec.DEFAULT, 7, RUN, 0);
        assertThatThrownBy(() -> one.next(FROM, "x\r\nDATA", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> one.next(FROM, TO, -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> one.next(FROM, TO, 0, 10 * 1024 + 1)).hasMessageContaining("10241");
        Message a = one.next(FROM, TO, 0);
        Message b = two.next(FROM, TO, 0);
        assertThat(wire(a)).isEqualTo(wire(b));
        a.release();
        b.release();
    }

    private MessageSource source(MessageSpec spec, long seed, RunId run, int poolLines) {
        MessageSource source = new MessageSource(spec, seed, run, CLOCK, poolLines);
        sources.add(source);
        return source;
    }

    private MessageGenerator generator(MessageSpec spec, long seed, RunId run, int stream) {
        return source(spec, seed, run, 100_000).generator(stream, UnpooledByteBufAllocator.DEFAULT);
    }

    /** Twenty messages' wire text, headers and body, from a fresh source. */
    private List<String> run(long seed, RunId run, int stream) {
        MessageGenerator generator = generator(MessageSpec.DEFAULT, seed, run, stream);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Message message = generator.next(FROM, TO, i);
            texts.add(new String(wire(message), UTF_8));
            message.release();
        }
        return texts;
    }

    /** The text without the lines that depend on the run id (the Message-ID and the hash over it). */
    private static String strip(String text) {
        return text.replaceAll("(?m)^(Message-Id|X-PostalHash): .*\r\n", "");
    }

    private static String messageId(String text) {
        Matcher m = Pattern.compile("Message-Id: ([^\r]*)\r\n").matcher(text);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static Matcher header(Message message) {
        Matcher m = HEADER.matcher(message.header().toString(UTF_8));
        assertThat(m.matches()).as(message.header().toString(UTF_8)).isTrue();
        return m;
    }

    private static void assertBodyLines(byte[] body) {
        if (body.length == 0) {
            return;
        }
        String text = new String(body, UTF_8);
        assertThat(text).endsWith("\r\n");
        String[] lines = text.substring(0, text.length() - 2).split("\r\n", -1);
        for (String line : lines) {
            assertThat(line.length()).isLessThanOrEqualTo(77);
            assertThat(line).doesNotStartWith(".").doesNotContain("\r", "\n");
            assertThat(line.chars()).allMatch(c -> RandomPool.ALPHABET.indexOf(c) >= 0);
        }
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i].length()).as("only the last line reaches 77").isLessThanOrEqualTo(76);
        }
    }

    private static byte[] body(Message message) {
        byte[] lines = ByteBufUtil.getBytes(message.lines());
        byte[] last = ByteBufUtil.getBytes(message.lastLine());
        byte[] body = Arrays.copyOf(lines, lines.length + last.length);
        System.arraycopy(last, 0, body, lines.length, last.length);
        return body;
    }

    private static byte[] wire(Message message) {
        byte[] header = ByteBufUtil.getBytes(message.header());
        byte[] body = body(message);
        byte[] wire = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, wire, header.length, body.length);
        return wire;
    }

    private static Verdict verify(HashMode mode, byte[] wire) {
        HashVerifier verifier = new HashVerifier(mode);
        // Split as the three buffers arrive, and once more mid-header.
        ByteBuf all = Unpooled.wrappedBuffer(wire);
        verifier.update(all.slice(0, 10));
        verifier.update(all.slice(10, wire.length - 10));
        return verifier.finish();
    }

    /** FNV-1a over the Message-Id line, 64 bits, so a million ids fit in a long array. */
    private static long fingerprint(ByteBuf header) {
        int start = ByteBufUtil.indexOf(MESSAGE_ID_LINE, header);
        long hash = 0xcbf29ce484222325L;
        for (int i = start; header.getByte(i) != '\r'; i++) {
            hash = (hash ^ (header.getByte(i) & 0xFF)) * 0x100000001b3L;
        }
        return hash;
    }
}
