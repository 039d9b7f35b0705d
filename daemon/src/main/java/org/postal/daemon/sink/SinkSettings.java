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

    private volatile SinkRules rules;
    private volatile UserList users;
    private volatile Path usersFile;
    private final TranscriptSwitch transcripts;

    SinkSettings(SinkRules rules, UserList users, Path usersFile, TranscriptSwitch transcripts) {
        this.rules = rules;
        this.users = users;
        this.usersFile = usersFile;
        this.transcripts = transcripts;
    }

    FaultPlan faults() {
        return rules.faults();
    }

    SinkRules rules() {
        return rules;
    }

    /** Replaces every rule at once: a reload of bhm.conf. */
    synchronized void rules(SinkRules next) {
        rules = next;
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
        if (SinkRules.names(key)) {
            rules = rules.with(key, value);
            return rules.describe(key);
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
                + "\" (use fault.VERB=RULE, fault=off, bounce-percent=P, greet-delay=DURATION, greet-teaser=yes|no, pregreet=reject|count, dnsbl=FILE|none, dnsbl-stage=STAGE, client-connections=N, client-rate=N, greylist-delay|window|expiry|keying=..., users=FILE or action.ADDRESS=a|d|r|g|b)");
    }
}
