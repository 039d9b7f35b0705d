// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import java.util.List;

/** One position of a replacement: what the character of the name at that place becomes. */
sealed interface Position permits Position.Keep, Position.Literal, Position.OneOf {

    /** {@code .}: the name's own character. */
    Keep KEEP = new Keep();

    /** How many characters this position offers; at least one. */
    long size();

    /** The {@code index}-th choice, {@code 0 <= index < size()}, for a name whose character here is {@code original}. */
    int pick(long index, int original);

    /** {@code .}: keeps the name's character. */
    record Keep() implements Position {
        @Override
        public long size() {
            return 1;
        }

        @Override
        public int pick(long index, int original) {
            return original;
        }
    }

    /** A character written as itself or as an escape such as {@code \[}: replaces the name's character. */
    record Literal(int codePoint) implements Position {
        public Literal {
            if (!Character.isValidCodePoint(codePoint)) {
                throw new IllegalArgumentException("not a code point: " + codePoint);
            }
        }

        @Override
        public long size() {
            return 1;
        }

        @Override
        public int pick(long index, int original) {
            return codePoint;
        }
    }

    /** {@code [...]}: each character of the set in the order written, ranges in code-point order. */
    record OneOf(List<Range> ranges) implements Position {
        public OneOf {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("empty character set");
            }
        }

        @Override
        public long size() {
            long size = 0;
            for (Range range : ranges) {
                size += range.size();
            }
            return size;
        }

        @Override
        public int pick(long index, int original) {
            long rest = index;
            for (Range range : ranges) {
                if (rest < range.size()) {
                    return (int) (range.first() + rest);
                }
                rest -= range.size();
            }
            throw new IndexOutOfBoundsException(index);
        }
    }

    /** {@code a-z} inside brackets, or a single character as {@code a-a}. */
    record Range(int first, int last) {
        public Range {
            if (!Character.isValidCodePoint(first) || !Character.isValidCodePoint(last) || first > last) {
                throw new IllegalArgumentException("bad range " + first + "-" + last);
            }
        }

        long size() {
            return (long) last - first + 1;
        }
    }
}
