// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How much room is left where the logs are, for {@code postalctl NAME status}: the file system of
 * the open logs with the least space free (statvfs, through java.io.File), and a warning
 * once it is nearly full, so an appliance is seen running out before a write fails.
 *
 * <p>Nearly full is less than {@value #LOW_PERCENT}% or less than {@value #LOW_MIB} MiB free for
 * unprivileged writers (the blocks reserved for root do not count: the daemons are not root).
 */
public final class LogSpace {

    static final int LOW_PERCENT = 10;
    static final long LOW_MIB = 256;

    /** Where a log is kept, as the file system sees it. */
    public record Volume(Path dir, long free, long total) {
        public Volume {
            if (free < 0 || total < 0) {
                throw new IllegalArgumentException("negative space: " + free + " of " + total);
            }
        }

        double freePercent() {
            return total == 0 ? 100.0 : free * 100.0 / total;
        }

        /** True when less than 10% or 256 MiB is free. */
        public boolean low() {
            return freePercent() < LOW_PERCENT || free < LOW_MIB << 20;
        }
    }

    /** Reads the space of one folder; an {@link IOException} says the folder cannot be asked. */
    @FunctionalInterface
    public interface Probe {
        Volume of(Path dir) throws IOException;
    }

    /**
     * The real file systems: statvfs through java.io.File, not Files.getFileStore, which also
     * looks the mount up in /proc/self/mounts and fails in a chroot (whose mounts are named by the
     * host's paths). A total of 0 means the folder could not be asked.
     */
    public static final Probe STATVFS = dir -> {
        java.io.File folder = dir.toFile();
        long total = folder.getTotalSpace();
        if (total == 0) {
            throw new IOException(dir + ": statvfs failed");
        }
        return new Volume(dir, folder.getUsableSpace(), total);
    };

    private LogSpace() {
    }

    /** The folder of {@code files} with the least space free, if any can be asked. */
    public static Optional<Volume> tightest(Collection<Path> files, Probe probe) {
        Volume tightest = null;
        for (Path dir : files.stream().map(f -> f.toAbsolutePath().getParent()).distinct().toList()) {
            try {
                Volume v = probe.of(dir);
                if (tightest == null || v.freePercent() < tightest.freePercent()) {
                    tightest = v;
                }
            } catch (IOException e) {
                // A folder renamed away or unmounted: the logs there say so when written to.
            }
        }
        return Optional.ofNullable(tightest);
    }

    /** For {@code status}: folder, free MiB and percent, and a warning when nearly full. */
    public static Map<String, Object> describe(Volume v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", v.dir().toString());
        out.put("free_mib", v.free() >> 20);
        out.put("free_percent", Math.round(v.freePercent() * 10) / 10.0);
        if (v.low()) {
            out.put("warning", "log file system nearly full: " + (v.free() >> 20) + " MiB ("
                    + Math.round(v.freePercent()) + "%) free in " + v.dir());
        }
        return out;
    }
}
