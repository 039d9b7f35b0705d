// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The lines of a UTF-8 text, without LF or CR LF, each at most {@link #MAX_LENGTH} bytes. */
final class Lines implements Closeable {

    /** Far more than any mail address (RFC 5321 allows 256 octets) plus password. */
    static final int MAX_LENGTH = 4096;

    private final InputStream in;
    private final String name;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    // Strict, line by line, so that a bad byte is reported on its own line.
    private final CharsetDecoder decoder = UTF_8.newDecoder();
    private int number;

    private Lines(InputStream in, String name) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.name = name;
    }

    /** The lines of a named file; {@link CannotOpen} says why there are none. */
    static Lines open(String file) throws CannotOpen {
        Path path = Path.of(file);
        try {
            if (Files.isDirectory(path)) {
                throw new CannotOpen(file, "is a directory");
            }
            return new Lines(Files.newInputStream(path), file);
        } catch (NoSuchFileException e) {
            throw new CannotOpen(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new CannotOpen(file, "permission denied");
        } catch (IOException e) {
            throw new CannotOpen(file, e.getMessage());
        }
    }

    /** The lines of a stream, such as standard input, named {@code name} in messages. */
    static Lines of(InputStream in, String name) {
        return new Lines(in, name);
    }

    /** The next line, or null at the end. */
    String next() throws IOException, InputError {
        line.reset();
        number++;
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                if (line.size() == 0) {
                    return null;
                }
                break;
            }
            if (line.size() == MAX_LENGTH) {
                throw new InputError(where(), "line longer than " + MAX_LENGTH + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new InputError(where(), "not UTF-8 text");
        }
    }

    /** {@code file:line} of the line {@link #next} returned last. */
    String where() {
        return name + ":" + number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A named file that cannot be opened (EX_NOINPUT). */
    static final class CannotOpen extends IOException {
        private static final long serialVersionUID = 1L;

        CannotOpen(String file, String reason) {
            super("Can't open \"" + file + "\": " + reason);
        }
    }
}
