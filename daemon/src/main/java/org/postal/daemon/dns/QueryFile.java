// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dnsperf/resperf input file, {@code name TYPE} per line, sent in order and from the top again
 * at its end, as dnsperf does. Blank lines and lines starting with {@code ;} or {@code #} are skipped.
 */
public final class QueryFile implements QuerySource {

    /** dnsperf's manual suggests up to a million lines; ten times that still fits a small heap. */
    static final int MAX_LINES = 10_000_000;
    static final int MAX_LINE = 1024;

    private final List<Query> queries;
    private final AtomicLong position = new AtomicLong();

    private QueryFile(List<Query> queries) {
        this.queries = queries;
    }

    /** Reads {@code file}; an error names the file and line and nothing is kept. */
    public static QueryFile read(Path file) throws IOException {
        List<Query> queries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith(";") || text.startsWith("#")) {
                    continue;
                }
                if (line.length() > MAX_LINE || queries.size() >= MAX_LINES) {
                    throw new IOException(file + ":" + number + ": line too long or more than " + MAX_LINES + " queries");
                }
                try {
                    queries.add(Query.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + number + ": " + e.getMessage());
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not ASCII text");
        }
        if (queries.isEmpty()) {
            throw new IOException(file + ": no queries");
        }
        return new QueryFile(List.copyOf(queries));
    }

    @Override
    public Query next() {
        return queries.get((int) (position.getAndIncrement() % queries.size()));
    }
}
