// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserPoolTest {

    @TempDir
    Path tmp;

    /** A list of the given lines, each ended by LF. */
    private Path list(String... lines) throws IOException {
        return Files.write(tmp.resolve("users"), java.util.List.of(lines), UTF_8);
    }

    @Test
    void addressesAndOptionalPasswords() throws IOException {
        UserPool pool = UserPool.load(list("# list\r", "  a@x pw\r", "b@x\r", "\r", "c@x pw d"));
        assertThat(pool.size()).isEqualTo(3);
        assertThat(pool.get(0)).isEqualTo(new UserPool.User("a@x", "pw"));
        assertThat(pool.get(1).password()).isNull();
    }

    @Test
    void aDeviceIsRefusedAtOnce() {
        assertThatThrownBy(() -> UserPool.load(Path.of("/dev/zero"))).hasMessageContaining("not a regular file");
    }

    @Test
    void aHugeLineIsRefusedInAShortMessage() throws IOException {
        Path file = list("x".repeat(1 << 20));
        assertThatThrownBy(() -> UserPool.load(file)).hasMessage(file + ":1: line longer than 4096 bytes");
    }

    @Test
    void addressesAreBoundedAsRfc5321Says() throws IOException {
        Path local = list("a@x", "l".repeat(65) + "@example.com");
        assertThatThrownBy(() -> UserPool.load(local)).hasMessageStartingWith(local + ":2: local part of \"lll")
                .hasMessageContaining("longer than 64 octets");
        Path whole = list("a@x", "l@" + "d".repeat(300) + " pw");
        assertThatThrownBy(() -> UserPool.load(whole)).hasMessageStartingWith(whole + ":2: address \"l@ddd")
                .hasMessageContaining("longer than 254 octets").matches(e -> e.getMessage().length() < 300);
    }

    @Test
    void angleBracketsAndFourFieldsAreRefused() throws IOException {
        Path brackets = list("<a@x>");
        assertThatThrownBy(() -> UserPool.load(brackets)).hasMessage(brackets + ":1: write the address without angle brackets");
        Path four = list("a@x b c d");
        assertThatThrownBy(() -> UserPool.load(four)).hasMessageStartingWith(four + ":1: expected");
    }
}
