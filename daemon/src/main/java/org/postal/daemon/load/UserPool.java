// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.postal.daemon.lists.Addresses;
import org.postal.daemon.lists.ListFile;

/**
 * A user list for the load generators: {@code address [password]} per line (doc/POSTAL-0.76.md 4.1).
 *
 * <p>Unlike 0.76, leading blanks and a CR before the line end are dropped (0.76 sent
 * {@code RCPT TO: <user@example.com\r>} for files written on Windows), and a third field (bhm's
 * action) is allowed and ignored. Unlike 0.76 too, the file and its lines are bounded
 * ({@link ListFile}) and so are addresses ({@link Addresses}, RFC 5321's 64 and 256 octets).
 */
public final class UserPool {

    /** One user: an address and, if the line has one, a password. */
    public record User(String address, String password) {
    }

    /**
     * Every user's UTF-8 text back to back: user {@code i} is {@code data[offsets[i],
     * offsets[i+1])}, its address then, if it has one, a tab and its password. A million users
     * take about 24 MB so, where a list of User records took about 90 MB; a User is made when
     * one is drawn.
     */
    private final byte[] data;
    private final int[] offsets;

    private UserPool(byte[] data, int[] offsets) {
        this.data = data;
        this.offsets = offsets;
    }

    /**
     * Reads a list within {@link ListFile}'s bounds; a line that is not {@code address [password
     * [action]]} with an address within RFC 5321's bounds fails with file and line.
     */
    public static UserPool load(Path file) throws IOException {
        Builder users = new Builder();
        ListFile.forEach(file, line -> {
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                return;
            }
            String[] fields = fields(text);
            if (fields.length > 3) {
                throw line.error("expected \"address [password]\", found more than three fields");
            }
            if (fields[0].indexOf('<') >= 0 || fields[0].indexOf('>') >= 0) {
                throw line.error("write the address without angle brackets");
            }
            Optional<String> problem = Addresses.problem(fields[0]);
            if (problem.isPresent()) {
                throw line.error(problem.get());
            }
            users.add(fields[0], fields.length >= 2 ? fields[1] : null);
        });
        if (users.count == 0) {
            throw new IOException(file + ": no users in file");
        }
        return users.build();
    }

    /** The blank-separated fields of a stripped line, at most four (a fourth is an error). */
    private static String[] fields(String text) {
        String[] fields = new String[4];
        int count = 0;
        int i = 0;
        while (i < text.length() && count < fields.length) {
            int start = i;
            while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                i++;
            }
            fields[count++] = text.substring(start, i);
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
        }
        return Arrays.copyOf(fields, count);
    }

    public static UserPool of(List<User> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no users");
        }
        Builder builder = new Builder();
        users.forEach(u -> builder.add(u.address(), u.password()));
        return builder.build();
    }

    /** A user drawn uniformly, as 0.76 draws senders and recipients. */
    public User pick(SplittableRandom random) {
        return get(random.nextInt(size()));
    }

    public int size() {
        return offsets.length - 1;
    }

    public User get(int index) {
        int start = offsets[index];
        int end = offsets[index + 1];
        for (int i = start; i < end; i++) {
            if (data[i] == '\t') {
                return new User(new String(data, start, i - start, UTF_8), new String(data, i + 1, end - i - 1, UTF_8));
            }
        }
        return new User(new String(data, start, end - start, UTF_8), null);
    }

    /** Users appended one by one into growing arrays, trimmed at the end. */
    private static final class Builder {
        private byte[] data = new byte[4096];
        private int[] offsets = new int[256];
        private int length;
        private int count;

        void add(String address, String password) {
            byte[] text = (password == null ? address : address + '\t' + password).getBytes(UTF_8);
            if (length + text.length > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + text.length));
            }
            System.arraycopy(text, 0, data, length, text.length);
            length += text.length;
            if (count + 2 > offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[++count] = length;
        }

        UserPool build() {
            return new UserPool(Arrays.copyOf(data, length), Arrays.copyOf(offsets, count + 1));
        }
    }
}
