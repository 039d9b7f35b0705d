// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceRangesTest {

    @TempDir
    Path dir;

    private static SourceRanges ranges(String list) {
        return new SourceRanges(SourceRanges.parse(list));
    }

    @Test
    void cidrBlocksRangesAndPlainAddressesAddUp() {
        SourceRanges r = ranges("127.0.0.0/8, 10.1.2.3-10.1.3.2,[127.0.0.1]2526,::1");
        assertThat(r.size()).isEqualTo((1L << 24) + 256 + 1 + 1);
        assertThat(r.address(0)).isEqualTo(socket("127.0.0.0", 0));
        assertThat(r.address((1L << 24) - 1)).isEqualTo(socket("127.255.255.255", 0));
        assertThat(r.address(1L << 24)).isEqualTo(socket("10.1.2.3", 0));
        assertThat(r.address((1L << 24) + 253)).isEqualTo(socket("10.1.3.0", 0));
        assertThat(r.address((1L << 24) + 255)).isEqualTo(socket("10.1.3.2", 0));
        assertThat(r.address((1L << 24) + 256)).isEqualTo(socket("127.0.0.1", 2526));
        assertThat(r.address((1L << 24) + 257)).isEqualTo(socket("::1", 0));
    }

    @Test
    void aCidrBlockStartsAtItsNetworkAddress() {
        assertThat(ranges("192.0.2.77/24").ranges()).containsExactly(
                new AddressRange(address("192.0.2.0"), 256, 0));
    }

    @Test
    void anIpv6Slash120CarriesAcrossBytes() {
        SourceRanges r = ranges("2001:db8::ff:ff00/120");
        assertThat(r.size()).isEqualTo(256);
        assertThat(r.address(255).getAddress()).isEqualTo(address("2001:db8::ff:ffff"));
        SourceRanges carry = ranges("2001:db8::ffff:ffff-2001:db8::1:0:1");
        assertThat(carry.size()).isEqualTo(3);
        assertThat(carry.address(1).getAddress()).isEqualTo(address("2001:db8::1:0:0"));
    }

    @Test
    void everyAddressOfAnIpv6Slash120ComesOncePerCycle() {
        SourceAddresses s = new SourceAddresses(ranges("2001:db8::/120"), Permutation.Order.RANDOM, 5, false,
                Announce.NONE);
        Set<InetSocketAddress> seen = new HashSet<>();
        InetSocketAddress server = socket("::1", 25);
        for (int i = 0; i < 256; i++) {
            assertThat(seen.add(s.bind(server))).isTrue();
        }
        assertThat(seen).hasSize(256).allMatch(a -> a.getAddress().getHostAddress().startsWith("2001:db8:0:0:0:0:0:"));
    }

    @Test
    void rangesSpanningSeveralBlocksAreCoveredOnceEach() {
        SourceAddresses s = new SourceAddresses(ranges("127.1.0.0/30,127.2.0.9-127.2.1.2,127.3.3.3"),
                Permutation.Order.SEQUENTIAL, 0, false, Announce.NONE);
        Set<InetSocketAddress> seen = new HashSet<>();
        for (int i = 0; i < 4 + 250 + 1; i++) {
            assertThat(seen.add(s.bind(socket("127.0.0.1", 25)))).isTrue();
        }
        assertThat(seen).contains(socket("127.1.0.3", 0), socket("127.2.0.255", 0), socket("127.2.1.2", 0),
                socket("127.3.3.3", 0));
    }

    @Test
    void eachFamilyIsDrawnForAServerOfThatFamilyAndAnnouncingBindsNothing() {
        SourceRanges both = ranges("127.0.0.2,::2");
        SourceAddresses bound = new SourceAddresses(both, Permutation.Order.RANDOM, 1, false, Announce.NONE);
        assertThat(bound.bind(socket("::1", 25))).isEqualTo(socket("::2", 0));
        assertThat(bound.bind(socket("127.0.0.1", 25))).isEqualTo(socket("127.0.0.2", 0));
        SourceAddresses announced = new SourceAddresses(both, Permutation.Order.RANDOM, 1, false, Announce.PROXY_V2);
        assertThat(announced.bind(socket("127.0.0.1", 25))).isNull();
        assertThat(Set.of(announced.announced(), announced.announced()))
                .containsExactlyInAnyOrder(socket("127.0.0.2", 0), socket("::2", 0));
    }

    @Test
    void aFileHoldsEntriesAndCommentsAndErrorsNameTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("sources"), "# lab\n127.0.0.0/16  # loopback\n\n10.0.0.1,10.0.0.2\n");
        assertThat(new SourceRanges(SourceRanges.read(file)).size()).isEqualTo(65538);
        Path bad = Files.writeString(dir.resolve("bad"), "127.0.0.1\n10.0.0.0/33\n");
        assertThatThrownBy(() -> SourceRanges.read(bad)).hasMessageContaining(bad + ":2: bad prefix length");
    }

    @Test
    void badRangesAreRefusedWithTheirText() {
        assertThatThrownBy(() -> ranges("10.0.0.9-10.0.0.1")).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> ranges("10.0.0.1-::1")).hasMessageContaining("mixes IPv4 and IPv6");
        assertThatThrownBy(() -> ranges("2001:db8::/64")).hasMessageContaining("at least /66");
        assertThatThrownBy(() -> ranges("10.0.0.0/x")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> ranges("127.0.0.1,,")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> new SourceRanges(List.of(new AddressRange(address("2001:db8::"), 1L << 62, 0),
                new AddressRange(address("10.0.0.0"), 1, 0)))).hasMessageContaining("more than 2^62");
        assertThatThrownBy(() -> new AddressRange(address("255.255.255.0"), 257, 0))
                .hasMessageContaining("past the end");
    }

    @Test
    void aHostNameWithADashIsAnAddressNotARange() {
        assertThat(ranges("localhost").size()).isEqualTo(1);
        assertThatThrownBy(() -> ranges("no-such-host.invalid")).hasMessageContaining("cannot resolve");
    }

    @Test
    void printsWhatItParses() {
        String text = "127.0.0.0-127.255.255.255,10.0.0.1,[127.0.0.1]:2526,2001:db8::-2001:db8::ff";
        assertThat(ranges(text).toString()).isEqualTo(text);
        assertThat(ranges(ranges(text).toString()).ranges()).isEqualTo(ranges(text).ranges());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InetSocketAddress socket(String literal, int port) {
        return new InetSocketAddress(address(literal), port);
    }
}
