// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private final List<User> users;

    private UserPool(List<User> users) {
        this.users = List.copyOf(users);
    }

    /**
     * Reads a list within {@link ListFile}'s bounds; a line that is not {@code address [password
     * [action]]} with an address within RFC 5321's bounds fails with file and line.
     */
    public static UserPool load(Path file) throws IOException {
        List<User> users = new ArrayList<>();
        for (ListFile.Line line : ListFile.read(file)) {
            String text = line.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("[ \t]+");
            if (fields.length > 3) {
                throw line.error("expected \"address [password]\", found " + fields.length + " fields");
            }
            if (fields[0].indexOf('<') >= 0 || fields[0].indexOf('>') >= 0) {
                throw line.error("write the address without angle brackets");
            }
            Optional<String> problem = Addresses.problem(fields[0]);
            if (problem.isPresent()) {
                throw line.error(problem.get());
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
