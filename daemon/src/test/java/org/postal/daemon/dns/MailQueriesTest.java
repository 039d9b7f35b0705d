// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailQueriesTest {

    private static List<String> lines(MtaProfile profile, String clients, int count) {
        MailQueries queries = new MailQueries(new MailQueries.Workload(ClientRange.parse(clients), "c.test",
                List.of("s.test"), List.of("r.test"), List.of("bl.test"), profile, "sel", 1, 1, 1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(queries.next().toString());
        }
        return out;
    }

    @Test
    void aRelayingServerAsksEverythingInTheOrderOfTheDialogue() {
        assertThat(lines(MtaProfile.RELAY, "192.0.2.7/32", 12)).containsExactly(
                "7.2.0.192.bl.test A",                  // postscreen, before the session
                "7.2.0.192.in-addr.arpa PTR",           // smtpd's peer name
                "192-0-2-7.c.test A", "192-0-2-7.c.test AAAA",  // forward confirmation
                "192-0-2-7.c.test A",                   // HELO name
                "s.test TXT",                           // SPF at MAIL FROM
                "r.test MX", "mx.r.test A", "mx.r.test AAAA",   // relaying to the recipient
                "sel._domainkey.s.test TXT", "_dmarc.s.test TXT",  // after the data
                "7.2.0.192.bl.test A");                 // the block of one wraps round
    }

    @Test
    void postfixDefaultsAskOnlyAboutTheClientEachConnectionANewOne() {
        assertThat(lines(MtaProfile.POSTFIX, "198.51.100.254/31", 6)).containsExactly(
                "254.100.51.198.in-addr.arpa PTR", "198-51-100-254.c.test A", "198-51-100-254.c.test AAAA",
                "255.100.51.198.in-addr.arpa PTR", "198-51-100-255.c.test A", "198-51-100-255.c.test AAAA");
    }

    @Test
    void postscreenAddsTheDnsblZones() {
        assertThat(lines(MtaProfile.POSTSCREEN, "10.0.0.1", 4)).containsExactly(
                "1.0.0.10.bl.test A", "1.0.0.10.in-addr.arpa PTR", "10-0-0-1.c.test A", "10-0-0-1.c.test AAAA");
    }

    @Test
    void ipv6ClientsAskNibbleNames() {
        assertThat(lines(MtaProfile.POSTFIX, "2001:db8::1/128", 1)).containsExactly(
                "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR");
    }

    @Test
    void badRangesAndQueriesAreRefused() {
        assertThatThrownBy(() -> ClientRange.parse("192.0.2.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ClientRange.parse("example.com/24")).hasMessageContaining("bad client range");
        assertThatThrownBy(() -> Query.parse("example.com")).hasMessageContaining("name TYPE");
        assertThatThrownBy(() -> Query.parse("exa mple.com A")).hasMessageContaining("name TYPE");
        assertThatThrownBy(() -> Query.parse("example.com NOSUCHTYPE")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Query.parse("Example.COM.\tmx").toString()).isEqualTo("Example.COM MX");
    }
}
