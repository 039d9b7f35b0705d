// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-client connection limits, as Postfix's anvil(8) keeps them for smtpd: how many sessions one
 * client address has open ({@code smtpd_client_connection_count_limit}) and how many it opened in
 * the last minute ({@code smtpd_client_connection_rate_limit}, anvil_rate_time_unit 60s). A client
 * past either limit gets 421 4.7.0 and is disconnected.
 *
 * <p>The table holds at most {@link #CAPACITY} clients; when it is full, clients with no open
 * session and no connection in the current minute are swept out, and if it is still full a new
 * client is let through untracked (the limits fail open rather than refuse everybody).
 */
final class ClientLimits {

    /** What a new connection may do. */
    enum Admission {
        /** Counted: call {@link #closed} when the session ends. */
        COUNTED,
        /** Let through without counting (no limits, no address, or a full table). */
        UNCOUNTED,
        TOO_MANY,
        TOO_FAST
    }

    /** Commands counted per client per minute. */
    enum Rate { MESSAGES, RECIPIENTS }

    static final int CAPACITY = 100_000;
    static final long WINDOW_NANOS = 60_000_000_000L;

    private static final class Client {
        int open;
        long windowStart;
        int opened;
        int messages;
        int recipients;
    }

    private final LongSupplier clock;
    private final Map<InetAddress, Client> clients = new HashMap<>();

    ClientLimits(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /**
     * Counts a new connection from {@code address} against the limits (0: none); on
     * {@link Admission#COUNTED} the caller must call {@link #closed} when the session ends.
     */
    Admission opened(InetAddress address, int maxOpen, int maxPerMinute) {
        // Asked on every connection of every event loop: without a limit, no lock is taken.
        if (address == null || (maxOpen <= 0 && maxPerMinute <= 0)) {
            return Admission.UNCOUNTED;
        }
        synchronized (this) {
            Client client = client(address, clock.getAsLong());
            if (client == null) {
                return Admission.UNCOUNTED;
            }
            if (maxOpen > 0 && client.open >= maxOpen) {
                return Admission.TOO_MANY;
            }
            if (maxPerMinute > 0 && client.opened >= maxPerMinute) {
                return Admission.TOO_FAST;
            }
            client.open++;
            client.opened++;
            return Admission.COUNTED;
        }
    }

    /**
     * Counts one command of {@code rate} from {@code address}; true when it is past {@code limit} in
     * this minute (0: no limit, nothing counted). A full table lets the command through.
     */
    boolean over(InetAddress address, Rate rate, int limit) {
        // Asked on every MAIL and RCPT of every event loop: without a limit, no lock is taken.
        if (address == null || limit <= 0) {
            return false;
        }
        synchronized (this) {
            Client client = client(address, clock.getAsLong());
            if (client == null) {
                return false;
            }
            int count = rate == Rate.MESSAGES ? ++client.messages : ++client.recipients;
            return count > limit;
        }
    }

    /** The client's entry with its minute brought up to date, made if need be; null when the table is full. */
    private Client client(InetAddress address, long now) {
        Client client = clients.get(address);
        if (client == null) {
            if (clients.size() >= CAPACITY) {
                sweep(now);
            }
            if (clients.size() >= CAPACITY) {
                return null;
            }
            client = new Client();
            client.windowStart = now;
            clients.put(address, client);
        }
        if (now - client.windowStart >= WINDOW_NANOS) {
            client.windowStart = now;
            client.opened = 0;
            client.messages = 0;
            client.recipients = 0;
        }
        return client;
    }

    /** A session {@link #opened} counted has ended. */
    synchronized void closed(InetAddress address) {
        Client client = address == null ? null : clients.get(address);
        if (client != null && client.open > 0) {
            client.open--;
        }
    }

    private void sweep(long now) {
        for (Iterator<Client> i = clients.values().iterator(); i.hasNext(); ) {
            Client c = i.next();
            if (c.open == 0 && now - c.windowStart >= WINDOW_NANOS) {
                i.remove();
            }
        }
    }

    synchronized int size() {
        return clients.size();
    }
}
