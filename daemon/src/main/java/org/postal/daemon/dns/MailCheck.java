// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

/**
 * A lookup a receiving mail server makes, and how often: once per connection, per message or per
 * recipient. {@link MailQueries} turns each into questions.
 */
public enum MailCheck {
    /** The client's name: Postfix's smtpd_peername_lookup (RFC 1912 section 2.1). */
    CLIENT_PTR(Scope.CONNECTION),
    /** Forward confirmation of that name (A and AAAA), as reject_unknown_client_hostname needs. */
    CLIENT_FORWARD(Scope.CONNECTION),
    /** The client address in each DNSBL zone, type A (RFC 5782 section 2.1; postscreen_dnsbl_sites). */
    DNSBL(Scope.CONNECTION),
    /** The HELO name's address (reject_unknown_helo_hostname). */
    HELO(Scope.CONNECTION),
    /** The sender domain's SPF record, a TXT (RFC 7208 section 4.4). */
    SPF(Scope.MESSAGE),
    /** The sender domain's DMARC policy at {@code _dmarc} (RFC 7489 section 6.1). */
    DMARC(Scope.MESSAGE),
    /** The DKIM key at {@code selector._domainkey} (RFC 6376 section 3.6.2.1). */
    DKIM(Scope.MESSAGE),
    /** Relaying: the recipient domain's MX, then the exchanger's A and AAAA (RFC 5321 section 5.1). */
    RELAY_MX(Scope.RECIPIENT);

    /** How often a check is made. */
    public enum Scope { CONNECTION, MESSAGE, RECIPIENT }

    private final Scope scope;

    MailCheck(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
