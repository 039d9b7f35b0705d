// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Md5Lp64Test {

    // doc/POSTAL-0.76.md §6.5, measured on the 64-bit Debian build of postal 0.76.
    @ParameterizedTest
    @CsvSource({
        "'', e4c23762ed2823a27e62a64b95c024e7",
        "a, 793a9bc07e209b286fa416d6ee29a85d",
        "abc, 7999dc75e8da648c6727e137c5b77803",
        "message digest, 840793371ec58a6cc84896a5153095de",
    })
    void matchesThe64BitBuildVectors(String input, String expected) {
        assertThat(lp64(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    // Multi-block vectors from the RFC 1321 reference md5.c compiled with UINT4 = unsigned long
    // on x86-64; the single-block vectors above cannot show the upper state bits carried between
    // blocks. Input byte i is (i * 31 + 7) mod 256.
    @ParameterizedTest
    @CsvSource({
        "55, 0f198929fb9145906422c839e8a965d1",
        "56, 487163a18f2b7188065896b2f63d7c83",
        "57, 28cdf5aa51b23493a3cce35e00116c11",
        "63, 1a6f4482a69476c2bdb1f3d79c646b9e",
        "64, 410aee9f9fcae04995d9dfac2b319ca4",
        "65, d8e40a874435e1f144ce78bba87fb984",
        "119, 7b7d0f6bf09810d0ccd0153d3698cd5d",
        "120, 24fece6a92df75b8f8c6da0dafc092d1",
        "128, 2a38b25aa688c9fb476e5d0822d3450a",
        "1000, a4e3e76edcc4f94e175899146bf5468a",
        "100000, 75f66e1543cf8131db13dbd5762c707b",
    })
    void matchesTheReferenceCodeAcrossBlocks(int length, String expected) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i * 31 + 7);
        }
        assertThat(lp64(input)).isEqualTo(expected);
    }

    @Test
    void matchesTheReferenceCodeOnLongerText() {
        byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        assertThat(lp64(fox)).isEqualTo("bfbe39925969b115fd802c3f70edd436");
        byte[] million = new byte[1_000_000];
        Arrays.fill(million, (byte) 'a');
        assertThat(lp64(million)).isEqualTo("81ca8f1ff63d1c50259cdda6db90d9c3");
    }

    @Test
    void anySplitGivesTheSameDigest() {
        Random random = new Random(0x9057A1L);
        Md5Lp64 md = new Md5Lp64();
        for (int length = 0; length <= 300; length++) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            String whole = lp64(input);

            for (byte b : input) {
                md.update(new byte[] {b}, 0, 1);
            }
            assertThat(hex(md.digest())).as("byte at a time, length %d", length).isEqualTo(whole);

            for (int off = 0; off < length; ) {
                int n = Math.min(random.nextInt(130), length - off);
                md.update(input, off, n);
                off += n;
            }
            assertThat(hex(md.digest())).as("random splits, length %d", length).isEqualTo(whole);
        }
    }

    @Test
    void byteBuffersOfEveryKindGiveTheSameDigestAndAreConsumed() {
        Random random = new Random(42);
        Md5Lp64 md = new Md5Lp64();
        for (int length = 0; length <= 300; length += 7) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            String whole = lp64(input);
            ByteBuffer direct = ByteBuffer.allocateDirect(length).put(input).flip();
            ByteBuffer[] kinds = {
                ByteBuffer.wrap(input), ByteBuffer.wrap(input).asReadOnlyBuffer(), direct,
            };
            for (ByteBuffer buffer : kinds) {
                int split = random.nextInt(length + 1);
                md.update(buffer.duplicate().limit(split));
                buffer.position(split);
                md.update(buffer);
                assertThat(buffer.hasRemaining()).isFalse();
                assertThat(hex(md.digest())).as("%s, length %d", buffer, length).isEqualTo(whole);
            }
        }
    }

    @Test
    void aWordLoadReadsTheSameLittleEndianWordAsFourByteLoads() {
        byte[] bytes = new byte[67];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[3] = (byte) 0x80;
        for (int off = 0; off + 4 <= bytes.length; off++) {
            assertThat(Md5Lp64.word(bytes, off)).as("offset %d", off).isEqualTo(Md5Lp64.wordByBytes(bytes, off))
                    .isBetween(0L, 0xffffffffL);
        }
        assertThat(Md5Lp64.wordByBytes(bytes, 0) & 0xffL).isEqualTo(0xffL);
        assertThat(Md5Lp64.wordByBytes(bytes, 0) >>> 24).isEqualTo(0x80L);
    }

    @Test
    void digestResetsAndResetForgetsInput() {
        Md5Lp64 md = new Md5Lp64();
        md.update(new byte[] {'a', 'b', 'c'}, 0, 3);
        assertThat(hex(md.digest())).isEqualTo("7999dc75e8da648c6727e137c5b77803");
        assertThat(hex(md.digest())).isEqualTo("e4c23762ed2823a27e62a64b95c024e7");
        md.update(new byte[] {'x'}, 0, 1);
        md.reset();
        md.update(new byte[] {'z', 'a', 'z'}, 1, 1);
        assertThat(hex(md.digest())).isEqualTo("793a9bc07e209b286fa416d6ee29a85d");
    }

    private static String lp64(byte[] input) {
        Md5Lp64 md = new Md5Lp64();
        md.update(input, 0, input.length);
        return hex(md.digest());
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
