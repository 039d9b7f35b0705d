// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounces end to end: a bhm with user-list action b or --bounce-percent hands RFC 3464 reports to a
 * second bhm as relay, counting each step; a relay that is down or refusing makes it retry.
 */
class BouncerIT {

    @TempDir
    Path dir;

    private RunningSink relay;
    private RunningSink bhm;

    @AfterEach
    void stop() {
        if (bhm != null) {
            bhm.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private String users() throws Exception {
        return Files.write(dir.resolve("users"), List.of("owner@list.example pw", "gone@example.com pw b",
                "left@example.com pw b")).toString();
    }

    /** One message from {@code sender} to {@code recipients} over a fresh session; the final reply. */
    private String send(String sender, String... recipients) throws Exception {
        try (LineClient client = new LineClient(bhm.address())) {
            client.reply();
            client.command("EHLO test");
            client.command("MAIL FROM:<" + sender + ">");
            for (String recipient : recipients) {
                assertThat(client.command("RCPT TO:<" + recipient + ">")).startsWith("250");
            }
            client.command("DATA");
            client.send("Subject: test\r\n\r\nbody\r\n.");
            String reply = client.reply();
            client.command("QUIT");
            return reply;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private long fired(Fired rule) {
        return bhm.stats().fired(rule);
    }

    @Test
    void actionBBouncesEachMessageOnceToItsSender() throws Exception {
        relay = new RunningSink("--log-all", "--log-dir", dir.toString());
        bhm = new RunningSink("--bounce-relay", "127.0.0.1:" + relay.address().getPort(), users());
        assertThat(send("poster@example.org", "gone@example.com", "left@example.com", "stay@example.com"))
                .startsWith("250");
        assertThat(send("poster@example.org", "stay@example.com")).startsWith("250");
        assertThat(send("", "gone@example.com")).startsWith("250");
        await("one bounce sent", () -> fired(Fired.BOUNCES_SENT) == 1);
        assertThat(bhm.stats().messages()).isEqualTo(3);
        assertThat(fired(Fired.BOUNCES_QUEUED)).isEqualTo(1);
        assertThat(fired(Fired.BOUNCES_RETRIED)).isZero();
        assertThat(fired(Fired.BOUNCES_DROPPED)).isZero();
        await("the relay has it", () -> relay.stats().messages() == 1);
        String report = Files.readString(dir.resolve("bhm.log"));
        assertThat(report).contains("Content-Type: multipart/report; report-type=delivery-status;")
                .contains("Final-Recipient: rfc822; gone@example.com").contains("Final-Recipient: rfc822; left@example.com")
                .doesNotContain("stay@example.com").contains("To: <poster@example.org>");
    }

    @Test
    void aPercentageBouncesEveryMessageAtOneHundred() throws Exception {
        relay = new RunningSink();
        bhm = new RunningSink("--bounce-relay", "127.0.0.1:" + relay.address().getPort(), "--bounce-percent", "100");
        for (int i = 0; i < 5; i++) {
            send("poster@example.org", "someone@example.com");
        }
        await("five bounces sent", () -> fired(Fired.BOUNCES_SENT) == 5);
        assertThat(relay.stats().messages()).isEqualTo(5);
        bhm.sink().services().settings().set("bounce-percent", "0");
        send("poster@example.org", "someone@example.com");
        assertThat(fired(Fired.BOUNCES_QUEUED)).isEqualTo(5);
    }

    @Test
    void aRelayThatIsDownIsRetriedThenTheBounceIsDropped() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        bhm = new RunningSink("--bounce-relay", "127.0.0.1:" + closed, "--bounce-retry", "50ms",
                "--bounce-attempts", "3", users());
        send("poster@example.org", "gone@example.com");
        await("dropped after three attempts", () -> fired(Fired.BOUNCES_DROPPED) == 1);
        assertThat(fired(Fired.BOUNCES_QUEUED)).isEqualTo(1);
        assertThat(fired(Fired.BOUNCES_RETRIED)).isEqualTo(2);
        assertThat(fired(Fired.BOUNCES_SENT)).isZero();
    }

    @Test
    void aDeferringRelayIsRetriedUntilItAccepts() throws Exception {
        relay = new RunningSink("--fault", "mail=451");
        bhm = new RunningSink("--bounce-relay", "127.0.0.1:" + relay.address().getPort(), "--bounce-retry", "50ms",
                "--bounce-attempts", "100", users());
        send("poster@example.org", "gone@example.com");
        await("retried twice", () -> fired(Fired.BOUNCES_RETRIED) >= 2);
        relay.sink().services().settings().set("fault.mail", "off");
        await("sent once the relay accepts", () -> fired(Fired.BOUNCES_SENT) == 1);
        assertThat(relay.stats().messages()).isEqualTo(1);
        assertThat(fired(Fired.BOUNCES_DROPPED)).isZero();
    }

    @Test
    void aRefusingRelayDropsAtOnceAndWithoutARelayBouncesAreDropped() throws Exception {
        relay = new RunningSink("--fault", "rcpt=550");
        bhm = new RunningSink("--bounce-relay", "127.0.0.1:" + relay.address().getPort(), users());
        send("poster@example.org", "gone@example.com");
        await("dropped", () -> fired(Fired.BOUNCES_DROPPED) == 1);
        assertThat(fired(Fired.BOUNCES_RETRIED)).isZero();
        bhm.close();
        bhm = new RunningSink(users());
        send("poster@example.org", "gone@example.com");
        assertThat(fired(Fired.BOUNCES_DROPPED)).isEqualTo(1);
        assertThat(fired(Fired.BOUNCES_QUEUED)).isZero();
    }
}
