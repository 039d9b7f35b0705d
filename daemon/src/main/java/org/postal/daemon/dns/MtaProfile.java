// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The checks a kind of receiving mail server makes (--profile). */
public enum MtaProfile {
    /** Postfix as installed: the client's name and its forward confirmation, nothing per message. */
    POSTFIX(EnumSet.of(MailCheck.CLIENT_PTR, MailCheck.CLIENT_FORWARD)),
    /** Postfix with postscreen_dnsbl_sites: also every DNSBL zone per connection. */
    POSTSCREEN(EnumSet.of(MailCheck.CLIENT_PTR, MailCheck.CLIENT_FORWARD, MailCheck.DNSBL)),
    /** A fully checking server: the above, the HELO name, and SPF, DMARC and DKIM per message. */
    FULL(EnumSet.of(MailCheck.CLIENT_PTR, MailCheck.CLIENT_FORWARD, MailCheck.DNSBL, MailCheck.HELO,
            MailCheck.SPF, MailCheck.DMARC, MailCheck.DKIM)),
    /** A fully checking server that also relays: MX, A and AAAA per recipient domain. */
    RELAY(EnumSet.of(MailCheck.CLIENT_PTR, MailCheck.CLIENT_FORWARD, MailCheck.DNSBL, MailCheck.HELO,
            MailCheck.SPF, MailCheck.DMARC, MailCheck.DKIM, MailCheck.RELAY_MX));

    private final Set<MailCheck> checks;

    MtaProfile(Set<MailCheck> checks) {
        this.checks = checks;
    }

    public boolean has(MailCheck check) {
        return checks.contains(check);
    }

    /** The profile named {@code text} (postfix, postscreen, full, relay). */
    public static MtaProfile parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --profile \"" + text + "\": use postfix, postscreen, full or relay");
        }
    }
}
