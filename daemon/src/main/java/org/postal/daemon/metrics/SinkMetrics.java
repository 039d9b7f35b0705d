// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.util.function.ToLongFunction;
import org.postal.daemon.sink.Sink;

/** bhm's metrics, read from the sink's own totals at each scrape. */
final class SinkMetrics {

    private SinkMetrics() {
    }

    static void register(Metrics m, Sink sink) {
        Callbacks callbacks = new Callbacks(m);
        received(callbacks, sink, "postal_messages", "Messages received (once per recipient over LMTP)",
                Sink.Received::messages);
        received(callbacks, sink, "postal_bytes", "Message bytes received", Sink.Received::bytes);
        received(callbacks, sink, "postal_connections", "Connections accepted", Sink.Received::connections);
        received(callbacks, sink, "postal_tls_connections", "Connections that use TLS", Sink.Received::tlsConnections);
        received(callbacks, sink, "postal_verified", "Messages whose X-PostalHash matched", Sink.Received::verified);
        received(callbacks, sink, "postal_corrupt", "Messages whose X-PostalHash did not match",
                Sink.Received::corrupt);
        received(callbacks, sink, "postal_unsigned", "Messages without an X-PostalHash", Sink.Received::unsigned);
        received(callbacks, sink, "postal_duplicates", "Recipients a message came for again",
                Sink.Received::duplicates);
        callbacks.counter("postal_errors", "Protocol errors of clients (bad commands, overlong lines, timeouts)",
                () -> sink.activity().errors());
        CounterWithCallback.builder().name("postal_refusals").labelNames("code").constLabels(m.labels())
                .help("4xx and 5xx replies that refused a client's request, by reply code")
                .callback(c -> sink.activity().refusals().forEach((code, n) -> c.call(n, Integer.toString(code))))
                .register(m.registry());
        callbacks.gauge("postal_sessions", "Sessions open now", () -> sink.activity().sessions());
    }

    private static void received(Callbacks callbacks, Sink sink, String name, String help,
                                 ToLongFunction<Sink.Received> field) {
        callbacks.counter(name, help, () -> field.applyAsLong(sink.received()));
    }
}
