// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capabilities a server announced (RFC 3501 section 7.2.1), in upper case.
 *
 * <pre>
 * capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)   ; RFC 3501 section 9
 * capability      = ("AUTH=" auth-type) / atom
 * resp-text-code  = ... / capability-data / ...        ; "[CAPABILITY ...]" in a greeting or OK
 * </pre>
 */
public record ImapCapabilities(Set<String> names) {

    public ImapCapabilities {
        names = names.stream().map(name -> name.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Parses a space-separated capability list such as {@code IMAP4rev1 STARTTLS AUTH=PLAIN}. */
    public static ImapCapabilities parse(String list) {
        return new ImapCapabilities(Arrays.stream(list.trim().split(" +")).filter(name -> !name.isEmpty())
                .collect(Collectors.toSet()));
    }

    /**
     * The capabilities a response carries: {@code * CAPABILITY ...}, or a {@code [CAPABILITY ...]}
     * response code in an untagged OK or PREAUTH greeting or in a tagged OK; empty for any other.
     */
    public static Optional<ImapCapabilities> of(Object response) {
        String code = null;
        if (response instanceof Untagged untagged) {
            if (untagged.keyword().equals("CAPABILITY")) {
                return Optional.of(parse(untagged.rest()));
            }
            if (untagged.keyword().equals("OK") || untagged.keyword().equals("PREAUTH")) {
                code = untagged.code();
            }
        } else if (response instanceof Tagged tagged && tagged.status() == Status.OK) {
            code = tagged.code();
        }
        if (code == null || !code.toUpperCase(Locale.ROOT).startsWith("CAPABILITY ")) {
            return Optional.empty();
        }
        return Optional.of(parse(code.substring("CAPABILITY ".length())));
    }

    /** Whether the server announced {@code name} (case-insensitive). */
    public boolean has(String name) {
        return names.contains(name.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code AUTH=mechanism} was announced, e.g. {@code auth("PLAIN")}. */
    public boolean auth(String mechanism) {
        return has("AUTH=" + mechanism);
    }

    public boolean imap4rev1() {
        return has("IMAP4rev1");
    }

    public boolean starttls() {
        return has("STARTTLS");
    }

    /** LOGINDISABLED: LOGIN is refused, typically until STARTTLS (RFC 3501 section 6.2.3). */
    public boolean loginDisabled() {
        return has("LOGINDISABLED");
    }

    /** LITERAL+ (RFC 7888): the client may send {@code {n+}} literals without waiting for "+". */
    public boolean literalPlus() {
        return has("LITERAL+");
    }

    public boolean uidplus() {
        return has("UIDPLUS");
    }
}
