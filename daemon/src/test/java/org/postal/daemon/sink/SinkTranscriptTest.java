// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postal.daemon.TrackingAllocator;
import org.postal.daemon.config.Durations;

/**
 * Runs every dialogue in {@code src/test/resources/transcripts/*.txt} against one bhm session
 * on an {@link EmbeddedChannel}, laid out by {@link SinkInitializer#build}.
 *
 * <p>A transcript is read line by line:
 * <pre>
 * # comment            ignored, as are blank lines
 * args: OPTIONS        bhm options, as on its command line (before the dialogue; may repeat);
 *                      --hostname bhm.test is added unless given, and $TMP names a fresh directory
 * users: LINE          one line of the user list ("address password [action]"); the lines are
 *                      written to a temporary file passed as bhm's user-list argument
 * full: NAME           $TMP/NAME is a link to /dev/full: every write to it fails (a full disk)
 * peer: ADDRESS        the client's IP address (an embedded channel has none), as a PROXY header sets it
 * split: whole         feed the client's input only in whole (default: also byte by byte)
 * C: TEXT              the client sends TEXT and CRLF
 * R: TEXT              the client sends TEXT as raw octets, with escapes \r \n \t \0 \\ and
 *                      nothing added
 * S: TEXT              the next reply line is exactly TEXT; a trailing * matches any rest
 * closed               the server has closed the connection
 * eof                  the client closes the connection
 * wait: DURATION       real time passes (e.g. 150ms), then timers that are due run
 * stats: K=V ...       counters: messages, bytes, errors, connections, verified, corrupt,
 *                      unsigned, log_failures, sessions (open now), clients (distinct), a rule's count by its JSON key
 *                      (e.g. pregreet=1), or a reply code (e.g. 550=2) for rejections with that code
 * </pre>
 * Client input is held back and sent in one piece (or one byte per read) when the next
 * expectation comes, so consecutive C: lines are pipelined. At the end every reply line must
 * have been expected, and every buffer the session allocated must have been released.
 */
class SinkTranscriptTest {

    /** How the client's input is cut into reads. */
    enum Feed { WHOLE, BYTES }

    private static final String DIRECTORY = "/transcripts";

    @TempDir
    Path tmp;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private EmbeddedChannel channel;
    private SinkServices services;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder received = new StringBuilder();
    private Feed feed;

    static Stream<Arguments> transcripts() throws IOException, URISyntaxException {
        Path dir = Path.of(SinkTranscriptTest.class.getResource(DIRECTORY).toURI());
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                boolean wholeOnly = Files.readAllLines(file, UTF_8).stream()
                        .anyMatch(line -> line.strip().equals("split: whole"));
                cases.add(Arguments.of(file.getFileName().toString(), Feed.WHOLE));
                if (!wholeOnly) {
                    cases.add(Arguments.of(file.getFileName().toString(), Feed.BYTES));
                }
            }
        }
        assertThat(cases).as("transcripts found").isNotEmpty();
        return cases.stream();
    }

    @AfterEach
    void releaseEverything() {
        if (channel != null) {
            channel.finishAndReleaseAll();
            assertThat(alloc.unreleased()).as("buffers still held after the session").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} fed {1}")
    @MethodSource("transcripts")
    void transcript(String name, Feed feed) throws Exception {
        this.feed = feed;
        Path file = Path.of(getClass().getResource(DIRECTORY + "/" + name).toURI());
        List<String> lines = Files.readAllLines(file, UTF_8);
        List<String> args = new ArrayList<>();
        List<String> users = new ArrayList<>();
        String peer = null;
        int first = 0;
        for (; first < lines.size(); first++) {
            String line = lines.get(first);
            if (line.startsWith("args:")) {
                args.addAll(Arrays.asList(line.substring(5).trim().replace("$TMP", tmp.toString()).split("\\s+")));
            } else if (line.startsWith("users:")) {
                users.add(line.substring(6).trim());
            } else if (line.startsWith("peer:")) {
                peer = line.substring(5).trim();
            } else if (line.startsWith("full:")) {
                Files.createSymbolicLink(tmp.resolve(line.substring(5).trim()), Path.of("/dev/full"));
            } else if (!line.isBlank() && !line.startsWith("#") && !line.strip().equals("split: whole")) {
                break;
            }
        }
        start(args, users, peer);
        for (int i = first; i < lines.size(); i++) {
            step(name + ":" + (i + 1), lines.get(i));
        }
        send();
        assertThat(received.toString()).as(name + ": replies nobody expected").isEmpty();
    }

    private void start(List<String> args, List<String> users, String peer) throws Exception {
        if (args.stream().noneMatch(a -> a.startsWith("--hostname"))) {
            args.add(0, "--hostname=bhm.test");
        }
        args.removeIf(String::isEmpty);
        if (!users.isEmpty()) {
            Path list = tmp.resolve("users.txt");
            Files.write(list, users, UTF_8);
            args.add(list.toString());
        }
        picocli.CommandLine cli = new picocli.CommandLine(new SinkCommand());
        cli.parseArgs(args.toArray(String[]::new));
        SinkConfig config = ((SinkCommand) cli.getCommand()).toConfig();
        services = SinkServices.create(config, () -> { });
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        new SinkInitializer(services, false, null).build(channel);
        if (peer != null) {
            channel.attr(ClientAddress.ANNOUNCED_CLIENT).set(new java.net.InetSocketAddress(
                    java.net.InetAddress.getByName(peer), 40000));
        }
        channel.register();
    }

    private void step(String where, String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return;
        }
        if (line.startsWith("C: ") || line.equals("C:")) {
            write(line.substring(Math.min(3, line.length())) + "\r\n");
        } else if (line.startsWith("R: ")) {
            write(unescape(line.substring(3)));
        } else if (line.startsWith("S: ")) {
            send();
            expectReply(where, line.substring(3));
        } else if (line.equals("closed")) {
            send();
            assertThat(channel.isOpen()).as(where + ": connection closed").isFalse();
        } else if (line.equals("eof")) {
            send();
            channel.close();
            channel.runPendingTasks();
        } else if (line.startsWith("wait:")) {
            send();
            pause(Durations.parse(line.substring(5)));
            channel.runScheduledPendingTasks();
            send();
        } else if (line.startsWith("stats:")) {
            send();
            checkStats(where, line.substring(6).trim());
        } else {
            fail(where + ": cannot read transcript line \"" + line + "\"");
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void write(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        pending.write(bytes, 0, bytes.length);
    }

    /** Sends the held-back input, as one read or one read per byte, and collects the replies. */
    private void send() {
        byte[] input = pending.toByteArray();
        pending.reset();
        int step = feed == Feed.WHOLE ? Math.max(1, input.length) : 1;
        for (int i = 0; i < input.length && channel.isOpen(); i += step) {
            ByteBuf buf = alloc.buffer(step);
            buf.writeBytes(input, i, Math.min(step, input.length - i));
            channel.writeInbound(buf);
        }
        channel.runPendingTasks();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            received.append(buf.toString(UTF_8));
            buf.release();
        }
    }

    private void expectReply(String where, String expected) {
        int crlf = received.indexOf("\r\n");
        if (crlf < 0) {
            fail(where + ": expected \"" + expected + "\" but "
                    + (received.isEmpty() ? "no reply came" : "got an unterminated \"" + received + "\"")
                    + (channel.isOpen() ? "" : " (connection closed)"));
        }
        String line = received.substring(0, crlf);
        received.delete(0, crlf + 2);
        assertThat(line).as(where + ": reply line without bare LF").doesNotContain("\n");
        if (expected.endsWith("*")) {
            assertThat(line).as(where).startsWith(expected.substring(0, expected.length() - 1));
        } else {
            assertThat(line).as(where).isEqualTo(expected);
        }
    }

    private void checkStats(String where, String spec) {
        SinkStats.Snapshot s = services.stats().snapshot();
        for (String pair : spec.split("\\s+")) {
            String[] kv = pair.split("=", 2);
            long want = Long.parseLong(kv[1]);
            long have = switch (kv[0]) {
                case "messages" -> s.messages();
                case "bytes" -> s.bytes();
                case "errors" -> s.errors();
                case "connections" -> s.connections();
                case "verified" -> s.verified();
                case "corrupt" -> s.corrupt();
                case "unsigned" -> s.unsigned();
                case "sessions" -> services.slots().inUse();
                case "clients" -> services.stats().clients.distinct();
                case "log_failures" -> services.stats().messageLogFailures.count()
                        + services.settings().transcripts().failures().lost();
                default -> {
                    for (Fired rule : Fired.values()) {
                        if (rule.key().equals(kv[0])) {
                            yield s.fired(rule);
                        }
                    }
                    if (!kv[0].matches("[45][0-9][0-9]")) {
                        fail(where + ": unknown counter " + kv[0]);
                    }
                    yield s.rejects().getOrDefault(Integer.parseInt(kv[0]), 0L);
                }
            };
            assertThat(have).as(where + ": " + kv[0]).isEqualTo(want);
        }
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            out.append(switch (e) {
                case 'r' -> '\r';
                case 'n' -> '\n';
                case 't' -> '\t';
                case '0' -> '\0';
                case '\\' -> '\\';
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + text);
            });
        }
        return out.toString();
    }
}
