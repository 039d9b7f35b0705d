// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.postal.daemon.lists.Addresses;
import org.postal.daemon.lists.ListFile;

/**
 * bhm's user list: {@code address password [action]} per line (doc/POSTAL-0.76.md section 4.3).
 *
 * <p>Fields are separated by blanks (spaces or tabs); a CR before the line end is dropped, so
 * files written on other systems work; empty lines and lines starting with {@code #} are skipped.
 * The action is the first letter of the third field: {@code d} defer, {@code r} reject,
 * {@code g} greylist, {@code b} bounce (accept, then send a delivery status notification to the
 * sender through {@code --bounce-relay}).
 * Addresses compare case-insensitively; one listed twice must say the same both times.
 */
final class UserList {

    /** What RCPT TO answers for one address. */
    enum Action { ACCEPT, DEFER, REJECT, GREYLIST, BOUNCE }

    /** One line of the list. */
    record Account(String address, String password, Action action) {
    }

    private final Map<String, Account> accounts;

    private UserList(Map<String, Account> accounts) {
        this.accounts = accounts;
    }

    /** An empty list: every recipient is accepted and no password matches. */
    static UserList empty() {
        return new UserList(Map.of());
    }

    /**
     * Reads and checks the whole file within {@link ListFile}'s bounds; any bad line fails the load
     * with file, line and reason.
     */
    static UserList load(Path file) throws IOException {
        Map<String, Account> accounts = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (ListFile.Line line : ListFile.read(file)) {
            String text = line.text();
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.strip().split("[ \t]+");
            if (fields.length > 3) {
                throw line.error("expected \"address password [action]\", found " + fields.length + " fields");
            }
            Optional<String> problem = Addresses.problem(fields[0]);
            if (problem.isPresent()) {
                throw line.error(problem.get());
            }
            Action action = fields.length == 3 ? action(fields[2], line) : Action.ACCEPT;
            String password = fields.length >= 2 ? fields[1] : null;
            Account account = new Account(fields[0], password, action);
            Account earlier = accounts.putIfAbsent(key(fields[0]), account);
            if (earlier != null && !(Objects.equals(earlier.password(), password) && earlier.action() == action)) {
                // The same address twice is harmless; twice with another password or action is a
                // mistake that would otherwise be settled silently by whichever line came last.
                throw line.error(fields[0] + " is already listed on line " + lineOf.get(key(fields[0]))
                        + " with another password or action");
            }
            lineOf.putIfAbsent(key(fields[0]), line.number());
        }
        if (accounts.isEmpty()) {
            throw new IOException(file + ": no users in file");
        }
        return new UserList(Map.copyOf(accounts));
    }

    private static Action action(String field, ListFile.Line line) throws IOException {
        return switch (Character.toLowerCase(field.charAt(0))) {
            case 'd' -> Action.DEFER;
            case 'r' -> Action.REJECT;
            case 'g' -> Action.GREYLIST;
            case 'b' -> Action.BOUNCE;
            default -> throw line.error("unknown action \"" + ListFile.quote(field)
                    + "\"; use d (defer), r (reject), g (greylist) or b (bounce)");
        };
    }

    /**
     * The action a run-time {@code set action.ADDRESS=X} names: a (accept), d (defer), r (reject),
     * g (greylist) or b (bounce), or the whole word.
     */
    static Action parseAction(String text) {
        String word = text.trim().toLowerCase(Locale.ROOT);
        for (Action action : Action.values()) {
            String name = action.name().toLowerCase(Locale.ROOT);
            if (word.equals(name) || word.equals(name.substring(0, 1))) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action \"" + ListFile.quote(text)
                + "\"; use a (accept), d (defer, 450), r (reject, 550), g (greylist) or b (bounce)");
    }

    /** This list with one address's action changed; an address not listed is added without a password. */
    UserList with(String address, Action action) {
        Addresses.problem(address).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        Map<String, Account> copy = new HashMap<>(accounts);
        Account old = copy.get(key(address));
        copy.put(key(address), new Account(old == null ? address : old.address(),
                old == null ? null : old.password(), action));
        return new UserList(Map.copyOf(copy));
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** The account for an address, compared case-insensitively. */
    Optional<Account> find(String address) {
        return Optional.ofNullable(accounts.get(key(address)));
    }

    /** The action for a recipient: its account's, or ACCEPT for addresses not listed. */
    Action action(String address) {
        Account account = accounts.get(key(address));
        return account == null ? Action.ACCEPT : account.action();
    }

    int size() {
        return accounts.size();
    }
}
