// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.lists;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.postal.ctl.protocol.Printable;

/**
 * A list file (bhm's and rabid's user lists, postal's users and senders, bhm's hosts file) read
 * with bounds: every line of UTF-8 text, without LF or CR LF.
 *
 * <p>Only a regular file is read. A FIFO with no writer would block the open itself (and with it
 * SIGTERM's orderly stop), and a device such as {@code /dev/zero} never ends, so both are refused
 * before they are opened: write a generated list (postal-list's output) to a file first. A file is
 * at most {@link #MAX_SIZE} bytes, a line at most {@link #MAX_LINE} bytes, and a line holds no
 * control character but the tab. Every error names the file and the line and quotes at most
 * {@link #EXCERPT} characters, escaped.
 */
public final class ListFile {

    /** About two million addresses: far more than a test lab lists, small next to the heap. */
    public static final long MAX_SIZE = 64L << 20;
    /** Bytes per line without its end: an RFC 5321 path (256) plus a password, many times over. */
    public static final int MAX_LINE = 4096;
    /** Characters of a bad value quoted in an error. */
    public static final int EXCERPT = 64;

    /** One line of a list: its text (without CR LF) and where it stands, for error messages. */
    public record Line(String file, int number, String text) {

        /** An error about this line: {@code FILE:LINE: reason}. */
        public IOException error(String reason) {
            return new IOException(file + ":" + number + ": " + reason);
        }
    }

    private ListFile() {
    }

    /** What {@link #forEach} hands each line to. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(Line line) throws IOException;
    }

    /**
     * All lines of the file, in order.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file (the programs exit 66)
     * @throws IOException saying which bound or which line failed
     */
    public static List<Line> read(Path path) throws IOException {
        List<Line> lines = new ArrayList<>();
        forEach(path, lines::add);
        return lines;
    }

    /**
     * Each line of the file in turn, none kept: a list of a million addresses is read without a
     * million line objects alive at once (the caller keeps what it needs, as compactly as it can).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file (the programs exit 66)
     * @throws IOException saying which bound or which line failed, or what {@code handler} threw
     */
    public static void forEach(Path path, LineHandler handler) throws IOException {
        String file = Printable.excerpt(path.toString(), 256);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            throw cannotRead(file, "permission denied");
        }
        if (attributes.isDirectory()) {
            throw cannotRead(file, "is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw cannotRead(file, "not a regular file (a FIFO, socket or device); write the list to a file");
        }
        if (attributes.size() > MAX_SIZE) {
            throw tooLarge(file);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) MAX_SIZE + 1);
        } catch (AccessDeniedException e) {
            throw cannotRead(file, "permission denied");
        }
        if (bytes.length > MAX_SIZE) {
            throw tooLarge(file);
        }
        split(file, bytes, handler);
    }

    /** The lines of {@code bytes}, named {@code file} in errors. */
    static List<Line> split(String file, byte[] bytes) throws IOException {
        List<Line> lines = new ArrayList<>();
        split(file, bytes, lines::add);
        return lines;
    }

    private static void split(String file, byte[] bytes, LineHandler handler) throws IOException {
        CharsetDecoder decoder = UTF_8.newDecoder();
        int number = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int next = end + 1;
            if (end > start && bytes[end - 1] == '\r') {
                end--;
            }
            Line where = new Line(file, ++number, "");
            if (end - start > MAX_LINE) {
                throw where.error("line longer than " + MAX_LINE + " bytes");
            }
            String text;
            try {
                text = decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw where.error("not UTF-8 text");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c < ' ' && c != '\t') || c == 0x7f) {
                    throw where.error("control character in \"" + quote(text) + "\"");
                }
            }
            handler.accept(new Line(file, number, text));
            start = next;
        }
    }

    /** A value from a file or a request, escaped and cut to {@link #EXCERPT} characters for an error. */
    public static String quote(String value) {
        return Printable.excerpt(value, EXCERPT);
    }

    private static IOException cannotRead(String file, String reason) {
        return new IOException("cannot read \"" + file + "\": " + reason);
    }

    private static IOException tooLarge(String file) {
        return new IOException("cannot read \"" + file + "\": larger than " + (MAX_SIZE >> 20) + " MiB");
    }
}
