// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The questions a receiving mail server asks, connection by connection, in the order it asks them:
 * postscreen's DNSBL queries before the session, the client's PTR and its forward confirmation
 * and the HELO name at the start, SPF at MAIL FROM, the recipient domain's exchangers when it
 * relays, DKIM and DMARC after the data. Which of these are asked is the {@link MtaProfile}'s choice.
 *
 * <p>A file of questions cannot follow the answers, so two names are guessed as a provider and a
 * mail domain usually write them: the client 192.0.2.7 is called {@code 192-0-2-7.CLIENT-DOMAIN}
 * (its PTR answer, the name confirmed forward and the HELO name), and the exchanger of domain D is
 * {@code mx.D}. The test zones follow the same convention.
 */
public final class MailQueries implements QuerySource {

    /**
     * What the run looks like.
     *
     * @param clients       the client addresses, one per connection in turn
     * @param clientDomain  the domain of the clients' host names
     * @param senders       sender domains, drawn at random per message
     * @param recipients    recipient domains, drawn at random per recipient
     * @param dnsblZones    DNSBL zones asked about every client (the DNSBL check)
     * @param perConnection messages per connection
     * @param perMessage    recipients per message
     */
    public record Workload(ClientRange clients, String clientDomain, List<String> senders, List<String> recipients,
                           List<String> dnsblZones, MtaProfile profile, String dkimSelector, int perConnection,
                           int perMessage, long seed) {
        public Workload {
            Objects.requireNonNull(clients, "clients");
            Objects.requireNonNull(profile, "profile");
            senders = List.copyOf(senders);
            recipients = List.copyOf(recipients);
            dnsblZones = List.copyOf(dnsblZones);
            if (senders.isEmpty() || recipients.isEmpty()) {
                throw new IllegalArgumentException("no sender or recipient domains (is the user list empty?)");
            }
            if (perConnection < 1 || perMessage < 1) {
                throw new IllegalArgumentException("messages per connection and recipients per message must be >= 1");
            }
        }
    }

    private final Workload work;
    private final SplittableRandom random;
    private final ArrayDeque<Query> pending = new ArrayDeque<>();
    private long connection;

    public MailQueries(Workload work) {
        this.work = work;
        this.random = new SplittableRandom(work.seed());
    }

    @Override
    public synchronized Query next() {
        while (pending.isEmpty()) {
            connection(work.clients().address(connection++));
        }
        return pending.poll();
    }

    private void connection(InetAddress client) {
        String reversed = ClientRange.reversed(client);
        String host = ClientRange.hostName(client, work.clientDomain());
        if (work.profile().has(MailCheck.DNSBL)) {
            work.dnsblZones().forEach(zone -> ask(reversed + "." + zone, DnsRecordType.A));
        }
        if (work.profile().has(MailCheck.CLIENT_PTR)) {
            ask(ClientRange.ptrName(client), DnsRecordType.PTR);
        }
        if (work.profile().has(MailCheck.CLIENT_FORWARD)) {
            ask(host, DnsRecordType.A);
            ask(host, DnsRecordType.AAAA);
        }
        if (work.profile().has(MailCheck.HELO)) {
            ask(host, DnsRecordType.A);
        }
        for (int m = 0; m < work.perConnection(); m++) {
            message(pick(work.senders()));
        }
    }

    private void message(String sender) {
        if (work.profile().has(MailCheck.SPF)) {
            ask(sender, DnsRecordType.TXT);
        }
        for (int r = 0; r < work.perMessage(); r++) {
            String domain = pick(work.recipients());
            if (work.profile().has(MailCheck.RELAY_MX)) {
                ask(domain, DnsRecordType.MX);
                ask("mx." + domain, DnsRecordType.A);
                ask("mx." + domain, DnsRecordType.AAAA);
            }
        }
        if (work.profile().has(MailCheck.DKIM)) {
            ask(work.dkimSelector() + "._domainkey." + sender, DnsRecordType.TXT);
        }
        if (work.profile().has(MailCheck.DMARC)) {
            ask("_dmarc." + sender, DnsRecordType.TXT);
        }
    }

    private String pick(List<String> domains) {
        return domains.size() == 1 ? domains.get(0) : domains.get(random.nextInt(domains.size()));
    }

    private void ask(String name, DnsRecordType type) {
        pending.add(new Query(name, type));
    }
}
