// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.sink.UserList.Action;

class UserListTest {

    @TempDir
    Path tmp;

    private Path file(String content) throws IOException {
        Path file = tmp.resolve("users.txt");
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private UserList load(String content) throws IOException {
        return UserList.load(file(content));
    }

    @Test
    void commentsBlankLinesAndCrLfEndings() throws IOException {
        UserList users = load("# accounts\r\n\r\nalice@example.com secret\r\n   \r\nbob@example.com pw d\r\n#x y z w\r\n");
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.find("alice@example.com")).hasValueSatisfying(a -> {
            assertThat(a.password()).isEqualTo("secret");
            assertThat(a.action()).isEqualTo(Action.ACCEPT);
        });
        assertThat(users.find("bob@example.com").orElseThrow().password()).isEqualTo("pw");
    }

    @Test
    void actionsByTheirFirstLetter() throws IOException {
        UserList users = load("d@x pw d\nr@x pw reject\ng@x pw Greylist\nD@y pw D\na@x pw\n");
        assertThat(users.action("d@x")).isEqualTo(Action.DEFER);
        assertThat(users.action("r@x")).isEqualTo(Action.REJECT);
        assertThat(users.action("g@x")).isEqualTo(Action.GREYLIST);
        assertThat(users.action("d@y")).isEqualTo(Action.DEFER);
        assertThat(users.action("a@x")).isEqualTo(Action.ACCEPT);
        assertThat(users.action("unlisted@x")).isEqualTo(Action.ACCEPT);
    }

    @Test
    void addressesCompareCaseInsensitively() throws IOException {
        UserList users = load("Alice@Example.COM pw r\n");
        assertThat(users.action("alice@example.com")).isEqualTo(Action.REJECT);
        assertThat(users.find("ALICE@EXAMPLE.COM").orElseThrow().address()).isEqualTo("Alice@Example.COM");
    }

    @Test
    void blanksAndTabsSeparateFieldsAndLeadingBlanksAreDropped() throws IOException {
        UserList users = load("  a@x \t  two   g\n");
        UserList.Account account = users.find("a@x").orElseThrow();
        assertThat(account.password()).isEqualTo("two");
        assertThat(account.action()).isEqualTo(Action.GREYLIST);
    }

    @Test
    void addressWithoutPasswordIsListed() throws IOException {
        assertThat(load("solo@x\n").find("solo@x").orElseThrow().password()).isNull();
    }

    @Test
    void anAddressRepeatedAlikeIsListedOnce() throws IOException {
        UserList users = load("a@x pw d\nb@x pw\nA@X pw d\n");
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.action("a@x")).isEqualTo(Action.DEFER);
    }

    @Test
    void anAddressRepeatedWithAnotherActionOrPasswordIsRefusedWithBothLines() throws IOException {
        Path file = file("a@x pw\n# comment\nb@x pw\nA@x pw r\n");
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":4: ").hasMessageContaining("already listed on line 1");
        Path other = file("a@x one\na@x two\n");
        assertThatThrownBy(() -> UserList.load(other)).hasMessageStartingWith(other + ":2: ");
    }

    @Test
    void bounceIsTheActionOf076sB() throws IOException {
        UserList list = UserList.load(file("a@x pw\n# comment\nb@x pw b\nc@x pw Bounce\n"));
        assertThat(list.action("b@x")).isEqualTo(UserList.Action.BOUNCE);
        assertThat(list.action("C@x")).isEqualTo(UserList.Action.BOUNCE);
        assertThat(UserList.parseAction("b")).isEqualTo(UserList.Action.BOUNCE);
    }

    @Test
    void unknownActionIsRefusedWithFileAndLine() throws IOException {
        Path file = file("a@x pw q\n");
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":1: ").hasMessageContaining("unknown action \"q\"");
    }

    @Test
    void fourFieldsAreRefused() throws IOException {
        Path file = file("ok@x pw\r\na@x pw d extra\r\n");
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":2: ");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path file = file("");
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("no users");
    }

    @Test
    void fileOfCommentsIsRefused() throws IOException {
        Path file = file("# nobody\n\n");
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("no users");
    }

    @Test
    void notUtf8IsRefused() throws IOException {
        Path file = tmp.resolve("latin1.txt");
        Files.write(file, new byte[] {'a', (byte) 0xe9, '@', 'x', '\n'});
        assertThatThrownBy(() -> UserList.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> UserList.load(tmp.resolve("absent"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void aDeviceIsRefusedAtOnce() {
        assertThatThrownBy(() -> UserList.load(Path.of("/dev/zero"))).hasMessageContaining("not a regular file");
    }

    @Test
    void anAddressBeyondRfc5321IsRefusedWithAShortExcerpt() throws IOException {
        Path file = file("ok@x pw\n" + "a".repeat(100_000) + "@x pw\n");
        assertThatThrownBy(() -> UserList.load(file)).hasMessageStartingWith(file + ":2: line longer than");
        Path local = file("b".repeat(65) + "@x pw\n");
        assertThatThrownBy(() -> UserList.load(local)).hasMessageStartingWith(local + ":1: local part of")
                .hasMessageContaining("longer than 64 octets");
        assertThatThrownBy(() -> UserList.empty().with("c".repeat(300) + "@x", Action.REJECT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 64 octets");
    }

    @Test
    void emptyListAcceptsEveryone() {
        assertThat(UserList.empty().action("anyone@x")).isEqualTo(Action.ACCEPT);
        assertThat(UserList.empty().find("anyone@x")).isEmpty();
    }
}
