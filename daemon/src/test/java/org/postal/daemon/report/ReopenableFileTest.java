// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReopenableFile and OpenLogs: logrotate's rename-then-reopen, many times, while several threads
 * write, loses no line, duplicates none and splits none across two files.
 */
class ReopenableFileTest {

    private static final int WRITERS = 4;
    private static final int LINES = 5_000;
    private static final int ROTATIONS = 200;

    @TempDir
    Path dir;

    private final OpenLogs logs = new OpenLogs();

    /**
     * Each writer thread uses the file as the program's logs do: whole lines in one write
     * (BufferedLog, the ledger) or a line in pieces under the stream's lock (PrintStream's println,
     * which may write the text and the line end apart). The test thread meanwhile renames the file
     * to name.N and reopens, as logrotate and its postrotate do. Every line must then be in
     * exactly one file, whole; the old code had no way to reopen, so the renamed file got them all.
     */
    @Test
    void everyLineIsInExactlyOneFileWholeAcrossRenamesAndReopens() throws Exception {
        Path file = dir.resolve("bhm.csv");
        ReopenableFile log = ReopenableFile.open(file, true, logs);
        PrintStream printed = new PrintStream(log, false, UTF_8);
        CountDownLatch started = new CountDownLatch(WRITERS);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < LINES; i++) {
                    String line = line(writer, i);
                    try {
                        // One stream has one owner that serialises its entries (the PrintStream's lock,
                        // BufferedLog's holder): the writers share that lock, as a program's threads do.
                        if (writer % 2 == 0) {
                            synchronized (printed) {
                                log.write((line + "\n").getBytes(UTF_8));
                            }
                        } else {
                            synchronized (printed) {
                                int cut = 1 + i % (line.length() - 1);
                                printed.print(line.substring(0, cut));
                                printed.flush();
                                printed.print(line.substring(cut));
                                printed.println();
                                printed.flush();
                            }
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }, "writer-" + w);
            writers.add(t);
            t.start();
        }
        started.await();
        List<Path> files = new ArrayList<>();
        for (int r = 1; r <= ROTATIONS; r++) {
            Path renamed = dir.resolve("bhm.csv." + r);
            Files.move(file, renamed);
            files.add(renamed);
            OpenLogs.Result result = logs.reopenAll();
            assertThat(result.failed()).isEmpty();
            assertThat(result.reopened()).containsExactly(file.toString());
            Thread.onSpinWait();
        }
        for (Thread t : writers) {
            t.join();
        }
        log.close();
        files.add(file);

        Map<String, Integer> seen = new HashMap<>();
        int filesWithLines = 0;
        for (Path f : files) {
            String text = Files.readString(f, UTF_8);
            assertThat(text).as("%s ends with a whole line", f).matches("(?s)|.*\n");
            filesWithLines += text.isEmpty() ? 0 : 1;
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    seen.merge(line, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> expected = new HashMap<>();
        for (int w = 0; w < WRITERS; w++) {
            for (int i = 0; i < LINES; i++) {
                expected.put(line(w, i), 1);
            }
        }
        Map<String, Integer> wrong = new HashMap<>(seen);
        wrong.entrySet().removeIf(e -> expected.containsKey(e.getKey()) && e.getValue() == 1);
        assertThat(wrong).as("lines split, duplicated or made up").isEmpty();
        assertThat(expected.keySet().stream().filter(line -> !seen.containsKey(line)).limit(10)).as("lines lost")
                .isEmpty();
        assertThat(filesWithLines).as("the lines were spread over the rotated files").isGreaterThan(2);
        assertThat(log.reopens()).isEqualTo(ROTATIONS);
        assertThat(logs.reopenAll().reopened()).as("a closed file leaves the registry").isEmpty();
    }

    /** A line long enough to be split by any buffer, checkable on its own. */
    private static String line(int writer, int i) {
        String body = writer + "," + i + "," + "x".repeat(i % 97);
        return body + "," + Integer.toHexString(body.hashCode());
    }

    private static final String ROTATE = "<rename to NAME.1, then reopen>";
    private static final String REOPEN = "<reopen>";

    /**
     * Writes each step to {@code log} in turn, then closes it: {@link #ROTATE} does what logrotate
     * and its postrotate do, {@link #REOPEN} reopens without a rename.
     */
    private void play(ReopenableFile log, String... steps) throws IOException {
        try (log) {
            for (String step : steps) {
                if (step.equals(ROTATE)) {
                    Files.move(log.file(), log.file().resolveSibling(log.file().getFileName() + ".1"));
                }
                if (step.equals(ROTATE) || step.equals(REOPEN)) {
                    logs.reopenAll();
                } else {
                    log.write(step.getBytes(UTF_8));
                }
            }
        }
    }

    /** What the renamed file NAME.1 and the new file NAME hold. */
    private static void assertSplit(Path file, String renamed, String current) throws IOException {
        assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".1"))).isEqualTo(renamed);
        assertThat(Files.readString(file)).isEqualTo(current);
    }

    @Test
    void aPartialLineWaitsForItsEndAndGoesToTheNewFile() throws IOException {
        Path file = dir.resolve("postal.log");
        play(ReopenableFile.open(file, true, logs), "whole\nhalf", ROTATE, " and the rest\n");
        assertSplit(file, "whole\n", "half and the rest\n");
    }

    @Test
    void aReopenAppendsToAFileThatWasNotRenamed() throws IOException {
        Path file = dir.resolve("rabid.log");
        Files.writeString(file, "before\n");
        try (OutputStream log = ReopenableFile.open(file, true, logs)) {
            log.write("one\n".getBytes(UTF_8));
            logs.reopenAll();
            log.write("two\n".getBytes(UTF_8));
        }
        assertThat(Files.readString(file)).isEqualTo("before\none\ntwo\n");
    }

    @Test
    void aNameThatCannotBeReopenedKeepsTheOldFileInUseAndSaysWhy() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("logs"));
        Path file = sub.resolve("bhm.log");
        try (OutputStream log = ReopenableFile.open(file, true, logs)) {
            Path moved = dir.resolve("moved");
            Files.move(sub, moved);
            OpenLogs.Result result = logs.reopenAll();
            assertThat(result.reopened()).isEmpty();
            assertThat(result.failed()).singleElement().asString().startsWith(file + ": ");
            assertThat(result.describe()).startsWith("no log files open; cannot reopen " + file);
            log.write("still here\n".getBytes(UTF_8));
            assertThat(Files.readString(moved.resolve("bhm.log"))).isEqualTo("still here\n");
        }
    }

    /** The statistics rows: each rotated file can be read on its own, header first. */
    @Test
    void aNewFileOfRowsStartsWithTheHeaderAgain() throws IOException {
        Path file = dir.resolve("postal.csv");
        // A reopen without a rename goes on in the same file: no second header there.
        play(ReopenableFile.openWithHeader(file, logs), "time,messages", ",errors\n00:01,5,0\n", REOPEN,
                "00:02,6,0\n", ROTATE, "00:03,7,0\n");
        assertSplit(file, "time,messages,errors\n00:01,5,0\n00:02,6,0\n", "time,messages,errors\n00:03,7,0\n");
    }

    @Test
    void jsonRowsHaveNoHeaderToRepeat() throws IOException {
        Path file = dir.resolve("bhm.csv");
        play(ReopenableFile.openWithHeader(file, logs), "{\"messages\":1}\n", ROTATE, "{\"messages\":2}\n");
        assertSplit(file, "{\"messages\":1}\n", "{\"messages\":2}\n");
    }

    @Test
    void aVeryLongPartialLineIsWrittenWithoutWaiting() throws IOException {
        Path file = dir.resolve("bhm.log");
        try (OutputStream log = ReopenableFile.open(file, false, logs)) {
            log.write(new byte[ReopenableFile.MAX_PENDING + 1]);
            assertThat(Files.size(file)).isEqualTo(ReopenableFile.MAX_PENDING + 1);
        }
    }
}
