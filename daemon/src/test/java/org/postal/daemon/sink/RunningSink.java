// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** A bhm started in-process on port 0 from command-line arguments, for socket tests. */
final class RunningSink implements AutoCloseable {

    private final ByteArrayOutputStream rows = new ByteArrayOutputStream();
    private final Sink sink;

    RunningSink(String... args) throws Exception {
        SinkCommand command = new SinkCommand();
        new CommandLine(command).parseArgs(withDefaults(args));
        sink = Sink.start(command.toConfig(), new PrintStream(rows, true, StandardCharsets.UTF_8));
    }

    private static String[] withDefaults(String[] args) {
        String[] all = new String[args.length + 4];
        all[0] = "--port";
        all[1] = "0";
        all[2] = "--json";
        all[3] = "--interval=1h";
        System.arraycopy(args, 0, all, 4, args.length);
        return all;
    }

    /** The first (plain) listener. */
    InetSocketAddress address() {
        return sink.addresses().get(0);
    }

    /** The implicit-TLS listener, when --tls-port was given. */
    InetSocketAddress tlsAddress() {
        return sink.addresses().get(1);
    }

    SinkStats.Snapshot stats() {
        return sink.snapshot();
    }

    /** Waits until no session is open, so the next one takes slot 1 again. */
    void awaitIdle() throws InterruptedException {
        for (int i = 0; i < 100 && sink.sessions() > 0; i++) {
            Thread.sleep(20);
        }
    }

    Sink sink() {
        return sink;
    }

    /** What the sink printed on stdout so far. */
    String rows() {
        return rows.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sink.close();
    }
}
