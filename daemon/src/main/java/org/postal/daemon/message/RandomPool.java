// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random text that message bodies are cut from without copying, built once from a seed.
 *
 * <p>postal 0.76 copies each body line out of an 8 KiB pool of random characters that it refills
 * every 5 s (doc/POSTAL-0.76.md §6.3). This pool instead holds the lines themselves, CRLFs
 * included, so a body is one slice of whole lines followed by a short last line. It is fixed for
 * the run: a refill would tie the bodies to wall-clock time, so a seed could no longer repeat
 * them, and {@value #DEFAULT_LINE_BYTES} bytes of lines (against 0.76's 8 KiB) make bodies from
 * random starting lines overlap rarely. Three regions, in one read-only direct buffer:
 * <ol>
 *   <li>{@value #TAIL_LINES} lines of {@value #TAIL_LINE} bytes (77 characters and CRLF); a
 *       body's last line is the end of one of them, and Subjects are copied from them;</li>
 *   <li>lines of 0–76 characters and CRLF, their lengths drawn as 0.76 draws them;</li>
 *   <li>the second region repeated for as many bytes as the largest body, so that a body that
 *       starts on any line of the second region is still one contiguous slice.</li>
 * </ol>
 * The characters come from 0.76's 95-character alphabet, which has no {@code .}, so no line needs
 * dot-stuffing. Thread-safe: nothing changes after construction. {@link #close()} drops the
 * creator's reference; the memory goes when the last slice is released and the pool unreachable.
 */
public final class RandomPool implements AutoCloseable {
    /** The body and Subject alphabet of postal 0.76 (doc/POSTAL-0.76.md §6.3), three spaces and no dot. */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            + " 1234567890 `~!@#$%^&*()-_=+[]{};:'\"|/?<>,";
    /** Default size of the line region. */
    public static final int DEFAULT_LINE_BYTES = 1 << 20;
    /** 0.76 draws a line's length, CRLF included, as {@code random() % 79} raised to at least 2. */
    static final int LINE_MODULUS = 79;
    /** The longest last line: 77 characters and CRLF, when the line before would leave 1 byte. */
    static final int TAIL_LINE = LINE_MODULUS;
    static final int TAIL_LINES = 512;

    private static final byte[] CHARS = ALPHABET.getBytes(StandardCharsets.US_ASCII);

    private final ByteBuffer memory;
    private final ByteBuf buffer;
    private final int[] lineStarts;
    private final int linesStart;
    private final int linesLength;
    private final int maxBody;
    private final long seed;

    private RandomPool(long seed, int lineBytes, int maxBody) {
        this.seed = seed;
        this.maxBody = maxBody;
        SplittableRandom random = new SplittableRandom(seed);
        int[] starts = new int[lineBytes / 2 + 1];
        int count = 0;
        int length = 0;
        while (length < lineBytes) {
            starts[count++] = length;
            length += lineLength(random);
        }
        this.lineStarts = Arrays.copyOf(starts, count);
        this.linesStart = TAIL_LINES * TAIL_LINE;
        this.linesLength = length;

        ByteBuffer fill = ByteBuffer.allocateDirect(linesStart + linesLength + maxBody);
        byte[] line = new byte[TAIL_LINE + 2]; // room for the last draw's three characters
        for (int i = 0; i < TAIL_LINES; i++) {
            putLine(fill, random, line, TAIL_LINE);
        }
        for (int i = 0; i < count; i++) {
            int end = i + 1 < count ? lineStarts[i + 1] : linesLength;
            putLine(fill, random, line, end - lineStarts[i]);
        }
        ByteBuffer lines = fill.duplicate().position(linesStart).limit(linesStart + linesLength);
        while (fill.hasRemaining()) {
            // The third region: the lines again, cyclically, as far as the largest body reaches.
            lines.position(linesStart).limit(linesStart + Math.min(linesLength, fill.remaining()));
            fill.put(lines);
        }
        this.memory = fill.clear().asReadOnlyBuffer();
        this.buffer = Unpooled.wrappedBuffer(memory.duplicate());
    }

    /** A pool from {@code seed} for bodies of at most {@code maxBody} bytes, with the default line region. */
    public static RandomPool create(long seed, int maxBody) {
        return create(seed, DEFAULT_LINE_BYTES, maxBody);
    }

    /** A pool from {@code seed} with a line region of at least {@code lineBytes} bytes. */
    public static RandomPool create(long seed, int lineBytes, int maxBody) {
        if (lineBytes < TAIL_LINE || lineBytes > 1 << 28) {
            throw new IllegalArgumentException("line region of " + lineBytes + " bytes is out of range");
        }
        if (maxBody < 0 || maxBody > MessageSizes.LIMIT_KIB * 1024) {
            throw new IllegalArgumentException("largest body of " + maxBody + " bytes is out of range");
        }
        return new RandomPool(seed, lineBytes, maxBody);
    }

    /** The seed the pool was built from. */
    public long seed() {
        return seed;
    }

    /** The largest body the pool can serve. */
    public int maxBody() {
        return maxBody;
    }

    /** Bytes of direct memory the pool holds. */
    public int capacity() {
        return memory.capacity();
    }

    /** The pool's reference count: 1 plus one for each slice not yet released. */
    public int refCnt() {
        return buffer.refCnt();
    }

    /** Releases the creator's reference. */
    @Override
    public void close() {
        buffer.release();
    }

    /** A read-only view of all of the pool, for a caller's own position and limit. */
    ByteBuffer view() {
        return memory.duplicate();
    }

    /** A read-only slice that holds a reference to the pool until released. */
    ByteBuf slice(int index, int length) {
        return length == 0 ? Unpooled.EMPTY_BUFFER : buffer.retainedSlice(index, length);
    }

    int lineCount() {
        return lineStarts.length;
    }

    /** Where line {@code line} of the line region starts. */
    int lineStart(int line) {
        return linesStart + lineStarts[line];
    }

    /**
     * Where the last line starting at or before {@code index} starts, with {@code index} anywhere
     * in the line region or its repetition.
     */
    int lineStartAtOrBefore(int index) {
        int offset = index - linesStart;
        int lap = offset / linesLength;
        int found = Arrays.binarySearch(lineStarts, offset - lap * linesLength);
        int line = found >= 0 ? found : -found - 2;
        return linesStart + lap * linesLength + lineStarts[line];
    }

    /** Where tail line {@code line} ends, just after its CRLF. */
    int tailLineEnd(int line) {
        return (line + 1) * TAIL_LINE;
    }

    /** Copies {@code length} characters, at most 77, of tail line {@code line} from {@code column}. */
    void copyCharacters(int line, int column, byte[] to, int offset, int length) {
        memory.get(line * TAIL_LINE + column, to, offset, length);
    }

    /** An index into the alphabet from the low 21 bits of {@code bits}. */
    private static int character(long bits) {
        return (int) (((bits & 0x1f_ffffL) * CHARS.length) >>> 21);
    }

    private static int lineLength(SplittableRandom random) {
        return Math.max(2, random.nextInt(LINE_MODULUS));
    }

    /**
     * One line of {@code length} bytes, CRLF included, drawn into {@code line} and put in one copy.
     * Each 64-bit draw gives three characters, each from 21 of its bits scaled to the alphabet
     * (multiply and shift; the bias is below 1 in 20,000): the pool of a megabyte is built in a
     * third of the draws, at start-up, where every millisecond is on the clock of a short run.
     */
    private static void putLine(ByteBuffer to, SplittableRandom random, byte[] line, int length) {
        int characters = length - 2;
        for (int i = 0; i < characters; i += 3) {
            long bits = random.nextLong();
            line[i] = CHARS[character(bits)];
            line[i + 1] = CHARS[character(bits >>> 21)];
            line[i + 2] = CHARS[character(bits >>> 42)];
        }
        line[characters] = '\r';
        line[characters + 1] = '\n';
        to.put(line, 0, length);
    }
}
