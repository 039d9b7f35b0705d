// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {

    @TempDir
    Path dir;

    @Test
    void sendsEachStateAsOneDatagram() throws Exception {
        try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString());
             SdNotify notify = SdNotify.to(systemd.path())) {
            notify.ready("listening on 127.0.0.1:25");
            notify.status("3 messages\nsecond line");
            notify.watchdog();
            notify.reloading();
            notify.stopping();
            assertThat(systemd.await(s -> s.startsWith("READY"), 2000))
                    .isEqualTo("READY=1\nSTATUS=listening on 127.0.0.1:25");
            assertThat(systemd.await(s -> s.startsWith("STATUS"), 2000)).isEqualTo("STATUS=3 messages second line");
            assertThat(systemd.await(s -> s.equals("WATCHDOG=1"), 2000)).isNotNull();
            assertThat(systemd.await(s -> s.startsWith("RELOADING"), 2000)).matches("RELOADING=1\nMONOTONIC_USEC=\\d+");
            assertThat(systemd.await(s -> s.equals("STOPPING=1"), 2000)).isNotNull();
        }
    }

    @Test
    void abstractNamespaceAddress() throws Exception {
        String name = "@postal-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyListener systemd = new NotifyListener(name); SdNotify notify = SdNotify.to(name)) {
            notify.ready(null);
            assertThat(systemd.await(s -> true, 2000)).isEqualTo("READY=1");
        }
    }

    @Test
    void unsetSocketSendsNothingAndAMissingOneNeverThrows() {
        assertThat(SdNotify.fromEnvironment(Map.of())).isSameAs(SdNotify.NONE);
        assertThat(SdNotify.NONE.send("READY=1")).isFalse();
        try (SdNotify gone = SdNotify.to(dir.resolve("nobody-listens").toString())) {
            assertThat(gone.enabled()).isTrue();
            assertThat(gone.send("READY=1")).isFalse();
            gone.stopping();
        }
    }

    @Test
    void watchdogPeriodIsHalfTheTimeoutAndOnlyForThisPid() {
        assertThat(Watchdog.period(Map.of(), 42)).isNull();
        assertThat(Watchdog.period(Map.of("WATCHDOG_USEC", "30000000"), 42)).isEqualTo(Duration.ofSeconds(15));
        assertThat(Watchdog.period(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(Watchdog.period(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "43"), 42)).isNull();
        assertThat(Watchdog.period(Map.of("WATCHDOG_USEC", "x"), 42)).isNull();
        assertThat(Watchdog.period(Map.of("WATCHDOG_USEC", "0"), 42)).isNull();
    }

    @Test
    void watchdogPingsOnlyWhileEveryLoopTurnsOver() throws Exception {
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
        try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString());
             SdNotify notify = SdNotify.to(systemd.path());
             Watchdog watchdog = Watchdog.start(loops, Duration.ofMillis(50), notify)) {
            systemd.await(s -> s.equals("WATCHDOG=1"), 2000);
            // Wedge one loop: the pings stop.
            var wedged = new java.util.concurrent.CountDownLatch(1);
            var second = loops.next();
            second = loops.next() == second ? loops.next() : second;
            second.execute(() -> {
                try {
                    wedged.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(200);
            int before = systemd.received().size();
            drain(systemd, 400);
            int during = systemd.received().size() - before;
            assertThat(during).isLessThanOrEqualTo(1);  // at most a round already under way
            wedged.countDown();
            systemd.await(s -> s.equals("WATCHDOG=1"), 2000);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void drain(NotifyListener systemd, long millis) throws Exception {
        try {
            systemd.await(s -> false, millis);
        } catch (AssertionError expected) {
            // read everything that came in
        }
    }

    @Test
    void listenFdsOnlyForThisPid() {
        assertThat(ListenFds.fromEnvironment(Map.of(), 7)).isEmpty();
        assertThat(ListenFds.fromEnvironment(Map.of("LISTEN_PID", "8", "LISTEN_FDS", "1"), 7)).isEmpty();
        assertThat(ListenFds.fromEnvironment(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "2",
                "LISTEN_FDNAMES", "smtp:smtps"), 7))
                .containsExactly(new ListenFds.Passed(3, "smtp"), new ListenFds.Passed(4, "smtps"));
        assertThat(ListenFds.fromEnvironment(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "1"), 7))
                .containsExactly(new ListenFds.Passed(3, "unknown"));
        assertThat(ListenFds.implicitTls(new ListenFds.Passed(4, "smtps"))).isTrue();
        assertThatThrownBy(() -> ListenFds.fromEnvironment(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "many"), 7))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hangupWithoutReloadSaysSoAndWithOneWrapsItInReloading() throws Exception {
        try (NotifyListener systemd = new NotifyListener(dir.resolve("notify").toString());
             SdNotify notify = SdNotify.to(systemd.path())) {
            Service service = Service.of("bhm", notify, null);
            assertThat(service.reload()).isFalse();
            assertThat(systemd.received()).isEmpty();
            int[] calls = {0};
            service.onReload(() -> calls[0]++);
            assertThat(service.reload()).isTrue();
            assertThat(calls[0]).isEqualTo(1);
            systemd.await(s -> s.startsWith("RELOADING=1"), 2000);
            systemd.await(s -> s.startsWith("READY=1"), 2000);
            service.onReload(() -> {
                throw new IllegalArgumentException("bad key");
            });
            assertThat(service.reload()).isFalse();
        }
    }

    @Test
    void journalStreamMustNameStderr() {
        assertThat(Logging.stderrIsJournal(null)).isFalse();
        assertThat(Logging.stderrIsJournal("8:1")).isFalse();  // surefire's stderr is a pipe, not that socket
    }
}
