// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code class} label of an error: {@code 4xx} or {@code 5xx} for a reply code, else the
 * program's word for it (timeout, refused, closed) as a label value. At most {@value #MAX} words are
 * kept; any further ones count as {@code other}, so a server that invents errors cannot make the
 * series grow without bound.
 */
final class ErrorClasses {

    static final int MAX = 32;
    static final String OTHER = "other";

    private final Set<String> words = ConcurrentHashMap.newKeySet();

    String of(String detail) {
        String d = detail.trim();
        if (d.length() >= 3 && d.chars().limit(3).allMatch(Character::isDigit)
                && (d.length() == 3 || d.charAt(3) == ' ')) {
            return d.charAt(0) + "xx";
        }
        String word = d.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (word.isEmpty() || word.length() > 40) {
            return OTHER;
        }
        if (words.contains(word)) {
            return word;
        }
        synchronized (words) {
            if (words.size() < MAX) {
                words.add(word);
                return word;
            }
        }
        return words.contains(word) ? word : OTHER;
    }
}
