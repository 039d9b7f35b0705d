// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.ProtocolException;
import org.postal.ctl.protocol.Response;

/**
 * One control command on daemons of other machines, through OpenSSH: no control socket ever
 * listens on the network. For each host, {@code ssh -o BatchMode=yes HOST postalctl --json ...}
 * runs the remote postalctl against its own sockets, under the remote account's rights and
 * SELinux domain; the hosts are asked side by side and each answer is waited for, bounded.
 *
 * <p>{@code POSTALCTL_SSH} replaces the ssh command (words split at spaces, as for
 * {@code GIT_SSH_COMMAND}: {@code "ssh -i KEY -p 2222"}); {@code POSTALCTL_REMOTE} the remote
 * program (default {@code postalctl} on the remote PATH).
 */
final class Fleet {

    /** Time for ssh to connect and log in, on top of the command's own. */
    static final long SSH_MILLIS = 15_000;

    /** A host's answer: the daemon's response, or why there is none. */
    record Answer(String host, Response response, String failure) {

        boolean ok() {
            return response != null && response.ok();
        }
    }

    private final List<String> ssh;
    private final String remote;
    private final long sshMillis;

    Fleet(Map<String, String> environment) {
        this(environment, SSH_MILLIS);
    }

    Fleet(Map<String, String> environment, long sshMillis) {
        this.sshMillis = sshMillis;
        String command = environment.getOrDefault("POSTALCTL_SSH", "").strip();
        this.ssh = command.isEmpty() ? List.of("ssh") : List.of(command.split("\\s+"));
        String program = environment.getOrDefault("POSTALCTL_REMOTE", "").strip();
        this.remote = program.isEmpty() ? "postalctl" : program;
    }

    /** The ssh command line for one host: the remote command is one string, its words quoted for sh. */
    List<String> commandLine(String host, List<String> remoteArgs) {
        List<String> line = new ArrayList<>(ssh);
        line.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=" + Math.max(1, sshMillis / 1000), "--", host));
        StringBuilder command = new StringBuilder(quote(remote));
        for (String arg : remoteArgs) {
            command.append(' ').append(quote(arg));
        }
        line.add(command.toString());
        return line;
    }

    /** Runs {@code postalctl --json REMOTE-ARGS} on every host at once; answers in the hosts' order. */
    List<Answer> call(List<String> hosts, List<String> remoteArgs, long timeoutMillis) throws IOException {
        Path work = Files.createTempDirectory("postalctl-");
        try {
            List<Process> running = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                ProcessBuilder builder = new ProcessBuilder(commandLine(hosts.get(i), remoteArgs))
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(work.resolve(i + ".out").toFile())
                        .redirectError(work.resolve(i + ".err").toFile());
                running.add(builder.start());
            }
            long limit = timeoutMillis + sshMillis;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                answers.add(answer(hosts.get(i), running.get(i), work.resolve(i + ".out"), work.resolve(i + ".err"),
                        deadline, limit / 1000));
            }
            return answers;
        } finally {
            try (var files = Files.list(work)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static Answer answer(String host, Process process, Path out, Path err, long deadline, long seconds)
            throws IOException {
        try {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return new Answer(host, null, "no answer within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String line = firstLine(out);
        if (!line.isEmpty()) {
            try {
                return new Answer(host, ControlCodec.decodeResponse(line), null);
            } catch (ProtocolException e) {
                return new Answer(host, null, "unreadable answer: " + e.getMessage());
            }
        }
        // No JSON line: ssh (255) or the remote postalctl (usage, unreachable daemon) said why on stderr.
        String reason = firstLine(err);
        return new Answer(host, null, (reason.isEmpty() ? "" : reason + " ") + "(exit " + process.exitValue() + ")");
    }

    /** The first line of a file, at most one response line long. */
    private static String firstLine(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(ControlCodec.MAX_RESPONSE_LINE + 1);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /** {@code arg} as one word for a POSIX shell: single-quoted, embedded quotes closed and escaped. */
    static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Merged results in the hosts' order, for {@link Merge}. */
    static Map<String, Map<String, Object>> results(List<Answer> answers) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Answer answer : answers) {
            if (answer.ok()) {
                out.put(answer.host(), answer.response().result());
            }
        }
        return out;
    }
}
