// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.OutputStream;
import java.io.PrintStream;
import org.postal.daemon.config.ConfigLoader;

/**
 * A bhm on a free loopback port for other packages' tests, with read access to its counters; the
 * arguments may name a config file ({@code --config FILE}), whose port the free one overrides.
 */
public final class SinkHarness implements AutoCloseable {

    private final Sink sink;

    public SinkHarness(String... args) throws Exception {
        SinkCommand command = new SinkCommand();
        String[] all = new String[args.length + 2];
        all[0] = "--port";
        all[1] = "0";
        System.arraycopy(args, 0, all, 2, args.length);
        picocli.CommandLine cli = new picocli.CommandLine(command);
        ConfigLoader.parseArgs(cli, all);
        sink = Sink.start(ConfigLoader.toConfig(cli, SinkCommand::toConfig), new PrintStream(OutputStream.nullOutputStream()));
    }

    public int port() {
        return sink.addresses().get(0).getPort();
    }

    public Sink.Received stats() {
        return sink.received();
    }

    @Override
    public void close() {
        sink.close();
    }
}
