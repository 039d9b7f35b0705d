// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

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
 * block, and the digest is the low 32 bits of each state word, little-endian (postal-original.md
 * §6.5). Padding and the length field are those of real MD5; the reference differs only past
 * 512 MiB in total, where its high length word depends on how the input was split.
 *
 * <p>Not thread-safe. {@link #update} allocates nothing.
 */
public final class Md5Lp64 {
    // RFC 1321 §3.4: T[i] = floor(2^32 * abs(sin(i + 1))), zero-extended as the (UINT4) cast does.
    private static final long[] T = {
        0xd76aa478L, 0xe8c7b756L, 0x242070dbL, 0xc1bdceeeL, 0xf57c0fafL, 0x4787c62aL, 0xa8304613L, 0xfd469501L,
        0x698098d8L, 0x8b44f7afL, 0xffff5bb1L, 0x895cd7beL, 0x6b901122L, 0xfd987193L, 0xa679438eL, 0x49b40821L,
        0xf61e2562L, 0xc040b340L, 0x265e5a51L, 0xe9b6c7aaL, 0xd62f105dL, 0x02441453L, 0xd8a1e681L, 0xe7d3fbc8L,
        0x21e1cde6L, 0xc33707d6L, 0xf4d50d87L, 0x455a14edL, 0xa9e3e905L, 0xfcefa3f8L, 0x676f02d9L, 0x8d2a4c8aL,
        0xfffa3942L, 0x8771f681L, 0x6d9d6122L, 0xfde5380cL, 0xa4beea44L, 0x4bdecfa9L, 0xf6bb4b60L, 0xbebfbc70L,
        0x289b7ec6L, 0xeaa127faL, 0xd4ef3085L, 0x04881d05L, 0xd9d4d039L, 0xe6db99e5L, 0x1fa27cf8L, 0xc4ac5665L,
        0xf4292244L, 0x432aff97L, 0xab9423a7L, 0xfc93a039L, 0x655b59c3L, 0x8f0ccc92L, 0xffeff47dL, 0x85845dd1L,
        0x6fa87e4fL, 0xfe2ce6e0L, 0xa3014314L, 0x4e0811a1L, 0xf7537e82L, 0xbd3af235L, 0x2ad7d2bbL, 0xeb86d391L,
    };
    private static final int[] SHIFT = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

    private final long[] state = new long[4];
    private final long[] x = new long[16];
    private final byte[] block = new byte[64];
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
        // Direct or read-only: bounded copies through the block buffer, never a new array.
        while (b.hasRemaining()) {
            int n = Math.min(64 - blockLength, b.remaining());
            b.get(block, blockLength, n);
            blockLength += n;
            byteCount += n;
            if (blockLength == 64) {
                transform(block, 0);
                blockLength = 0;
            }
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

    private void transform(byte[] in, int off) {
        for (int i = 0; i < 16; i++, off += 4) {
            x[i] = (in[off] & 0xffL) | (in[off + 1] & 0xffL) << 8
                    | (in[off + 2] & 0xffL) << 16 | (in[off + 3] & 0xffL) << 24;
        }
        long a = state[0];
        long b = state[1];
        long c = state[2];
        long d = state[3];
        for (int i = 0; i < 64; i++) {
            long f;
            int g;
            switch (i >> 4) {
                case 0 -> { f = (b & c) | (~b & d); g = i; }
                case 1 -> { f = (b & d) | (c & ~d); g = (5 * i + 1) & 15; }
                case 2 -> { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
                default -> { f = c ^ (b | ~d); g = (7 * i) & 15; }
            }
            int s = SHIFT[(i >> 4) << 2 | (i & 3)];
            a += f + x[g] + T[i];
            // ROTATE_LEFT on a 64-bit unsigned long: bits above 31 shift down into the low word.
            a = (a << s) | (a >>> (32 - s));
            a += b;
            long t = d;
            d = c;
            c = b;
            b = a;
            a = t;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }
}
