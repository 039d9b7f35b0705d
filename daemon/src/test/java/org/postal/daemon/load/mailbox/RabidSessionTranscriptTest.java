// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postal.daemon.TrackingAllocator;

/**
 * Replays every dialogue in {@code src/test/resources/transcripts/rabid/*.txt} into one rabid
 * POP3 or IMAP session over an {@link EmbeddedChannel} (the protocol's response decoder, then
 * the session, driven through a {@link TestHost}), fed whole, one byte per read, and in random
 * splits, with every buffer tracked. Most dialogues were captured from Dovecot 2.3 by
 * {@code tests/tools/capture-rabid}; the error cases are written by hand.
 *
 * <p>Here the client is ours, so a transcript says what the server sends and what rabid must send:
 * <pre>
 * # comment            ignored, as are blank lines
 * protocol: pop3|imap  which session (first line that is not a comment)
 * plan: WORDS          tls (ask for STLS/STARTTLS), implicit-tls, sasl, login=NAME, password=PW,
 *                      per-connection=N (-c), download=D:X (-d), seed=S (the draws of slot 1 of
 *                      rabid -p 1 --seed S with a one-account list), limit=OCTETS (largest message)
 * S: TEXT              the server sends TEXT and CRLF
 * R: TEXT              the server sends TEXT raw, with escapes \r \n \\ and nothing added
 * C: TEXT              the next command rabid sent is exactly TEXT
 * E: EVENT             the next thing the session told its host: starttls, failed PHASE WHAT,
 *                      message verified|corrupt|unsigned, done, done trouble
 * tls: ok|fail         the handshake the session asked for ends so
 * stop                 the run starts stopping
 * close                the server closes the connection
 * </pre>
 * Server input is held back and fed when the next C:, E:, tls, stop or close line comes. At the
 * end every command and event must have been expected. Besides, each dialogue is replayed cut
 * short after the first and the last line of each burst of server lines, and the session must then end ("closed") and free all.
 */
class RabidSessionTranscriptTest {

    /** How the server's input is cut into reads. */
    enum Feed { WHOLE, BYTES, RANDOM }

    private static final String DIRECTORY = "/transcripts/rabid";
    private static ResourceLeakDetector.Level leakLevel;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final StringBuilder pending = new StringBuilder();
    private final SplittableRandom splits = new SplittableRandom(42);
    private EmbeddedChannel channel;
    private TestHost host;
    private Feed feed;

    @BeforeAll
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    static List<String> names() throws IOException, URISyntaxException {
        Path dir = Path.of(RabidSessionTranscriptTest.class.getResource(DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .sorted().toList();
            assertThat(names).as("transcripts found").isNotEmpty();
            return names;
        }
    }

    static Stream<Arguments> transcripts() throws IOException, URISyntaxException {
        return names().stream().flatMap(name -> Stream.of(Feed.values()).map(feed -> Arguments.of(name, feed)));
    }

    /** Each transcript, cut after each of its server lines (where rabid still waits for more). */
    static Stream<Arguments> cuts() throws IOException, URISyntaxException {
        List<Arguments> cases = new ArrayList<>();
        for (String name : names()) {
            List<String> lines = read(name);
            // The first and last line of each burst the server sends: every step of the automaton.
            IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("S:")
                    && (!lines.get(i - 1).startsWith("S:") || !lines.get(i + 1).startsWith("S:")))
                    .forEach(i -> cases.add(Arguments.of(name, i + 1)));
        }
        return cases.stream();
    }

    @AfterEach
    void releaseEverything() {
        if (channel != null) {
            channel.finishAndReleaseAll();
            host.end();
            assertThat(alloc.unreleased()).as("buffers still held after the session").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} fed {1}")
    @MethodSource("transcripts")
    void transcript(String name, Feed feed) throws Exception {
        this.feed = feed;
        List<String> lines = read(name);
        for (int i = 0; i < lines.size(); i++) {
            step(name + ":" + (i + 1), lines.get(i));
        }
        feedPending();
        assertThat(host.sent).as(name + ": commands nobody expected").isEmpty();
        assertThat(host.events).as(name + ": events nobody expected").isEmpty();
    }

    @ParameterizedTest(name = "{0} closed after line {1}")
    @MethodSource("cuts")
    void closedEarly(String name, int cut) throws Exception {
        this.feed = Feed.WHOLE;
        List<String> lines = read(name);
        for (int i = 0; i < cut; i++) {
            String line = lines.get(i);
            if (line.startsWith("protocol:") || line.startsWith("plan:") || line.startsWith("S:")
                    || line.startsWith("R:") || line.startsWith("tls:") || line.equals("stop")) {
                step(name + ":" + (i + 1), line);
            }
        }
        feedPending();
        boolean over = host.done;
        channel.close();
        channel.runPendingTasks();
        assertThat(host.done).as("the session ended").isTrue();
        if (!over) {
            assertThat(host.events).as("what the session reported").last().isEqualTo("done trouble");
            assertThat(host.events.stream().filter(e -> e.startsWith("failed ") && e.endsWith(" closed")))
                    .as("the close is counted as a failure").hasSize(1);
        }
    }

    private static List<String> read(String name) throws IOException, URISyntaxException {
        return Files.readAllLines(Path.of(RabidSessionTranscriptTest.class.getResource(DIRECTORY + "/" + name)
                .toURI()), UTF_8);
    }

    private void step(String where, String line) throws Exception {
        if (line.isBlank() || line.startsWith("#")) {
            return;
        }
        if (line.startsWith("protocol:")) {
            host = new TestHost(line.substring(9).trim());
        } else if (line.startsWith("plan:")) {
            start(line.substring(5).trim());
        } else if (line.startsWith("S: ") || line.equals("S:")) {
            pending.append(line.length() > 3 ? line.substring(3) : "").append("\r\n");
        } else if (line.startsWith("R: ")) {
            pending.append(line.substring(3).replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\"));
        } else if (line.startsWith("C: ")) {
            feedPending();
            assertThat(host.sent).as(where + ": a command was sent").isNotEmpty();
            assertThat(host.sent.remove(0)).as(where).isEqualTo(line.substring(3));
        } else if (line.startsWith("E: ")) {
            feedPending();
            assertThat(host.events).as(where + ": an event came").isNotEmpty();
            assertThat(host.events.remove(0)).as(where).isEqualTo(line.substring(3));
        } else if (line.startsWith("tls:")) {
            feedPending();
            host.handshake(line.substring(4).trim().equals("ok"));
        } else if (line.equals("stop")) {
            feedPending();
            host.stopping = true;
        } else if (line.equals("close")) {
            feedPending();
            channel.close();
            channel.runPendingTasks();
        } else {
            fail(where + ": cannot read transcript line \"" + line + "\"");
        }
    }

    private void start(String plan) throws Exception {
        channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        host.start(channel, plan);
        channel.register();
        host.session.start();
    }

    /** Feeds the held-back server input, whole, a byte per read, or in random pieces. */
    private void feedPending() {
        byte[] input = pending.toString().getBytes(UTF_8);
        pending.setLength(0);
        for (int i = 0; i < input.length && channel.isOpen(); ) {
            int step = switch (feed) {
                case WHOLE -> input.length;
                case BYTES -> 1;
                case RANDOM -> 1 + splits.nextInt(Math.min(input.length - i, 64));
            };
            step = Math.min(step, input.length - i);
            ByteBuf buf = alloc.buffer(step);
            buf.writeBytes(input, i, step);
            channel.writeInbound(buf);
            i += step;
        }
        channel.runPendingTasks();
    }
}
