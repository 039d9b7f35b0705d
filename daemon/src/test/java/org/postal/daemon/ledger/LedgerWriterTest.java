// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes the writer puts in the file: fields, UTF-8, cleaned controls, run ids, and records past a full buffer. */
class LedgerWriterTest {
    @TempDir
    Path dir;

    private List<String> write(java.util.function.Consumer<LedgerWriter> records) throws Exception {
        Path file = dir.resolve("l");
        LedgerWriter writer = LedgerWriter.open(file, "bhm", "bhm", "");
        records.accept(writer);
        writer.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(1)).isEqualTo(LedgerFormat.COLUMNS);
        assertThat(lines.get(lines.size() - 1)).startsWith("#end records=" + (lines.size() - 3) + " time=");
        return lines.subList(2, lines.size() - 1);
    }

    @Test
    void writesEveryFieldAndLeavesTheAbsentOnesEmpty() throws Exception {
        assertThat(write(w -> {
            w.record(1765130400123L, new Identity(0x5F3A09C1D2E4B7A8L, 0), "user1@example.com", Outcome.ACCEPTED, 250,
                    "END_OF_DATA", 1765130400100L, "2.0.0 Ok: queued as 4Q1");
            w.record(0, null, "b@x", Outcome.UNSIGNED, 0, null, -1, "<abc@x>");
            w.record(9, new Identity(-1L, Long.MAX_VALUE), "c@x", Outcome.VERIFIED, 0, null, -1, null);
        })).containsExactly(
                "1765130400123\t5F3A09C1D2E4B7A8\t0\tuser1@example.com\taccepted\t250\tEND_OF_DATA\t1765130400100\t2.0.0 Ok: queued as 4Q1",
                "0\t\t\tb@x\tunsigned\t\t\t\t<abc@x>",
                "9\tFFFFFFFFFFFFFFFF\t9223372036854775807\tc@x\tverified\t\t\t\t");
    }

    @Test
    void writesTimesAcrossSecondsAndBelowOne() throws Exception {
        long[] times = {0, 7, 42, 999, 1000, 1001, 1765130400000L, 1765130400009L, 1765130400999L, 1765130401000L,
            1765130400123L, 99999999999999L, Long.MAX_VALUE};
        assertThat(write(w -> {
            for (long t : times) {
                w.record(t, null, "a@x", Outcome.UNSIGNED, 0, null, t, null);
            }
        })).extracting(l -> l.split("\t")[0] + " " + l.split("\t")[7])
                .containsExactly(java.util.Arrays.stream(times).mapToObj(t -> t + " " + t).toArray(String[]::new));
    }

    @Test
    void keepsUtf8AndTurnsControlsIntoSpaces() throws Exception {
        assertThat(write(w -> w.record(1, new Identity(0xA1, 7), "jürgen@bücher.example", Outcome.REFUSED, 550, "RCPT", 2,
                "5.1.1 nö\tsuch\r\nuser \u2603")))
                .containsExactly("1\t00000000000000A1\t7\tjürgen@bücher.example\trefused\t550\tRCPT\t2\t5.1.1 nö such  user \u2603");
    }

    @Test
    void encodesEachRunOfInterleavedRunsAfresh() throws Exception {
        assertThat(write(w -> {
            w.record(1, new Identity(0xA, 1), "a@x", Outcome.VERIFIED, 0, null, -1, null);
            w.record(1, new Identity(0xB, 2), "a@x", Outcome.VERIFIED, 0, null, -1, null);
            w.record(1, new Identity(0xA, 3), "a@x", Outcome.VERIFIED, 0, null, -1, null);
        })).extracting(l -> l.split("\t")[1] + "." + l.split("\t")[2])
                .containsExactly("000000000000000A.1", "000000000000000B.2", "000000000000000A.3");
    }

    @Test
    void recordsFromSeveralThreadsPastAFullBufferAllArriveWhole() throws Exception {
        int threads = 3;
        int each = LedgerWriter.MAX_BUFFER / 40; // more than a full buffer each
        List<String> lines = write(w -> {
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                long run = t;
                workers[t] = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        w.record(i, new Identity(run, i), "r@x", Outcome.ACCEPTED, 250, "END_OF_DATA", i, "ok");
                    }
                });
                workers[t].start();
            }
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        assertThat(lines).hasSize(threads * each);
        long[] next = new long[threads];
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertThat(f).hasSize(LedgerFormat.COLUMN_COUNT);
            int run = Integer.parseInt(f[1], 16);
            assertThat(Long.parseLong(f[2])).isEqualTo(next[run]++); // each thread's records in its order
        }
    }
}
