// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a running daemon shows systemd: the event loops the watchdog pings from, the statistics
 * interval, a message counter (for the rate) and the counts for {@code STATUS=}.
 *
 * @param loops    the daemon's Netty event loops
 * @param interval how often {@code STATUS=} is refreshed (the daemon's --interval)
 * @param messages messages so far, for the rate over the last interval
 * @param counts   a short phrase with the counts, e.g. "1200 messages, 3 sessions open, 0 errors"
 */
public record Monitored(EventExecutorGroup loops, Duration interval, LongSupplier messages, Supplier<String> counts) {
}
