// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client session captured from a real server, in {@code src/test/resources/transcripts/servers}:
 * {@code C:} lines the client sent, {@code S:} lines the server answered (each CRLF-terminated on
 * the wire), {@code #} comments. (The bhm dialogues one directory up are a different format.)
 */
public record ServerTranscript(List<String> commands, String server) {

    /** Loads {@code transcripts/servers/<name>} from the test class path. */
    public static ServerTranscript load(String name) {
        try (InputStream in = ServerTranscript.class.getResourceAsStream("/transcripts/servers/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            List<String> commands = lines.stream().filter(line -> line.startsWith("C: ")).map(line -> line.substring(3))
                    .toList();
            StringBuilder server = new StringBuilder();
            lines.stream().filter(line -> line.startsWith("S: ") || line.equals("S:"))
                    .forEach(line -> server.append(line.length() > 3 ? line.substring(3) : "").append("\r\n"));
            return new ServerTranscript(commands, server.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
