// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a config file such as {@code /etc/postal/bhm.conf}, in file order, checked for
 * syntax only (which keys a program takes is {@link FileDefaults}'s business).
 *
 * <pre>
 * line    = *WSP [ setting ] *WSP [ comment ]       ; a comment starts a line or follows a blank
 * setting = key *WSP "=" *WSP ( quoted / bare )
 * key     = 1*( ALPHA / DIGIT / "-" / "_" / "." )   ; a long option without its "--"
 * quoted  = DQUOTE *( %x20-21 / %x23-5B / %x5D-10FFFF / "\" DQUOTE / "\\" ) DQUOTE
 * comment = "#" *VCHAR-or-WSP
 * </pre>
 *
 * <p>The file is UTF-8, at most {@link #MAX_SIZE} bytes, lines end in LF or CR LF; a key may be
 * set once.
 */
public record ConfigFile(Path file, List<Setting> settings) {

    /** Far more than every key of a program with a long comment each. */
    public static final int MAX_SIZE = 1 << 20;
    /** Longest line, in bytes, without its end. */
    public static final int MAX_LINE = 4096;

    /** One {@code key = value} line: the value without quotes, escapes or comment. */
    public record Setting(String key, String value, int line) {
    }

    public ConfigFile {
        settings = List.copyOf(settings);
    }

    /** Reads and checks a file; the error names the file, the line and what is wrong. */
    public static ConfigFile read(Path file) throws ConfigError {
        if (Files.isDirectory(file)) {
            throw ConfigError.cannotRead(file, "is a directory");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        } catch (NoSuchFileException e) {
            throw ConfigError.cannotRead(file, "no such file");
        } catch (AccessDeniedException e) {
            throw ConfigError.cannotRead(file, "permission denied");
        } catch (IOException e) {
            throw ConfigError.cannotRead(file, String.valueOf(e.getMessage()));
        }
        if (bytes.length > MAX_SIZE) {
            throw ConfigError.in(file, "larger than " + (MAX_SIZE >> 20) + " MiB");
        }
        return parse(file, bytes);
    }

    /** Parses the bytes of a file named {@code file} in messages. */
    public static ConfigFile parse(Path file, byte[] bytes) throws ConfigError {
        List<Setting> settings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        int number = 0;
        while (start < bytes.length) {
            number++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int length = end - start;
            if (length > 0 && bytes[end - 1] == '\r') {
                length--;
            }
            if (length > MAX_LINE) {
                throw ConfigError.at(file, number, "line longer than " + MAX_LINE + " bytes");
            }
            Setting setting = setting(file, number, decode(file, number, bytes, start, length));
            if (setting != null) {
                Integer first = seen.putIfAbsent(setting.key(), number);
                if (first != null) {
                    throw ConfigError.at(file, number, setting.key() + " is set twice (first on line " + first + ")");
                }
                settings.add(setting);
            }
            start = end + 1;
        }
        return new ConfigFile(file, settings);
    }

    private static String decode(Path file, int number, byte[] bytes, int start, int length) throws ConfigError {
        String line;
        try {
            line = UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, length)).toString();
        } catch (CharacterCodingException e) {
            throw ConfigError.at(file, number, "not UTF-8 text");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw ConfigError.at(file, number, String.format("control character U+%04X", (int) c));
            }
        }
        return line;
    }

    /** The setting on a line, or null for a blank or comment line. */
    private static Setting setting(Path file, int number, String line) throws ConfigError {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int equals = text.indexOf('=');
        if (equals < 0) {
            String[] words = text.split("[ \t]+", 2);
            throw ConfigError.at(file, number, "expected \"key = value\""
                    + (words.length == 2 ? ", as in \"" + words[0] + " = " + words[1] + "\"" : ""));
        }
        String key = text.substring(0, equals).strip();
        if (!key.matches("[A-Za-z0-9._-]+")) {
            throw ConfigError.at(file, number, key.isEmpty() ? "no key before \"=\""
                    : "bad key \"" + key + "\": expected \"key = value\" with a key such as max-size");
        }
        String rest = text.substring(equals + 1).strip();
        String value = rest.startsWith("\"") ? quoted(file, number, rest) : bare(rest);
        if (value.isEmpty()) {
            throw ConfigError.at(file, number, "no value for " + key + " (comment the line out to keep the default)");
        }
        return new Setting(key, value, number);
    }

    /** A value up to a "#" that follows a blank: "a#b" keeps its "#", "a #b" does not. */
    private static String bare(String rest) {
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '#' && (i == 0 || rest.charAt(i - 1) == ' ' || rest.charAt(i - 1) == '\t')) {
                return rest.substring(0, i).strip();
            }
        }
        return rest;
    }

    private static String quoted(Path file, int number, String rest) throws ConfigError {
        StringBuilder value = new StringBuilder();
        int i = 1;
        while (true) {
            if (i == rest.length()) {
                throw ConfigError.at(file, number, "no closing quote");
            }
            char c = rest.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                char next = i < rest.length() ? rest.charAt(i) : 0;
                if (next != '"' && next != '\\') {
                    throw ConfigError.at(file, number, "in quotes, a backslash goes before \" or \\ only");
                }
                c = next;
                i++;
            }
            value.append(c);
        }
        String after = rest.substring(i).strip();
        if (!after.isEmpty() && !after.startsWith("#")) {
            throw ConfigError.at(file, number, "text after the closing quote: " + after);
        }
        return value.toString();
    }
}
