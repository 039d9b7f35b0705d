// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DNSBL list file: networks of both families, stages, replies, and errors with file and line. */
class BlockListTest {

    @TempDir
    Path dir;

    private BlockList load(String text) throws IOException {
        return BlockList.load(Files.writeString(dir.resolve("dnsbl"), text), BlockList.Stage.RCPT);
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    @Test
    void networksStagesAndReplies() throws IOException {
        BlockList list = load("# comment\n192.0.2.0/25 connect 421 4.7.0 come back later\n"
                + "2001:db8::/32 data\n198.51.100.7\n\n10.0.0.0/7 550 5.7.1 listed here\n");
        assertThat(list.find(ip("192.0.2.127")).reply().wire()).isEqualTo("421 4.7.0 come back later\r\n");
        assertThat(list.stage(list.find(ip("192.0.2.1")))).isEqualTo(BlockList.Stage.CONNECT);
        assertThat(list.find(ip("192.0.2.128"))).isNull();
        assertThat(list.stage(list.find(ip("2001:db8:ffff::1")))).isEqualTo(BlockList.Stage.DATA);
        assertThat(list.find(ip("2001:db9::1"))).isNull();
        BlockList.Entry single = list.find(ip("198.51.100.7"));
        assertThat(list.stage(single)).isEqualTo(BlockList.Stage.RCPT);
        assertThat(single.reply().code()).isEqualTo(554);
        assertThat(list.find(ip("198.51.100.8"))).isNull();
        assertThat(list.find(ip("11.255.255.255")).reply().code()).isEqualTo(550);
        assertThat(list.find(ip("12.0.0.0"))).isNull();
        assertThat(new BlockList(list.file(), BlockList.Stage.DATA, list.entries()).stage(single))
                .isEqualTo(BlockList.Stage.DATA);
    }

    @Test
    void badLinesAreNamed() {
        assertThatThrownBy(() -> load("192.0.2.0/24\nmail.example.com rcpt\n"))
                .hasMessageStartingWith(dir.resolve("dnsbl") + ":2: ").hasMessageContaining("not an IPv4 or IPv6");
        assertThatThrownBy(() -> load("192.0.2.0/33\n")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> load("192.0.2.1 rcpt 250 fine\n")).hasMessageContaining("400..599");
    }
}
