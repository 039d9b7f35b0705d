// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
    /** A host without SELinux: no enforce file. */
    private Selinux off;

    @BeforeEach
    void makeSocketFile() throws IOException {
        socket = dir.resolve("bhm.sock");
        Files.createFile(socket);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        group = Files.readAttributes(socket, PosixFileAttributes.class).group().getName();
        gid = (Integer) Files.getAttribute(socket, "unix:gid");
        int uid = (Integer) Files.getAttribute(socket, "unix:uid");
        stranger = new Identity(uid + 40_000, gid + 40_000, Set.of(gid + 40_001));
        off = new Selinux.KernelFiles(dir.resolve("no-selinuxfs/enforce"), dir.resolve("no-proc/current"));
    }

    /** SELinux as a host would show it, from an enforce file holding {@code mode} and our context. */
    private Selinux selinux(String mode, String context) throws IOException {
        Path enforce = Files.writeString(dir.resolve("enforce"), mode);
        Path current = Files.writeString(dir.resolve("current"), context + "\0");
        return new Selinux.KernelFiles(enforce, current);
    }

    @Test
    void aStrangerIsToldWhichGroupToJoin() {
        assertThat(AccessAdvice.forAdmin(socket, "bhm", stranger, off))
                .startsWith("the admin socket (rw-rw----, group " + group + ") needs membership of group " + group)
                .contains("usermod -a -G " + group + " USER")
                .endsWith("(or use the read-only bhm-status.sock for status, stats, watch and config)");
    }

    @Test
    void aMemberWhoIsRefusedIsToldAboutTheSelinuxRole() {
        Identity member = new Identity(stranger.uid(), stranger.gid(), Set.of(gid));
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, off))
                .contains("lets you in, so the security policy refused")
                .contains("postalctl_t").contains("sysadm_r");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", new Identity(0, 0, Set.of()), off))
                .as("root passes every mode").contains("security policy refused");
    }

    @Test
    void aModeThatShutsOutTheGroupIsNamed() throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Identity member = new Identity(stranger.uid(), gid, Set.of());
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, off))
                .isEqualTo("its mode (rw-------, group " + group + ") shuts out group " + group
                        + " as well; the daemon makes it rw-rw----");
    }

    @Test
    void unknownIdentityOrUnreadableSocketStillNamesTheGroupAndTheRole() {
        assertThat(AccessAdvice.forAdmin(socket, "bhm", null, off))
                .contains("needs membership of group " + group).contains("sysadm_r");
        assertThat(AccessAdvice.forAdmin(dir.resolve("gone/bhm.sock"), "bhm", stranger, off))
                .startsWith("the admin socket needs membership of group postal, and its directory "
                        + dir.resolve("gone") + " must let you in");
    }

    @Test
    void enforcingSelinuxIsBlamedWhenTheModeLetsUsIn() throws IOException {
        Identity member = new Identity(stranger.uid(), stranger.gid(), Set.of(gid));
        Selinux enforcing = selinux("1\n", "staff_u:staff_r:postalctl_ro_t:s0");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, enforcing))
                .startsWith("its mode (rw-rw----, group " + group + ") would let you in, but SELinux type "
                        + "enforcement refused the connection: you run as staff_u:staff_r:postalctl_ro_t:s0, and "
                        + "only postalctl_t may connect")
                .contains("sysadm_r", "bhm-status.sock", "'ls -Z " + socket + "'", "'ausearch -m AVC -ts recent'",
                        "postal_selinux(8)")
                .doesNotContain("lets you in, so");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", new Identity(0, 0, Set.of()), enforcing))
                .as("root in a confined domain").contains("SELinux type enforcement refused");
    }

    @Test
    void anUnreadableContextIsLeftOutOfTheSelinuxAdvice() throws IOException {
        Identity member = new Identity(stranger.uid(), stranger.gid(), Set.of(gid));
        Selinux enforcing = new Selinux.KernelFiles(Files.writeString(dir.resolve("enforce"), "1"),
                dir.resolve("no-proc/current"));
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, enforcing))
                .contains("refused the connection: only postalctl_t may connect").doesNotContain("you run as");
    }

    @Test
    void permissiveOrDisabledSelinuxKeepsTheSecurityPolicyAdvice() throws IOException {
        Identity member = new Identity(stranger.uid(), stranger.gid(), Set.of(gid));
        String withoutSelinux = AccessAdvice.forAdmin(socket, "bhm", member, off);
        assertThat(withoutSelinux).startsWith("its mode (rw-rw----, group " + group + ") lets you in, so the "
                + "security policy refused");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, selinux("0", "staff_u:staff_r:staff_t:s0")))
                .isEqualTo(withoutSelinux);
    }

    @Test
    void aModeThatShutsUsOutIsNamedEvenWhenSelinuxEnforces() throws IOException {
        Selinux enforcing = selinux("1", "staff_u:staff_r:postalctl_ro_t:s0");
        assertThat(AccessAdvice.forAdmin(socket, "bhm", stranger, enforcing))
                .isEqualTo(AccessAdvice.forAdmin(socket, "bhm", stranger, off))
                .startsWith("the admin socket (rw-rw----, group " + group + ") needs membership of group " + group);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Identity member = new Identity(stranger.uid(), gid, Set.of());
        assertThat(AccessAdvice.forAdmin(socket, "bhm", member, enforcing)).contains("shuts out group " + group);
    }

    @Test
    void aStatusSocketRefusedUnderEnforcingSelinuxNamesPostalctlsDomains() throws IOException {
        Path status = Files.createFile(dir.resolve("bhm-status.sock"));
        Files.setPosixFilePermissions(status, PosixFilePermissions.fromString("rw-rw-rw-"));
        Selinux enforcing = selinux("1", "user_u:user_r:java_t:s0");
        assertThat(AccessAdvice.forStatus(status, stranger, enforcing))
                .startsWith("its mode (rw-rw-rw-) would let you in, but SELinux type enforcement refused the "
                        + "connection: you run as user_u:user_r:java_t:s0, and only postalctl's domains "
                        + "(postalctl_ro_t, postalctl_t) may connect to status sockets")
                .contains("/usr/bin/postalctl", "'java -jar'", "'ls -Z " + status + "'", "postal_selinux(8)");
        assertThat(AccessAdvice.forStatus(status, stranger, off))
                .isEqualTo("its mode (rw-rw-rw-) lets you in, so its directory " + dir
                        + " or the security policy refused");
    }

    @Test
    void aStatusSocketWhoseModeShutsUsOutIsNamedWhateverSelinuxSays() throws IOException {
        Path status = Files.createFile(dir.resolve("bhm-status.sock"));
        Files.setPosixFilePermissions(status, PosixFilePermissions.fromString("rw-rw----"));
        String advice = "its mode (rw-rw----) shuts you out; the daemon makes it rw-rw-rw-, so that anyone may "
                + "read status";
        assertThat(AccessAdvice.forStatus(status, stranger, off)).isEqualTo(advice);
        assertThat(AccessAdvice.forStatus(status, stranger, selinux("1", "user_u:user_r:user_t:s0")))
                .isEqualTo(advice);
        assertThat(AccessAdvice.forStatus(status, null, off)).as("who we are unknown").isEqualTo(advice);
        assertThat(AccessAdvice.forStatus(dir.resolve("gone/bhm-status.sock"), stranger, off))
                .isEqualTo("check its mode (rw-rw-rw- expected) and that its directory " + dir.resolve("gone")
                        + " lets you in");
    }

    @Test
    void selinuxStateComesFromTheKernelFiles() throws IOException {
        assertThat(off.enforcing()).as("no selinuxfs").isFalse();
        assertThat(off.context()).isNull();
        Selinux enforcing = selinux("1", "sysadm_u:sysadm_r:postalctl_t:s0-s0:c0.c1023");
        assertThat(enforcing.enforcing()).isTrue();
        assertThat(enforcing.context()).isEqualTo("sysadm_u:sysadm_r:postalctl_t:s0-s0:c0.c1023");
        assertThat(selinux("0", "").enforcing()).isFalse();
        assertThat(selinux("0", "").context()).isNull();
    }

    @Test
    void anEnforceFileWeMayNotReadMeansSelinuxEnforces() throws IOException {
        Path enforce = Files.writeString(dir.resolve("enforce"), "0");
        Files.setPosixFilePermissions(enforce, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(enforce), "root reads any file, so only a non-root run can check this");
        assertThat(new Selinux.KernelFiles(enforce, dir.resolve("current")).enforcing()).isTrue();
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
