// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A user list for the load generators: {@code address [password]} per line (doc/POSTAL-0.76.md 4.1).
 *
 * <p>Unlike 0.76, leading blanks and a CR before the line end are dropped (0.76 sent
 * {@code RCPT TO: <user@example.com\r>} for files written on Windows), lines may be of any length,
 * and a third field (bhm's action) is allowed and ignored.
 */
public final class UserPool {

    /** One user: an address and, if the line has one, a password. */
    public record User(String address, String password) {
    }

    private final List<User> users;

    private UserPool(List<User> users) {
        this.users = List.copyOf(users);
    }

    /** Reads a list; a line that is not {@code address [password [action]]} fails with file and line. */
    public static UserPool load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text");
        }
        List<User> users = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            if (fields.length > 3) {
                throw new IOException(file + ":" + (i + 1) + ": expected \"address [password]\", found "
                        + fields.length + " fields");
            }
            if (fields[0].indexOf('<') >= 0 || fields[0].indexOf('>') >= 0) {
                throw new IOException(file + ":" + (i + 1) + ": write the address without angle brackets");
            }
            users.add(new User(fields[0], fields.length >= 2 ? fields[1] : null));
        }
        if (users.isEmpty()) {
            throw new IOException(file + ": no users in file");
        }
        return new UserPool(users);
    }

    public static UserPool of(List<User> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no users");
        }
        return new UserPool(users);
    }

    /** A user drawn uniformly, as 0.76 draws senders and recipients. */
    public User pick(SplittableRandom random) {
        return users.get(random.nextInt(users.size()));
    }

    public int size() {
        return users.size();
    }

    public User get(int index) {
        return users.get(index);
    }
}
