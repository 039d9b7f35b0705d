// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.postal.daemon.message.Verdict.Status.CORRUPT;
import static org.postal.daemon.message.Verdict.Status.UNSIGNED;
import static org.postal.daemon.message.Verdict.Status.VERIFIED;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashVerifierTest {
    private static final String FROM = "From: <user1@example.com>\r\n";
    private static final String TO = "To: <user2@example.org>\r\n";
    private static final String SUBJECT = "Subject: _O\r\n";
    private static final String DATE = "Date: Wed, 25 Nov 2026 18:44:03 +0000\r\n";
    private static final String MESSAGE_ID = "Message-Id: <6B072C7F.453.001.user1@example.com>\r\n";
    private static final String SIGNED = FROM + TO + SUBJECT + DATE + MESSAGE_ID;
    private static final String X_POSTAL = "X-Postal: 0.75 - the mad postman.\r\n"
            + "X-Postal: http://www.coker.com.au/postal/\r\n"
            + "X-Postal: This is not a real email.\r\n";
    // doc/POSTAL-0.76.md §6.3: the 95-character body alphabet.
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            + " 1234567890 `~!@#$%^&*()-_=+[]{};:'\"|/?<>,";

    private final Random random = new Random(0x0076L);
    private final String body = body(3000);

    @Test
    void realMd5SignatureVerifiesInAutoAndMd5AndNotInLp64() {
        String hash = md5(SIGNED + body);
        String message = postal(hash, body);
        Verdict auto = verify(HashMode.AUTO, message);
        assertThat(auto.status()).isEqualTo(VERIFIED);
        assertThat(auto.expected()).isEqualTo(hash);
        assertThat(auto.md5()).isEqualTo(hash);
        // AUTO computes the other variant only when the first does not match.
        assertThat(auto.md5Lp64()).isNull();
        assertThat(auto.messageId()).isEqualTo("<6B072C7F.453.001.user1@example.com>");
        assertThat(verify(HashMode.MD5, message).status()).isEqualTo(VERIFIED);
        Verdict lp64 = verify(HashMode.MD5_LP64, message);
        assertThat(lp64.status()).isEqualTo(CORRUPT);
        assertThat(lp64.md5()).isNull();
    }

    @Test
    void lp64SignatureVerifiesInAutoAndLp64AndNotInMd5() {
        String message = postal(lp64(SIGNED + body), body);
        assertThat(verify(HashMode.AUTO, message).status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5_LP64, message).status()).isEqualTo(VERIFIED);
        Verdict md5 = verify(HashMode.MD5, message);
        assertThat(md5.status()).isEqualTo(CORRUPT);
        assertThat(md5.md5Lp64()).isNull();
    }

    // Digests of this 185-byte signed input from the RFC 1321 reference md5.c built with
    // UINT4 = unsigned long on x86-64, and from md5sum: no digest code of ours on this side.
    @Test
    void fixedMessageMatchesTheReferenceCode() {
        String fixedBody = "abc def\r\n\r\nQRS tuv 123 ()[]{}\r\n";
        Verdict lp64 = verify(HashMode.AUTO, postal("0d782cacf0fa8817bfca1da03edd8086", fixedBody));
        assertThat(lp64.status()).isEqualTo(VERIFIED);
        assertThat(lp64.md5()).isEqualTo("e3fd9af51bcb984a6136ae0f3bcdf1c6");
        assertThat(verify(HashMode.MD5, postal("e3fd9af51bcb984a6136ae0f3bcdf1c6", fixedBody)).status())
                .isEqualTo(VERIFIED);
    }

    // With no signed header lines the digest input is the body alone, so the §6.5 vectors apply.
    @Test
    void bodyOnlyMessagesMatchThePublishedVectors() {
        assertThat(verify(HashMode.MD5_LP64, "X-PostalHash: 7999dc75e8da648c6727e137c5b77803\r\n\r\nabc")
                .status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5_LP64, "X-PostalHash: 840793371ec58a6cc84896a5153095de\r\n\r\n"
                + "message digest").status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5_LP64, "X-PostalHash: e4c23762ed2823a27e62a64b95c024e7\r\n\r\n")
                .status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5, "X-PostalHash: 900150983cd24fb0d6963f7d28e17f72\r\n\r\nabc")
                .status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5, "X-PostalHash: 7999dc75e8da648c6727e137c5b77803\r\n\r\nabc")
                .status()).isEqualTo(CORRUPT);
    }

    @Test
    void oneChangedBodyByteIsCorrupt() {
        char[] changed = body.toCharArray();
        changed[1234] = changed[1234] == 'x' ? 'y' : 'x';
        Verdict verdict = verify(HashMode.AUTO, postal(md5(SIGNED + body), new String(changed)));
        assertThat(verdict.status()).isEqualTo(CORRUPT);
        assertThat(verdict.describe()).contains("matches neither md5");
    }

    @Test
    void messageWithoutTheHeaderIsUnsignedAndNotDigested() {
        Verdict verdict = verify(HashMode.AUTO, SIGNED + X_POSTAL + "\r\n" + body);
        assertThat(verdict).isEqualTo(new Verdict(UNSIGNED,
                "<6B072C7F.453.001.user1@example.com>", null, null, null));
    }

    @Test
    void emptyBodyAndUppercaseSignatureVerify() {
        assertThat(verify(HashMode.MD5, postal(md5(SIGNED), "")).status()).isEqualTo(VERIFIED);
        String upper = lp64(SIGNED + body).toUpperCase();
        assertThat(verify(HashMode.MD5_LP64, postal(upper, body)).status()).isEqualTo(VERIFIED);
    }

    @Test
    void headerSectionWithoutBlankLineEndsWithTheContent() {
        String emptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";
        assertThat(verify(HashMode.MD5, "X-PostalHash: " + emptyMd5 + "\r\n").status()).isEqualTo(VERIFIED);
        assertThat(verify(HashMode.MD5, "X-PostalHash: " + emptyMd5).status()).isEqualTo(VERIFIED);
    }

    @Test
    void signsTheFirstLineOfEachPrefixInFixedOrder() {
        String trickyBody = "From: <body@example.com>\r\n\r\n" + body;
        String hash = md5(SIGNED + trickyBody);
        // Received headers before, headers out of order, later duplicates: rabid ignores them all.
        String message = "Received: from a by b\r\n" + DATE + MESSAGE_ID + SUBJECT + TO + FROM
                + "X-PostalHash: " + hash + "\r\n" + "X-PostalHash: 0000\r\n"
                + "Subject: added later\r\n" + "from: <lowercase@example.com>\r\n"
                + X_POSTAL + "\r\n" + trickyBody;
        assertThat(verify(HashMode.MD5, message).status()).isEqualTo(VERIFIED);
    }

    @Test
    void messageIdIsCapturedCaseInsensitivelyAndBounded() {
        String longId = "<" + "i".repeat(400) + "@example.com>";
        Verdict verdict = verify(HashMode.AUTO, "MESSAGE-ID:   " + longId + "  \r\n\r\nbody\r\n");
        assertThat(verdict.messageId()).hasSize(HashVerifier.MAX_VALUE).isEqualTo(longId.substring(0, 256));
        assertThat(verify(HashMode.AUTO, "message-id:<a@b>\r\n\r\n").messageId()).isEqualTo("<a@b>");
        assertThat(verify(HashMode.AUTO, "Message-IDs: <a@b>\r\n\r\n").messageId()).isNull();
    }

    @Test
    void anySplitAndAnyBufferKindGivesTheSameVerdict() {
        byte[] message = postal(lp64(SIGNED + body), body).getBytes(ISO_8859_1);
        Verdict whole = verify(HashMode.AUTO, new String(message, ISO_8859_1));
        assertThat(whole.status()).isEqualTo(VERIFIED);
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);

        for (byte b : message) {
            verifier.update(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertSame(verifier.finish(), whole, "byte by byte");

        for (int round = 0; round < 200; round++) {
            for (int off = 0, kind = round; off < message.length; kind++) {
                int n = Math.min(random.nextInt(round % 2 == 0 ? 8 : 400), message.length - off);
                ByteBuf chunk = chunk(message, off, n, kind);
                int readerIndex = chunk.readerIndex();
                verifier.update(chunk);
                assertThat(chunk.readerIndex()).isEqualTo(readerIndex);
                chunk.release();
                off += n;
            }
            assertSame(verifier.finish(), whole, "round " + round);
        }
    }

    /** The same verdict on the same message; AUTO may skip the variant that did not match. */
    private static void assertSame(Verdict got, Verdict want, String what) {
        assertThat(got.status()).as(what).isEqualTo(want.status());
        assertThat(got.expected()).as(what).isEqualTo(want.expected());
        assertThat(got.messageId()).as(what).isEqualTo(want.messageId());
        assertThat(got.md5Lp64()).as(what).isEqualTo(want.md5Lp64());
    }

    @Test
    void overlongUnrelatedHeaderStaysBoundedAndHarmless() {
        String message = SIGNED + "X-PostalHash: " + md5(SIGNED + body) + "\r\n"
                + "X-Long: " + "a".repeat(100_000) + "\r\n" + X_POSTAL + "\r\n" + body;
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);
        byte[] bytes = message.getBytes(ISO_8859_1);
        for (int off = 0; off < bytes.length; off += 4096) {
            verifier.update(Unpooled.wrappedBuffer(bytes, off, Math.min(4096, bytes.length - off)));
            assertThat(verifier.lineCapacity()).isLessThanOrEqualTo(HashVerifier.MAX_LINE);
        }
        assertThat(verifier.signedCapacity()).isLessThanOrEqualTo(5 * HashVerifier.MAX_LINE);
        assertThat(verifier.finish().status()).isEqualTo(VERIFIED);
    }

    @Test
    void overlongSignedLineIsCorruptWithoutDigesting() {
        String subject = "Subject: " + "s".repeat(100_000) + "\r\n";
        String signed = FROM + TO + subject + DATE + MESSAGE_ID;
        String message = signed + "X-PostalHash: " + md5(signed + body) + "\r\n" + X_POSTAL + "\r\n" + body;
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);
        verifier.update(Unpooled.wrappedBuffer(message.getBytes(ISO_8859_1)));
        assertThat(verifier.lineCapacity()).isEqualTo(HashVerifier.MAX_LINE);
        Verdict verdict = verifier.finish();
        assertThat(verdict.status()).isEqualTo(CORRUPT);
        assertThat(verdict.md5()).isNull();
        assertThat(verdict.md5Lp64()).isNull();
        assertThat(verdict.describe()).endsWith("not checked: a signed header line exceeds 998 bytes");
    }

    @Test
    void lineBoundIs998CharactersPlusCrlf() {
        String longest = "Subject: " + "s".repeat(998 - 9) + "\r\n";
        String signed = FROM + TO + longest + DATE + MESSAGE_ID;
        assertThat(verify(HashMode.MD5, postal(md5(signed + body), body, signed)).status()).isEqualTo(VERIFIED);
        String tooLong = "Subject: " + "s".repeat(999 - 9) + "\r\n";
        signed = FROM + TO + tooLong + DATE + MESSAGE_ID;
        assertThat(verify(HashMode.MD5, postal(md5(signed + body), body, signed)).status()).isEqualTo(CORRUPT);
    }

    @Test
    void resetAndFinishMakeTheVerifierReusable() {
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);
        verifier.update(Unpooled.wrappedBuffer(postal("0000", body).substring(0, 500).getBytes(ISO_8859_1)));
        verifier.reset();
        String[] messages = {
            postal(md5(SIGNED + body), body), SIGNED + "\r\n" + body, postal(lp64(SIGNED), ""),
        };
        Verdict.Status[] expected = {VERIFIED, UNSIGNED, VERIFIED};
        for (int i = 0; i < messages.length; i++) {
            verifier.update(Unpooled.wrappedBuffer(messages[i].getBytes(ISO_8859_1)));
            assertThat(verifier.finish().status()).as("message %d", i).isEqualTo(expected[i]);
        }
    }

    private static Verdict verify(HashMode mode, String message) {
        HashVerifier verifier = new HashVerifier(mode);
        verifier.update(Unpooled.wrappedBuffer(message.getBytes(ISO_8859_1)));
        return verifier.finish();
    }

    /** A message laid out as postal 0.76 sends it (doc/POSTAL-0.76.md §6.1). */
    private static String postal(String hash, String body) {
        return postal(hash, body, SIGNED);
    }

    private static String postal(String hash, String body, String signedLines) {
        return signedLines + "X-PostalHash: " + hash + "\r\n" + X_POSTAL + "\r\n" + body;
    }

    /** A body of exactly {@code size} bytes of CRLF lines, drawn as postal does (§6.3). */
    private String body(int size) {
        StringBuilder text = new StringBuilder(size);
        for (int left = size; left > 0; ) {
            int length = Math.max(2, random.nextInt(79));
            if (left - length < 2) {
                length = left;
            }
            for (int i = 0; i < length - 2; i++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            text.append("\r\n");
            left -= length;
        }
        return text.toString();
    }

    /** Heap, composite, direct, or heap with unread bytes before the reader index. */
    private static ByteBuf chunk(byte[] message, int off, int n, int kind) {
        switch (kind % 4) {
            case 0:
                return Unpooled.wrappedBuffer(message, off, n);
            case 1:
                int half = n / 2;
                return Unpooled.wrappedBuffer(Arrays.copyOfRange(message, off, off + half),
                        Arrays.copyOfRange(message, off + half, off + n));
            case 2:
                return Unpooled.directBuffer(n).writeBytes(message, off, n);
            default:
                ByteBuf buf = Unpooled.buffer(n + 5).writeBytes("junk\n".getBytes(ISO_8859_1));
                return buf.writeBytes(message, off, n).readerIndex(5);
        }
    }

    private static String md5(String signedInput) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(signedInput.getBytes(ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String lp64(String signedInput) {
        Md5Lp64 digest = new Md5Lp64();
        byte[] bytes = signedInput.getBytes(ISO_8859_1);
        digest.update(bytes, 0, bytes.length);
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void autoSwitchesToTheVariantThatMatchedAndStillReportsBothWhenNeitherDoes() {
        String md5Message = postal(md5(SIGNED + body), body);
        String lp64Message = postal(lp64(SIGNED + body), body);
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);
        Verdict first = feed(verifier, lp64Message);
        assertThat(first.status()).isEqualTo(VERIFIED);
        assertThat(first.md5()).isEqualTo(md5(SIGNED + body));
        assertThat(first.md5Lp64()).isEqualTo(lp64(SIGNED + body));
        Verdict second = feed(verifier, lp64Message);
        assertThat(second.status()).isEqualTo(VERIFIED);
        assertThat(second.md5()).as("lp64 is now tried first").isNull();
        assertThat(feed(verifier, md5Message).status()).isEqualTo(VERIFIED);
        String tampered = lp64Message.replace("\r\n\r\n", "\r\n\r\nX");
        Verdict bad = feed(verifier, tampered);
        assertThat(bad.status()).isEqualTo(CORRUPT);
        assertThat(bad.md5()).isNotNull();
        assertThat(bad.md5Lp64()).isNotNull();
    }

    @Test
    void autoReleasesTheBodyItKept() {
        ByteBuf message = Unpooled.copiedBuffer(postal(lp64(SIGNED + body), body), ISO_8859_1);
        HashVerifier verifier = new HashVerifier(HashMode.AUTO);
        verifier.update(message);
        assertThat(message.refCnt()).isGreaterThan(1);
        assertThat(verifier.finish().status()).isEqualTo(VERIFIED);
        assertThat(message.refCnt()).isEqualTo(1);
        verifier.update(message);
        verifier.reset();
        assertThat(message.refCnt()).isEqualTo(1);
        message.release();
    }

    private static Verdict feed(HashVerifier verifier, String message) {
        ByteBuf buf = Unpooled.copiedBuffer(message, ISO_8859_1);
        try {
            verifier.update(buf);
            return verifier.finish();
        } finally {
            buf.release();
        }
    }
}
