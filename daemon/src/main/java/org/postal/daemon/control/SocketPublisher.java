// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Unix socket file appear at its path with its final mode and group already set.
 *
 * <p>bind(2) creates the socket file with mode {@code 0777 & ~umask}, so a chmod after bind leaves
 * a moment in which the admin socket is more open than 0660. The process umask cannot close that
 * window safely: it is shared by every thread, so narrowing it around bind would also narrow
 * whatever another thread creates meanwhile (a log, a transcript, a directory without its x bit),
 * and a thread that sets it too would race with us. Instead the socket is bound inside a fresh
 * directory of mode 0700 next to its path, where only its owner (and root, which file modes do not
 * stop) can reach it; there it gets its mode and group, and then link(2) gives it its real name.
 * The inode is the same, so the name never exists with another mode; link, unlike rename, fails
 * when the name is taken, so two instances starting at once cannot replace each other's socket.
 * The private name is then unlinked; a listening socket is found by its inode, not its bound path.
 *
 * <p>Inside the directory the socket is bound under a name the caller gives, not under its final
 * name: the SELinux policy types a socket by the name it is created with, and a name-based type
 * transition matches one exact name only, so a fixed private name ({@code status.sock}) is what
 * lets every instance's status socket ({@code postal@PROFILE-status.sock} too) be born with the
 * status type. link(2) keeps the inode, and with it the type.
 */
final class SocketPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SocketPublisher.class);

    /** Binds a listening socket at a path; the caller keeps it and closes it, published or not. */
    interface Binder {
        void bind(Path where) throws IOException;
    }

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    /** sun_path's 108 bytes, less the terminating NUL. */
    private static final int MAX_SUN_PATH = 107;

    private SocketPublisher() {
    }

    /**
     * Binds through {@code binder} as {@code boundAs} in a private directory and publishes the
     * socket as {@code path} with {@code mode} and, when {@code group} is not null and exists,
     * that group.
     *
     * @throws IOException when binding fails or {@code path} exists by the time the socket is ready
     */
    static void publish(Path path, String boundAs, Set<PosixFilePermission> mode, String group, Binder binder)
            throws IOException {
        Path hidden = Files.createTempDirectory(path.toAbsolutePath().getParent(), ".bind",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        // "s" only where the directory's path is too long for boundAs, which paths in /run/postal
        // never are (elsewhere no policy names the sockets anyway).
        Path named = hidden.resolve(boundAs);
        Path inside = named.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SUN_PATH
                ? named : hidden.resolve("s");
        try {
            binder.bind(inside);
            Files.setPosixFilePermissions(inside, mode);
            if (group != null) {
                joinGroup(inside, group, path);
            }
            Files.createLink(path, inside);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(path + " appeared while this socket was being made: "
                    + "is another instance of the same name starting?", e);
        } finally {
            Files.deleteIfExists(inside);
            Files.delete(hidden);
        }
    }

    /** Gives the socket to {@code group} when the group exists and we may; otherwise keeps ours. */
    private static void joinGroup(Path path, String group, Path name) {
        try {
            GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        } catch (UserPrincipalNotFoundException e) {
            LOG.debug("no group {}: {} keeps the daemon's group", group, name);
        } catch (IOException e) {
            LOG.warn("cannot give {} to group {}: {}", name, group, e.getMessage());
        }
    }
}
