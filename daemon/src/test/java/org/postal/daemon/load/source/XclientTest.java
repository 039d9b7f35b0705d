// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class XclientTest {

    private static Xclient of(String address, String helo) throws Exception {
        return new Xclient(new InetSocketAddress(InetAddress.getByName(address), 0), helo);
    }

    @Test
    void postfixOffersEverythingAndGetsTheFourAttributes() throws Exception {
        List<String> offered = Xclient.offered(List.of("mx.example ESMTP", "PIPELINING",
                "XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT", "8BITMIME"));
        assertThat(of("10.1.2.3", "postal.example").command(offered, 40001))
                .isEqualTo("XCLIENT ADDR=10.1.2.3 NAME=[UNAVAILABLE] HELO=postal.example PORT=40001");
    }

    @Test
    void onlyTheListedAttributesGoOut() throws Exception {
        List<String> offered = Xclient.offered(List.of("mx", "xclient addr port"));
        assertThat(of("10.1.2.3", "h").command(offered, 7)).isEqualTo("XCLIENT ADDR=10.1.2.3 PORT=7");
    }

    @Test
    void ipv6IsTaggedAndCompressed() throws Exception {
        assertThat(of("2001:db8:0:0:0:0:0:1", "h").command(List.of("ADDR"), 1)).isEqualTo("XCLIENT ADDR=IPV6:2001:db8::1");
    }

    @Test
    void valuesAreXtext() throws Exception {
        assertThat(of("10.0.0.1", "a+b=c d\u00e9").command(List.of("ADDR", "HELO"), 1))
                .isEqualTo("XCLIENT ADDR=10.0.0.1 HELO=a+2Bb+3Dc+20d+C3+A9");
    }

    @Test
    void noXclientLineOrNoAddrMeansNothingToSend() throws Exception {
        assertThat(Xclient.offered(List.of("mx", "PIPELINING", "XCLIENTS ADDR"))).isNull();
        assertThat(of("10.0.0.1", "h").command(null, 1)).isNull();
        assertThat(of("10.0.0.1", "h").command(List.of("NAME", "HELO"), 1)).isNull();
    }

    @Test
    void eachConnectionDrawsTheNextAddressOfThePermutation() {
        SourceAddresses sources = new SourceAddresses(new SourceRanges(SourceRanges.parse("10.9.0.0/30")),
                Permutation.Order.SEQUENTIAL, 1, false, Announce.XCLIENT);
        assertThat(java.util.stream.IntStream.range(0, 4).mapToObj(i -> Xclient.next(sources, "h").address()
                .getAddress().getHostAddress())).containsExactlyInAnyOrder("10.9.0.0", "10.9.0.1", "10.9.0.2", "10.9.0.3");
        assertThat(Xclient.next(new SourceAddresses(sources.ranges(), Permutation.Order.SEQUENTIAL, 1, false,
                Announce.PROXY_V2), "h")).isNull();
        assertThat(Announce.parse("XCLIENT")).isEqualTo(Announce.XCLIENT);
    }
}
