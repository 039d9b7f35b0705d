// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

/**
 * What bhm's rules did, one counter each: how often an injected fault or an anti-spam rule fired.
 * The order is the order of the columns in the CSV rows and of the keys in JSON and {@code stats}.
 */
enum Fired {
    /** A fault rule (fault.VERB) hit a command. */
    FAULTS("faults"),
    /** Bounces (DSNs) queued for the relay. */
    BOUNCES_QUEUED("bounces queued"),
    /** Bounces the relay accepted. */
    BOUNCES_SENT("bounces sent"),
    /** Attempts to hand a bounce to the relay that failed and were tried again later. */
    BOUNCES_RETRIED("bounces retried"),
    /** Bounces given up: the queue was full or every retry failed. */
    BOUNCES_DROPPED("bounces dropped"),
    /** Clients that sent before the greeting was complete (the pregreet trap). */
    PREGREET("pregreet"),
    /** Listed clients (--dnsbl) refused at connect. */
    DNSBL_CONNECT("dnsbl connect"),
    /** Recipients refused because their client is listed (stage rcpt). */
    DNSBL_RCPT("dnsbl rcpt"),
    /** Messages refused after DATA because their client is listed (stage data). */
    DNSBL_DATA("dnsbl data"),
    /** Connections refused because their client had client-connections sessions open. */
    CLIENT_CONNECTIONS("client connections"),
    /** Connections refused because their client opened client-rate connections in the minute. */
    CLIENT_RATE("client rate"),
    /** Greylisted first attempts (a key not seen, or seen too long ago): 450. */
    GREYLIST_FIRST("greylist first"),
    /** Greylisted retries before the delay had passed: 450. */
    GREYLIST_EARLY("greylist early"),
    /** Greylisted recipients that passed: a retry in the window, or a key that passed before. */
    GREYLIST_PASSED("greylist passed"),
    /** Times the read rate or read pause stopped reading a socket for a while. */
    READS_SLOWED("reads slowed"),
    /** Stalls: sessions or messages the server went silent in (stall). */
    STALLS("stalls"),
    /** Replies held back by a drawn reply delay (reply-delay). */
    REPLY_DELAYS("reply delays"),
    /** Replies held back by the tarpit past its soft limit. */
    TARPIT_DELAYS("tarpit delays"),
    /** Sessions closed at the tarpit's hard limit. */
    TARPIT_DISCONNECTS("tarpit disconnects"),
    /** MAIL commands refused past a client's message-rate. */
    MESSAGE_RATE("message rate"),
    /** RCPT commands refused past a client's recipient-rate. */
    RECIPIENT_RATE("recipient rate"),
    /** RCPT commands refused past the recipients a message may have (452 4.5.3). */
    TOO_MANY_RECIPIENTS("too many recipients");

    private final String column;

    Fired(String column) {
        this.column = column;
    }

    /** The CSV column's name. */
    String column() {
        return column;
    }

    /** The JSON key: the column's name with underscores. */
    String key() {
        return column.replace(' ', '_');
    }
}
