// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 2^24 names from one, the 1.0 roadmap's count, written as they are made and never held. */
class StreamingTest {

    private static final long NAMES = 1L << 24;

    /** Counts lines and bytes; at each quarter, after a GC, samples the heap the lister holds. */
    private static final class CountingStream extends OutputStream {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final long baseline = heapAfterGc();
        long lines;
        long bytes;
        long mostHeldBeyondBaseline;
        String last = "";

        private long heapAfterGc() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n' && ++lines % (NAMES / 4) == 0) {
                    mostHeldBeyondBaseline = Math.max(mostHeldBeyondBaseline, heapAfterGc() - baseline);
                }
            }
            bytes += len;
            last = new String(b, Math.max(off, off + len - 7), Math.min(len, 7), UTF_8);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoToTheTwentyFourNamesAreStreamed(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("in"), "abcdef\n");
        Path conv = Files.writeString(dir.resolve("conv"), "^ " + "[0-9a-f]".repeat(6) + "\n");
        CountingStream out = new CountingStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = ListMain.run(new String[] {in.toString(), conv.toString()},
                new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, UTF_8));

        assertThat(status).as(err.toString(UTF_8)).isZero();
        assertThat(out.lines).isEqualTo(NAMES);
        assertThat(out.bytes).isEqualTo(7 * NAMES);
        assertThat(out.last).isEqualTo("ffffff\n");
        // Held as strings, a quarter of the names would take over 150 MiB.
        assertThat(out.mostHeldBeyondBaseline).isLessThan(16L << 20);
    }
}
