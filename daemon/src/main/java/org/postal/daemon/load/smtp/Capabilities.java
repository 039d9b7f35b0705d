// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.util.List;
import java.util.Locale;

/**
 * What a server's EHLO/LHLO reply offers (RFC 5321 section 4.1.1.1); HELO offers nothing.
 *
 * @param maxSize the SIZE limit, 0 when none was given, -1 when SIZE was not offered
 */
record Capabilities(boolean pipelining, boolean chunking, boolean starttls, boolean smtputf8, boolean authPlain,
                    boolean authLogin, long maxSize) {

    static final Capabilities NONE = new Capabilities(false, false, false, false, false, false, -1);

    static Capabilities parse(List<String> lines) {
        boolean pipelining = false;
        boolean chunking = false;
        boolean starttls = false;
        boolean smtputf8 = false;
        boolean plain = false;
        boolean login = false;
        long size = -1;
        for (int i = 1; i < lines.size(); i++) {
            String[] words = words(lines.get(i));
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "CHUNKING" -> chunking = true;
                case "STARTTLS" -> starttls = true;
                case "SMTPUTF8" -> smtputf8 = true;
                case "SIZE" -> size = words.length > 1 && number(words[1]) ? Long.parseLong(words[1]) : 0;
                case "AUTH" -> {
                    for (int w = 1; w < words.length; w++) {
                        plain |= words[w].equals("PLAIN");
                        login |= words[w].equals("LOGIN");
                    }
                }
                default -> {
                    // Extensions postal does not use.
                }
            }
        }
        return new Capabilities(pipelining, chunking, starttls, smtputf8, plain, login, size);
    }

    /** 1 to 18 ASCII digits: a SIZE limit that fits a long. */
    private static boolean number(String word) {
        if (word.isEmpty() || word.length() > 18) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) < '0' || word.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The keyword and its parameters, upper case, split at blanks and '=' (AUTH=LOGIN from old servers); no regex per EHLO. */
    private static String[] words(String line) {
        java.util.List<String> out = new java.util.ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            char c = i < line.length() ? line.charAt(i) : ' ';
            boolean separator = c == ' ' || c == '=' || c == '\t';
            if (separator && start >= 0) {
                out.add(line.substring(start, i).toUpperCase(Locale.ROOT));
                start = -1;
            } else if (!separator && start < 0) {
                start = i;
            }
        }
        return out.isEmpty() ? new String[] {""} : out.toArray(String[]::new);
    }
}
