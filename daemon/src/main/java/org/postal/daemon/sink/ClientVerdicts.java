// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import org.postal.daemon.smtp.Reply;

/**
 * What bhm's rules say about one session's client, decided when it connects: the per-client
 * limits (anvil) and the DNSBL entry that lists it, if any. Held by the session until it ends.
 */
final class ClientVerdicts {

    private final SinkServices services;
    /** The client counted by the client limits until the session ends, or null. */
    private InetAddress counted;
    /** The DNSBL entry listing this client, or null. */
    private BlockList.Entry listed;

    ClientVerdicts(SinkServices services) {
        this.services = services;
    }

    /**
     * Checks a new client: the reply to close its connection with instead of the greeting (421 4.7.0
     * past a client limit, a DNSBL entry's reply at stage connect), or null when it is greeted.
     */
    Reply atConnect(InetAddress client, String host) {
        SinkRules rules = services.settings().rules();
        ClientLimits.Admission admission = services.anvil().opened(client, rules.clients().connections(),
                rules.clients().perMinute());
        if (admission == ClientLimits.Admission.COUNTED) {
            counted = client;
        } else if (admission != ClientLimits.Admission.UNCOUNTED) {
            boolean many = admission == ClientLimits.Admission.TOO_MANY;
            services.stats().fired(many ? Fired.CLIENT_CONNECTIONS : Fired.CLIENT_RATE);
            return Reply.of(421, "4.7.0 " + host + " Error: too many connections " + (many ? "" : "per minute ")
                    + "from " + client.getHostAddress());
        }
        listed = rules.dnsbl().find(client);
        Reply refusal = listedAt(BlockList.Stage.CONNECT);
        if (refusal != null) {
            // Instead of the greeting (RFC 5321 section 3.1), as postscreen and smtpd send it.
            services.stats().fired(Fired.DNSBL_CONNECT);
        }
        return refusal;
    }

    /** The reply refusing this client at {@code stage} when a DNSBL entry says so, else null. */
    Reply listedAt(BlockList.Stage stage) {
        return listed != null && services.settings().rules().dnsbl().stage(listed) == stage ? listed.reply() : null;
    }

    /** The session has ended: its client no longer counts as connected. */
    void release() {
        if (counted != null) {
            services.anvil().closed(counted);
            counted = null;
        }
    }
}
