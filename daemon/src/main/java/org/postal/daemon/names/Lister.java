// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.List;
import java.util.Optional;

/** Prints each name under the first rule that matches it, streaming: nothing is kept between lines. */
final class Lister {

    private final ConversionFile conversion;
    private final Writer out;
    private final PrintStream err;
    private final StringBuilder line = new StringBuilder();
    private char[] chars = new char[256];

    Lister(ConversionFile conversion, Writer out, PrintStream err) {
        this.conversion = conversion;
        this.out = out;
        this.err = err;
    }

    /**
     * Lists every non-empty line of {@code names}: comment lines ({@code #}) and names no rule
     * matches as they are, others expanded. Returns how many names were too short for their rule.
     */
    long list(Lines names) throws IOException, InputError {
        long skipped = 0;
        for (String name = names.next(); name != null; name = names.next()) {
            if (name.isEmpty()) {
                continue;
            }
            Optional<Rule> rule = name.startsWith("#") ? Optional.empty() : conversion.ruleFor(name);
            if (rule.isEmpty()) {
                out.write(name);
                out.write('\n');
            } else if (name.codePointCount(0, name.length()) < rule.get().positions().size()) {
                err.printf("postal-list: %s: \"%s\" is shorter than the %d positions of the rule at %s; skipped%n",
                        names.where(), name, rule.get().positions().size(), rule.get().where());
                skipped++;
            } else {
                expand(rule.get().positions(), name);
            }
        }
        return skipped;
    }

    /** Every combination, odometer style: the last position varies fastest; the rest of the name is kept. */
    private void expand(List<Position> rule, String name) throws IOException {
        int k = rule.size();
        Position[] positions = rule.toArray(new Position[0]);
        int[] original = name.codePoints().limit(k).toArray();
        String rest = name.substring(name.offsetByCodePoints(0, k));
        long[] sizes = new long[k];
        for (int i = 0; i < k; i++) {
            sizes[i] = positions[i].size();
        }
        long[] digits = new long[k];
        while (true) {
            line.setLength(0);
            for (int i = 0; i < k; i++) {
                line.appendCodePoint(positions[i].pick(digits[i], original[i]));
            }
            line.append(rest).append('\n');
            write(line);
            int i = k - 1;
            while (i >= 0 && ++digits[i] == sizes[i]) {
                digits[i] = 0;
                i--;
            }
            if (i < 0) {
                return;
            }
        }
    }

    private void write(StringBuilder text) throws IOException {
        if (chars.length < text.length()) {
            chars = new char[Math.max(text.length(), 2 * chars.length)];
        }
        text.getChars(0, text.length(), chars, 0);
        out.write(chars, 0, text.length());
    }
}
