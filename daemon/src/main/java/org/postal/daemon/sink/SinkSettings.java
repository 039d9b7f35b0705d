// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.postal.daemon.report.TranscriptSwitch;

/**
 * What bhm lets an administrator change while it runs: fault rules, the user list and transcripts.
 * Each is an immutable value swapped whole, so a session sees either the old or the new one.
 */
final class SinkSettings {

    private volatile FaultPlan faults = FaultPlan.NONE;
    private volatile UserList users;
    private volatile Path usersFile;
    private final TranscriptSwitch transcripts;

    SinkSettings(UserList users, Path usersFile, TranscriptSwitch transcripts) {
        this.users = users;
        this.usersFile = usersFile;
        this.transcripts = transcripts;
    }

    FaultPlan faults() {
        return faults;
    }

    UserList users() {
        return users;
    }

    Path usersFile() {
        return usersFile;
    }

    TranscriptSwitch transcripts() {
        return transcripts;
    }

    /**
     * Applies one {@code set KEY=VALUE}; returns what changed, or throws IllegalArgumentException
     * (bad key or value) or IOException (unreadable user list) having changed nothing.
     */
    synchronized String set(String key, String value) throws IOException {
        if (key.equals("fault") || key.startsWith("fault.")) {
            faults = faults.with(key, value);
            return key.equals("fault") ? "all fault rules removed"
                    : key + " = " + faults.describe().getOrDefault(
                            key.substring("fault.".length()).toLowerCase(Locale.ROOT), "off");
        }
        if (key.equals("users")) {
            Path file = Path.of(value);
            UserList loaded;
            try {
                loaded = UserList.load(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException("cannot open \"" + file + "\": no such file");
            }
            users = loaded;
            usersFile = file;
            return "user list " + file + " loaded: " + loaded.size() + " users";
        }
        if (key.startsWith("action.")) {
            String address = key.substring("action.".length());
            UserList.Action action = UserList.parseAction(value);
            users = users.with(address, action);
            return "recipient " + address + ": " + action.name().toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("bhm has no run-time setting \"" + key
                + "\" (use fault.VERB=RULE, fault=off, users=FILE or action.ADDRESS=a|d|r|g)");
    }
}
