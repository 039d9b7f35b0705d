// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The rules of a conversion file, in file order; the first whose pattern matches a name applies. */
record ConversionFile(List<Rule> rules) {

    /** What conversion file {@code -} means: no rules, every name printed as it is. */
    static final ConversionFile NONE = new ConversionFile(List.of());

    /** A rule line: a pattern, then blanks and a replacement, or only a pattern (nothing replaced). */
    private static final Pattern LINE = Pattern.compile("[ \\t]*(\\S+)(?:[ \\t]+(\\S+))?[ \\t]*");

    ConversionFile {
        rules = List.copyOf(rules);
    }

    /**
     * Reads rules until the end of {@code lines}: blank lines and lines whose first non-blank is
     * {@code #} are skipped; a rule making more than {@code max} names of one is refused.
     */
    static ConversionFile read(Lines lines, long max) throws IOException, InputError {
        List<Rule> rules = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Matcher fields = LINE.matcher(line);
            if (!fields.matches()) {
                throw new InputError(lines.where(), "Can't parse pattern line \"" + line + "\"");
            }
            Rule rule = new Rule(compile(fields.group(1), lines.where()),
                    Replacement.parse(fields.group(2) == null ? "" : fields.group(2), lines.where()), lines.where());
            if (rule.combinations() > max) {
                throw new InputError(lines.where(), "\"" + fields.group(2) + "\" makes "
                        + (rule.combinations() == Long.MAX_VALUE ? "too many" : rule.combinations())
                        + " names of each name, more than --max " + max);
            }
            rules.add(rule);
        }
        return new ConversionFile(rules);
    }

    /** The first rule whose pattern matches {@code name}. */
    Optional<Rule> ruleFor(String name) {
        for (Rule rule : rules) {
            if (rule.matches(name)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static Pattern compile(String regex, String where) throws InputError {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InputError(where, "Can't compile pattern \"" + regex + "\": " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }
}
