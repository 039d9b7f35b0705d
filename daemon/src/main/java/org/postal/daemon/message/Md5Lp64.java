// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The MD5 variant that 64-bit builds of postal 0.76 compute for {@code X-PostalHash}.
 *
 * <p>postal bundles the RSA reference {@code md5.c}, whose 32-bit word type is {@code unsigned
 * long}; on LP64 that is 64 bits, so the state and the registers are 64-bit, additions wrap at
 * 2<sup>64</sup>, NOT is a 64-bit complement and the rotate leaks high bits into the low word.
 * Message words stay zero-extended 32-bit values, the state keeps its upper bits from block to
 * block, and the digest is the low 32 bits of each state word, little-endian (doc/POSTAL-0.76.md
 * §6.5). Padding and the length field are those of real MD5; the reference differs only past
 * 512 MiB in total, where its high length word depends on how the input was split.
 *
 * <p>Not thread-safe. {@link #update} allocates nothing.
 */
public final class Md5Lp64 {
    /**
     * Message words read as one unaligned native int (a little-endian one) instead of four bytes:
     * under C1, which short rabid runs use, a 4.4 KiB message takes 11.0 instead of 13.1 µs.
     */
    private static final boolean WORD_LOADS = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned()
            && !PlatformDependent.BIG_ENDIAN_NATIVE_ORDER;

    private final long[] state = new long[4];
    private final byte[] block = new byte[64];
    /** Direct buffers are copied through this in bulk: one copy per kilobyte, not one per block. */
    private final byte[] staging = new byte[1024];
    private int blockLength;
    private long byteCount;

    /** Creates a digest ready for input. */
    public Md5Lp64() {
        reset();
    }

    /** Forgets all input, as after construction. */
    public void reset() {
        state[0] = 0x67452301L;
        state[1] = 0xefcdab89L;
        state[2] = 0x98badcfeL;
        state[3] = 0x10325476L;
        blockLength = 0;
        byteCount = 0;
    }

    /** Adds {@code len} bytes of {@code b} starting at {@code off}. */
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        byteCount += len;
        if (blockLength > 0) {
            int n = Math.min(64 - blockLength, len);
            System.arraycopy(b, off, block, blockLength, n);
            blockLength += n;
            off += n;
            len -= n;
            if (blockLength < 64) {
                return;
            }
            transform(block, 0);
            blockLength = 0;
        }
        // Whole blocks straight from the caller's array: no copy on the bulk path.
        for (; len >= 64; off += 64, len -= 64) {
            transform(b, off);
        }
        System.arraycopy(b, off, block, 0, len);
        blockLength = len;
    }

    /** Adds the remaining bytes of {@code b}, leaving its position at its limit. */
    public void update(ByteBuffer b) {
        if (b.hasArray()) {
            int n = b.remaining();
            update(b.array(), b.arrayOffset() + b.position(), n);
            b.position(b.position() + n);
            return;
        }
        // Direct or read-only: bounded bulk copies through a staging array, never a new array.
        while (b.hasRemaining()) {
            int n = Math.min(staging.length, b.remaining());
            b.get(staging, 0, n);
            update(staging, 0, n);
        }
    }

    /** Completes the digest, returns its 16 bytes and resets for the next input. */
    public byte[] digest() {
        long bits = byteCount << 3;
        block[blockLength++] = (byte) 0x80;
        if (blockLength > 56) {
            Arrays.fill(block, blockLength, 64, (byte) 0);
            transform(block, 0);
            blockLength = 0;
        }
        Arrays.fill(block, blockLength, 56, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[56 + i] = (byte) (bits >>> (8 * i));
        }
        transform(block, 0);
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            // Encode() in md5.c writes only the low 32 bits of each 64-bit state word.
            out[i] = (byte) (state[i >> 2] >>> (8 * (i & 3)));
        }
        reset();
        return out;
    }

    // RFC 1321 §3.4 unrolled, the message words in locals and the constants T[i] = floor(2^32 *
    // abs(sin(i + 1))) written out (zero-extended as the (UINT4) cast does). Short rabid runs use C1 alone,
    // which keeps a loop over tables as it is: unrolled, a 4.5 KiB message takes 13.9 instead of 16 µs.
    private void transform(byte[] in, int off) {
        long x0 = word(in, off + 0);
        long x1 = word(in, off + 4);
        long x2 = word(in, off + 8);
        long x3 = word(in, off + 12);
        long x4 = word(in, off + 16);
        long x5 = word(in, off + 20);
        long x6 = word(in, off + 24);
        long x7 = word(in, off + 28);
        long x8 = word(in, off + 32);
        long x9 = word(in, off + 36);
        long x10 = word(in, off + 40);
        long x11 = word(in, off + 44);
        long x12 = word(in, off + 48);
        long x13 = word(in, off + 52);
        long x14 = word(in, off + 56);
        long x15 = word(in, off + 60);
        long a = state[0];
        long b = state[1];
        long c = state[2];
        long d = state[3];
        // Round 1.
        a = ff(a, b, c, d, x0, 7, 0xd76aa478L);
        d = ff(d, a, b, c, x1, 12, 0xe8c7b756L);
        c = ff(c, d, a, b, x2, 17, 0x242070dbL);
        b = ff(b, c, d, a, x3, 22, 0xc1bdceeeL);
        a = ff(a, b, c, d, x4, 7, 0xf57c0fafL);
        d = ff(d, a, b, c, x5, 12, 0x4787c62aL);
        c = ff(c, d, a, b, x6, 17, 0xa8304613L);
        b = ff(b, c, d, a, x7, 22, 0xfd469501L);
        a = ff(a, b, c, d, x8, 7, 0x698098d8L);
        d = ff(d, a, b, c, x9, 12, 0x8b44f7afL);
        c = ff(c, d, a, b, x10, 17, 0xffff5bb1L);
        b = ff(b, c, d, a, x11, 22, 0x895cd7beL);
        a = ff(a, b, c, d, x12, 7, 0x6b901122L);
        d = ff(d, a, b, c, x13, 12, 0xfd987193L);
        c = ff(c, d, a, b, x14, 17, 0xa679438eL);
        b = ff(b, c, d, a, x15, 22, 0x49b40821L);
        // Round 2.
        a = gg(a, b, c, d, x1, 5, 0xf61e2562L);
        d = gg(d, a, b, c, x6, 9, 0xc040b340L);
        c = gg(c, d, a, b, x11, 14, 0x265e5a51L);
        b = gg(b, c, d, a, x0, 20, 0xe9b6c7aaL);
        a = gg(a, b, c, d, x5, 5, 0xd62f105dL);
        d = gg(d, a, b, c, x10, 9, 0x02441453L);
        c = gg(c, d, a, b, x15, 14, 0xd8a1e681L);
        b = gg(b, c, d, a, x4, 20, 0xe7d3fbc8L);
        a = gg(a, b, c, d, x9, 5, 0x21e1cde6L);
        d = gg(d, a, b, c, x14, 9, 0xc33707d6L);
        c = gg(c, d, a, b, x3, 14, 0xf4d50d87L);
        b = gg(b, c, d, a, x8, 20, 0x455a14edL);
        a = gg(a, b, c, d, x13, 5, 0xa9e3e905L);
        d = gg(d, a, b, c, x2, 9, 0xfcefa3f8L);
        c = gg(c, d, a, b, x7, 14, 0x676f02d9L);
        b = gg(b, c, d, a, x12, 20, 0x8d2a4c8aL);
        // Round 3.
        a = hh(a, b, c, d, x5, 4, 0xfffa3942L);
        d = hh(d, a, b, c, x8, 11, 0x8771f681L);
        c = hh(c, d, a, b, x11, 16, 0x6d9d6122L);
        b = hh(b, c, d, a, x14, 23, 0xfde5380cL);
        a = hh(a, b, c, d, x1, 4, 0xa4beea44L);
        d = hh(d, a, b, c, x4, 11, 0x4bdecfa9L);
        c = hh(c, d, a, b, x7, 16, 0xf6bb4b60L);
        b = hh(b, c, d, a, x10, 23, 0xbebfbc70L);
        a = hh(a, b, c, d, x13, 4, 0x289b7ec6L);
        d = hh(d, a, b, c, x0, 11, 0xeaa127faL);
        c = hh(c, d, a, b, x3, 16, 0xd4ef3085L);
        b = hh(b, c, d, a, x6, 23, 0x04881d05L);
        a = hh(a, b, c, d, x9, 4, 0xd9d4d039L);
        d = hh(d, a, b, c, x12, 11, 0xe6db99e5L);
        c = hh(c, d, a, b, x15, 16, 0x1fa27cf8L);
        b = hh(b, c, d, a, x2, 23, 0xc4ac5665L);
        // Round 4.
        a = ii(a, b, c, d, x0, 6, 0xf4292244L);
        d = ii(d, a, b, c, x7, 10, 0x432aff97L);
        c = ii(c, d, a, b, x14, 15, 0xab9423a7L);
        b = ii(b, c, d, a, x5, 21, 0xfc93a039L);
        a = ii(a, b, c, d, x12, 6, 0x655b59c3L);
        d = ii(d, a, b, c, x3, 10, 0x8f0ccc92L);
        c = ii(c, d, a, b, x10, 15, 0xffeff47dL);
        b = ii(b, c, d, a, x1, 21, 0x85845dd1L);
        a = ii(a, b, c, d, x8, 6, 0x6fa87e4fL);
        d = ii(d, a, b, c, x15, 10, 0xfe2ce6e0L);
        c = ii(c, d, a, b, x6, 15, 0xa3014314L);
        b = ii(b, c, d, a, x13, 21, 0x4e0811a1L);
        a = ii(a, b, c, d, x4, 6, 0xf7537e82L);
        d = ii(d, a, b, c, x11, 10, 0xbd3af235L);
        c = ii(c, d, a, b, x2, 15, 0x2ad7d2bbL);
        b = ii(b, c, d, a, x9, 21, 0xeb86d391L);
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }


    // The four steps of RFC 1321 §3.4 on 64-bit words: a = b + ((a + F(b,c,d) + x + t) <<< s), where the
    // rotate of a 64-bit unsigned long shifts the bits above 31 down into the low word (ROTATE_LEFT in md5.c).
    private static long ff(long a, long b, long c, long d, long x, int s, long t) {
        return rotate(a + ((b & c) | (~b & d)) + x + t, s) + b;
    }

    private static long gg(long a, long b, long c, long d, long x, int s, long t) {
        return rotate(a + ((b & d) | (c & ~d)) + x + t, s) + b;
    }

    private static long hh(long a, long b, long c, long d, long x, int s, long t) {
        return rotate(a + (b ^ c ^ d) + x + t, s) + b;
    }

    private static long ii(long a, long b, long c, long d, long x, int s, long t) {
        return rotate(a + (c ^ (b | ~d)) + x + t, s) + b;
    }

    /** The little-endian 32-bit word at {@code off}, zero-extended: one load where the platform allows. */
    static long word(byte[] in, int off) {
        return WORD_LOADS ? PlatformDependent.getInt(in, off) & 0xffffffffL : wordByBytes(in, off);
    }

    static long wordByBytes(byte[] in, int off) {
        return (in[off] & 0xffL) | (in[off + 1] & 0xffL) << 8 | (in[off + 2] & 0xffL) << 16
                | (in[off + 3] & 0xffL) << 24;
    }

    private static long rotate(long v, int s) {
        return (v << s) | (v >>> (32 - s));
    }
}
