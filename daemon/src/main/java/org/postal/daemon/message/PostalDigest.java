// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The digest or digests a {@link HashMode} asks for, fed the same bytes, so that a signer and
 * a verifier with the same mode compute the same values.
 *
 * <p>{@link HashMode#AUTO} computes both; when signing with it, the value written is real MD5,
 * the default the reference recommends (doc/POSTAL-0.76.md §6.5). Not thread-safe.
 */
public final class PostalDigest {
    private final HashMode mode;
    private final MessageDigest md5;
    private final Md5Lp64 md5Lp64;
    private String md5Hex;
    private String md5Lp64Hex;

    /** Creates the digests {@code mode} needs. */
    public PostalDigest(HashMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.md5 = mode.computesMd5() ? PostalHash.md5() : null;
        this.md5Lp64 = mode.computesMd5Lp64() ? new Md5Lp64() : null;
    }

    /** The mode this digest was created for. */
    public HashMode mode() {
        return mode;
    }

    /** Adds {@code len} bytes of {@code b} starting at {@code off}. */
    public void update(byte[] b, int off, int len) {
        if (md5 != null) {
            md5.update(b, off, len);
        }
        if (md5Lp64 != null) {
            md5Lp64.update(b, off, len);
        }
    }

    /** Adds the remaining bytes of {@code b}, leaving its position at its limit. */
    public void update(ByteBuffer b) {
        int start = b.position();
        if (md5 != null) {
            md5.update(b);
        }
        if (md5Lp64 != null) {
            // Both digests must see the same bytes; the first one consumed them.
            b.position(start);
            md5Lp64.update(b);
        }
    }

    /**
     * Completes the digests, keeps their hex values for {@link #md5()} and {@link #md5Lp64()},
     * resets for the next message and returns the value to write into {@code X-PostalHash}.
     */
    public String finish() {
        md5Hex = md5 == null ? null : PostalHash.hex(md5.digest());
        md5Lp64Hex = md5Lp64 == null ? null : PostalHash.hex(md5Lp64.digest());
        return md5Hex != null ? md5Hex : md5Lp64Hex;
    }

    /** Real MD5 from the last {@link #finish()}, or null if this mode does not compute it. */
    public String md5() {
        return md5Hex;
    }

    /** MD5-LP64 from the last {@link #finish()}, or null if this mode does not compute it. */
    public String md5Lp64() {
        return md5Lp64Hex;
    }

    /** Forgets the input of an abandoned message and the last results. */
    public void reset() {
        if (md5 != null) {
            md5.reset();
        }
        if (md5Lp64 != null) {
            md5Lp64.reset();
        }
        md5Hex = null;
        md5Lp64Hex = null;
    }
}
