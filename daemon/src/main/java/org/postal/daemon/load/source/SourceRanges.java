// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.postal.daemon.lists.ListFile;
import org.postal.daemon.load.Endpoints;

/**
 * Source addresses as a list of ranges, addressed by one index over all of them, 0..size-1.
 *
 * <pre>
 * list  = entry *( "," entry )
 * entry = cidr / range / address        ; cidr  = literal "/" prefix-length
 *                                       ; range = literal "-" literal (one family)
 * </pre>
 * An address is what postal 0.76's {@code -l} took ({@code host} or {@code [host]port}), so old
 * command lines mean what they did.
 */
public final class SourceRanges {

    private final List<AddressRange> ranges;
    private final long[] starts;
    private final long size;

    /** The ranges in order; their total must stay within 2^62. */
    public SourceRanges(List<AddressRange> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no source addresses");
        }
        this.ranges = List.copyOf(ranges);
        this.starts = new long[ranges.size()];
        long total = 0;
        for (int i = 0; i < ranges.size(); i++) {
            starts[i] = total;
            total += ranges.get(i).count();
            if (total > AddressRange.MAX_COUNT) {
                throw new IllegalArgumentException("the source ranges hold more than 2^62 addresses");
            }
        }
        this.size = total;
    }

    /** Parses one list ({@code -l} or a config value). */
    public static List<AddressRange> parse(String list) {
        List<AddressRange> out = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String text = raw.trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty entry in address list \"" + list + "\"");
            }
            AddressRange range = AddressRange.parseRange(text);
            if (range == null) {
                Endpoints.Entry entry = Endpoints.parseLocal(text).entries().get(0);
                range = new AddressRange(entry.address(), 1, entry.port());
            }
            out.add(range);
        }
        return out;
    }

    /**
     * Reads a --local-address-file: entries one or more a line, comma-separated, {@code #} starts a
     * comment; read with the bounds of every list file (a regular file, at most 64 MiB). An error
     * names the file and line.
     */
    public static List<AddressRange> read(Path file) throws IOException {
        List<AddressRange> out = new ArrayList<>();
        for (ListFile.Line line : ListFile.read(file)) {
            String text = line.text().replaceFirst("#.*", "").trim();
            if (!text.isEmpty()) {
                try {
                    out.addAll(parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(line.error(e.getMessage()).getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no source addresses in it");
        }
        return out;
    }

    /** The ranges that {@code keep} accepts, or null when none does. */
    SourceRanges only(Predicate<AddressRange> keep) {
        List<AddressRange> kept = ranges.stream().filter(keep).toList();
        return kept.isEmpty() ? null : new SourceRanges(kept);
    }

    /** How many addresses all ranges hold. */
    public long size() {
        return size;
    }

    public List<AddressRange> ranges() {
        return ranges;
    }

    /** The address at {@code index} (0 <= index < size) with its range's port. */
    public InetSocketAddress address(long index) {
        Objects.checkIndex(index, size);
        int at = Arrays.binarySearch(starts, index);
        int range = at >= 0 ? at : -at - 2;
        AddressRange r = ranges.get(range);
        return new InetSocketAddress(r.get(index - starts[range]), r.port());
    }

    @Override
    public String toString() {
        return ranges.stream().map(AddressRange::toString).collect(Collectors.joining(","));
    }
}
