// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postal.daemon.report.StatisticsTicker;
import org.postal.daemon.service.ListenFds;
import org.postal.daemon.service.Monitored;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running bhm: its files loaded, listeners bound, statistics printing; {@link #close} stops it. */
public final class Sink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sink.class);

    private final SinkConfig config;
    private final SinkServices services;
    private final SinkServer server;
    private final SinkReporter reporter;
    private final PrintStream out;
    private final CountDownLatch stopRequested;
    private StatisticsTicker ticker;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Sink(SinkConfig config, SinkServices services, CountDownLatch stopRequested, PrintStream out) {
        this.config = config;
        this.stopRequested = stopRequested;
        this.services = services;
        this.out = out;
        this.server = new SinkServer(services);
        this.reporter = new SinkReporter(services.stats(), out, config.output().json(), config.output().interval(),
                Clock.systemDefaultZone());
    }

    /**
     * Loads the user list, host names and certificate, binds every listener and starts the rows.
     *
     * @throws IOException when a file named in the config cannot be used (message says which and why)
     */
    public static Sink start(SinkConfig config, PrintStream out) throws IOException, InterruptedException {
        return start(config, out, List.of());
    }

    /**
     * As {@link #start(SinkConfig, PrintStream)}, but listening on {@code passed} (sockets from
     * systemd socket activation or bound by jsvc as root) instead of binding, when there are any.
     */
    public static Sink start(SinkConfig config, PrintStream out, List<ListenFds.Passed> passed)
            throws IOException, InterruptedException {
        CountDownLatch stopRequested = new CountDownLatch(1);
        SinkServices services = SinkServices.create(config, stopRequested::countDown);
        Sink sink = new Sink(config, services, stopRequested, out);
        sink.server.start(passed);
        sink.ticker = StatisticsTicker.start("bhm", sink.reporter, config.output().interval(), () -> { }, LOG::warn);
        sink.ticker.after(config.output().duration(), sink::requestStop);
        LOG.info("{} sink listening on {}", config.listen().lmtp() ? "LMTP" : "SMTP", sink.addresses());
        return sink;
    }

    public List<InetSocketAddress> addresses() {
        return server.addresses();
    }

    /** Asks the sink to stop; {@link #awaitStopRequest} returns. Safe from any thread, any number of times. */
    public void requestStop() {
        stopRequested.countDown();
    }

    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    /** Stops listening, closes sessions with 421, prints the last row and the totals. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopRequested.countDown();
        server.close();
        ticker.close();
        reporter.row();
        String total = reporter.total();
        if (config.output().json()) {
            out.println(total);
            out.flush();
        } else {
            LOG.info(total.substring("bhm: ".length()));
        }
        services.arrivals().close();
        if (services.messageLog() != null) {
            try {
                services.messageLog().close();
            } catch (IOException e) {
                LOG.warn("bhm.log: {}", e.getMessage());
            }
        }
    }

    /** What a sink has received so far, for callers outside this package. */
    public record Received(long messages, long verified, long corrupt, long unsigned, long connections,
                           long tlsConnections, long bytes, long duplicates) {
    }

    public Received received() {
        SinkStats.Snapshot s = services.stats().snapshot();
        return new Received(s.messages(), s.verified(), s.corrupt(), s.unsigned(), s.connections(),
                s.tlsConnections(), s.bytes(), s.duplicates());
    }

    /**
     * A bhm with default settings on a free loopback port, printing no rows: the sink postal uses
     * when it is given no server.
     */
    public static Sink embedded(boolean lmtp) throws IOException, InterruptedException {
        SinkCommand command = new SinkCommand();
        new picocli.CommandLine(command).parseArgs(lmtp ? new String[] {"--port", "0", "--interval", "1h", "--lmtp"}
                : new String[] {"--port", "0", "--interval", "1h"});
        return start(command.toConfig(), new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** What systemd's STATUS= and watchdog look at. */
    public Monitored monitored() {
        return new Monitored(server.group(), config.output().interval(), () -> services.stats().snapshot().messages(),
                () -> {
                    SinkStats.Snapshot s = services.stats().snapshot();
                    return String.format("%d messages (%d corrupt), %d connections, %d sessions open, %d errors",
                            s.messages(), s.corrupt(), s.connections(), services.slots().inUse(), s.errors());
                });
    }

    /** Sessions open now. */
    int sessions() {
        return services.slots().inUse();
    }

    SinkServices services() {
        return services;
    }

    SinkStats.Snapshot snapshot() {
        return services.stats().snapshot();
    }
}
