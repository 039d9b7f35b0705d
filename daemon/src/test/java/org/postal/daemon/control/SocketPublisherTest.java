// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.daemon.service.Privileges;

/** The admin socket's name never exists with a mode wider than the one asked for, whatever the umask. */
class SocketPublisherTest {

    private static final Set<PosixFilePermission> ADMIN = PosixFilePermissions.fromString("rw-rw----");
    /** Widens the window between bind and chmod far beyond its real length, so a poller cannot miss it. */
    private static final long SLOW_BIND_MILLIS = 100;

    @TempDir
    Path dir;

    private final List<ServerSocketChannel> bound = new ArrayList<>();
    private int savedUmask;

    @BeforeEach
    void openUmask() {
        savedUmask = Privileges.umask(0);   // bind(2) now makes 0777 sockets: the worst case
    }

    @AfterEach
    void restore() throws IOException {
        Privileges.umask(savedUmask);
        for (ServerSocketChannel channel : bound) {
            channel.close();
        }
    }

    private void bindAt(Path where) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        bound.add(channel);
        channel.bind(UnixDomainSocketAddress.of(where));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theNameAppearsOnlyOnceTheModeIsSet() throws IOException {
        Path path = dir.resolve("bhm.sock");
        List<String> seenAtBind = new ArrayList<>();
        SocketPublisher.publish(path, ControlServer.BOUND_AS_ADMIN, ADMIN, null, where -> {
            bindAt(where);
            seenAtBind.add(mode(where.getParent()));
            seenAtBind.add(mode(where));
            seenAtBind.add(String.valueOf(Files.exists(path, LinkOption.NOFOLLOW_LINKS)));
            seenAtBind.add(where.getFileName().toString());
        });
        // At bind time the socket is as open as the umask lets it be, but in a directory only we can enter.
        assertThat(seenAtBind).containsExactly("rwx------", "rwxrwxrwx", "false", "admin.sock");
        assertThat(mode(path)).isEqualTo("rw-rw----");
        assertThat((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .as("a socket file").isEqualTo(0140000);
        assertThat((Integer) Files.getAttribute(path, "unix:nlink")).isEqualTo(1);
        try (var lister = Files.list(dir)) {
            assertThat(lister).containsExactly(path);
        }
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    /**
     * An instance's status socket is created as status.sock, the one name the SELinux policy's type
     * transition gives the status type (selinux/postal.if); created under its own name it got the admin type.
     */
    @Test
    void anInstancesStatusSocketIsCreatedUnderTheNameThePolicyTypes() throws IOException {
        Path path = dir.resolve("postal@night-status.sock");
        List<String> createdAs = new ArrayList<>();
        SocketPublisher.publish(path, ControlServer.BOUND_AS_STATUS, PosixFilePermissions.fromString("rw-rw-rw-"),
                null, where -> {
                    bindAt(where);
                    createdAs.add(where.getFileName().toString());
                });
        assertThat(createdAs).containsExactly("status.sock");
        assertThat(mode(path)).isEqualTo("rw-rw-rw-");
        try (var lister = Files.list(dir)) {
            assertThat(lister).containsExactly(path);
        }
    }

    @Test
    void aPollerNeverSeesTheNameWiderThanItsMode() throws Exception {
        Path path = dir.resolve("bhm.sock");
        Set<PosixFilePermission> seen = watch(path, () -> SocketPublisher.publish(path, ControlServer.BOUND_AS_ADMIN,
                ADMIN, null, where -> {
                    bindAt(where);
                    sleep();
                }));
        assertThat(seen).isEqualTo(ADMIN);
    }

    /** The same poller against bind-then-chmod, the way it was done before: it sees the wide mode. */
    @Test
    void thePollerCatchesChmodAfterBind() throws Exception {
        Path path = dir.resolve("bhm.sock");
        Set<PosixFilePermission> seen = watch(path, () -> {
            bindAt(path);
            sleep();
            Files.setPosixFilePermissions(path, ADMIN);
        });
        assertThat(seen).contains(PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void aNameTakenMeanwhileIsKeptAndNothingIsLeftBehind() throws IOException {
        Path path = dir.resolve("bhm.sock");
        assertThatThrownBy(() -> SocketPublisher.publish(path, ControlServer.BOUND_AS_ADMIN, ADMIN, null, where -> {
            bindAt(where);
            Files.writeString(path, "another instance");
        })).hasMessageContaining("appeared while this socket was being made");
        assertThat(path).hasContent("another instance");
        try (var lister = Files.list(dir)) {
            assertThat(lister).containsExactly(path);
        }
    }

    @Test
    void aFailedBindLeavesNothingBehind() throws IOException {
        Path path = dir.resolve("bhm.sock");
        assertThatThrownBy(() -> SocketPublisher.publish(path, ControlServer.BOUND_AS_ADMIN, ADMIN, null, where -> {
            throw new IOException("no bind today");
        })).hasMessage("no bind today");
        try (var lister = Files.list(dir)) {
            assertThat(lister).isEmpty();
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    /** Runs {@code action} while another thread stats {@code path} without pause; returns every permission seen. */
    private static Set<PosixFilePermission> watch(Path path, Action action) throws Exception {
        Set<PosixFilePermission> seen = EnumSet.noneOf(PosixFilePermission.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                try {
                    seen.addAll(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions());
                } catch (NoSuchFileException e) {
                    // not there yet
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "poller");
        poller.start();
        try {
            action.run();
            Thread.sleep(SLOW_BIND_MILLIS);   // let the poller see the final state as well
        } finally {
            poller.interrupt();
            poller.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(poller.isAlive()).isFalse();
        return seen;
    }

    private static void sleep() {
        try {
            Thread.sleep(SLOW_BIND_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
