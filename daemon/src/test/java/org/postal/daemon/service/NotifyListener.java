// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import jnr.unixsocket.UnixDatagramChannel;

/** A stand-in for systemd's notification socket: a Unix datagram socket the tests read from. */
public final class NotifyListener implements AutoCloseable {

    private final UnixDatagramChannel channel;
    private final String path;
    private final List<String> received = new ArrayList<>();

    /** Bound at {@code path} ('@name' for the abstract namespace). */
    public NotifyListener(String path) throws IOException {
        this.path = path;
        channel = UnixDatagramChannel.open();
        channel.bind(SdNotify.address(path));
        channel.configureBlocking(false);
    }

    public String path() {
        return path;
    }

    /** Waits up to {@code millis} for a datagram matching {@code wanted}; every datagram read is kept. */
    public String await(Predicate<String> wanted, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (String s : received) {
            if (wanted.test(s)) {
                return s;
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (System.nanoTime() < deadline) {
            buffer.clear();
            try {
                channel.receive(buffer);
            } catch (IOException e) {
                // jnr-unixsocket reports EAGAIN of a non-blocking socket as an exception
                if (!String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                    throw e;
                }
            }
            if (buffer.position() == 0) {
                Thread.sleep(10);
                continue;
            }
            buffer.flip();
            String datagram = StandardCharsets.UTF_8.decode(buffer).toString();
            received.add(datagram);
            if (wanted.test(datagram)) {
                return datagram;
            }
        }
        throw new AssertionError("no matching notification within " + millis + " ms; got " + received);
    }

    /** Every datagram read so far. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
