// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** One line of a conversion file: names in which {@code pattern} finds a match get {@code positions}. */
record Rule(Pattern pattern, List<Position> positions, String where) {

    Rule {
        Objects.requireNonNull(pattern, "pattern");
        positions = List.copyOf(positions);
        Objects.requireNonNull(where, "where");
    }

    /** As regexec(3) does: a match anywhere in the name, unless the pattern is anchored. */
    boolean matches(String name) {
        return pattern.matcher(name).find();
    }

    /** How many names this rule makes of one, or {@link Long#MAX_VALUE} if more than that. */
    long combinations() {
        long product = 1;
        for (Position position : positions) {
            long size = position.size();
            if (product > Long.MAX_VALUE / size) {
                return Long.MAX_VALUE;
            }
            product *= size;
        }
        return product;
    }
}
