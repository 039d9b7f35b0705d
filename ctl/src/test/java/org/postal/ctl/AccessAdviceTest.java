// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.ctl.AccessAdvice.Identity;

class AccessAdviceTest {

    @TempDir
    Path dir;

    private Path socket;
    private String group;
    private int gid;
    /** Neither the file's owner nor in its group, and not root. */
    private Identity stranger;

    @BeforeEach
    void makeSocketFile() throws IOException {
        socket = dir.resolve("bhm.sock");
        Files.createFile(socket);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        group = Files.readAttributes(socket, PosixFileAttributes.class).group().getName();
        gid = (Integer) Files.getAttribute(socket, "unix:gid");
        int uid = (Integer) Files.getAttribute(socket, "unix:uid");
        stranger = new Identity(uid + 40_000, gid + 40_000, Set.of(gid + 40_001));
    }

    @Test
    void aStrangerIsToldWhichGroupToJoin() {
        assertThat(AccessAdvice.forAdmin(socket, "bhm", stranger))
                .startsWith("the admin socket (rw-rw----, group " + group + ") needs membership of group " + group)
                .contains("usermod -a -G " + group + " USER")
                .endsWith("(or use the read-only bhm-status.sock for status, stats, watch and config)");
    }

    @Test
    void aMemberWhoIsRefusedIsToldAboutTheSelinuxRole() {
        Identity member = new Identity(stranger.uid(), stranger.gid(), Set.of(gid));
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member))
                .contains("lets you in, so the security policy refused")
                .contains("postalctl_t").contains("sysadm_r");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", new Identity(0, 0, Set.of())))
                .as("root passes every mode").contains("security policy refused");
    }

    @Test
    void aModeThatShutsOutTheGroupIsNamed() throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Identity member = new Identity(stranger.uid(), gid, Set.of());
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member))
                .isEqualTo("its mode (rw-------, group " + group + ") shuts out group " + group
                        + " as well; the daemon makes it rw-rw----");
    }

    @Test
    void unknownIdentityOrUnreadableSocketStillNamesTheGroupAndTheRole() {
        assertThat(AccessAdvice.forAdmin(socket, "bhm", null))
                .contains("needs membership of group " + group).contains("sysadm_r");
        assertThat(AccessAdvice.forAdmin(dir.resolve("gone/bhm.sock"), "bhm", stranger))
                .startsWith("the admin socket needs membership of group postal, and its directory "
                        + dir.resolve("gone") + " must let you in");
    }

    @Test
    void identityComesFromProcStatus() {
        Identity me = Identity.parse("""
                Name:\tjava
                Uid:\t1000\t1001\t1001\t1001
                Gid:\t100\t113\t113\t113
                Groups:\t24 27 113\s
                """);
        assertThat(me).isEqualTo(new Identity(1001, 113, Set.of(24, 27, 113)));
        assertThat(Identity.parse("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\n").groups()).isEmpty();
        assertThat(Identity.current()).isNotNull();
        assertThatThrownBy(() -> Identity.parse("Name:\tjava\n")).hasMessageContaining("no Uid:");
    }
}
