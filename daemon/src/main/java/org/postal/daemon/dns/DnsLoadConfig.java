// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.postal.daemon.config.IoThreadsOption;

/**
 * Everything postal-dns needs to run, validated once.
 *
 * @param server      the DNS server under test
 * @param tcp         questions over TCP (RFC 7766, several in flight per connection) instead of UDP
 * @param sockets     UDP sockets or TCP connections the questions are spread over
 * @param outstanding questions in flight at most, over all sockets (dnsperf's -q)
 * @param rate        questions per second; 0 for as fast as the server answers
 * @param count       questions in the run; 0 for no limit
 * @param duration    run length; null for no limit
 * @param timeout     how long an answer may take before the question counts as timed out
 * @param source      where the questions come from: a file's path or the generated workload
 */
public record DnsLoadConfig(InetSocketAddress server, boolean tcp, int sockets, int outstanding, double rate,
                            long count, Duration duration, Duration timeout, Duration interval, boolean json,
                            String source, String name, int ioThreads) {

    public DnsLoadConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(name, "name");
        if (sockets < 1 || sockets > 1000) {
            throw new IllegalArgumentException("--sockets out of range 1..1000: " + sockets);
        }
        // A UDP socket tells answers apart by the 16-bit ID alone (RFC 1035 section 4.1.1).
        if (outstanding < sockets || outstanding > sockets * 65_000L) {
            throw new IllegalArgumentException("--outstanding out of range " + sockets + ".." + sockets * 65_000L
                    + " (at least one and at most 65000 per socket): " + outstanding);
        }
        if (rate < 0 || count < 0) {
            throw new IllegalArgumentException("--rate and --count must not be negative");
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--timeout must be more than 0 and at most 1m");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("--interval must be positive");
        }
        IoThreadsOption.check(ioThreads);
    }
}
