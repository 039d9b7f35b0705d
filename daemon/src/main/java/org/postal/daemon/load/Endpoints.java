// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A server (or local address) list as postal 0.76 writes it (doc/POSTAL-0.76.md section 3.5).
 *
 * <pre>
 * list  = entry *( "," entry )
 * entry = [ "+" ] ( host / "[" host "]" [ port ] )     ; host may be an IPv6 literal
 * </pre>
 * A leading {@code +} re-resolves the name before every connection (round-robin DNS tests);
 * other names are resolved once, here. Each connection picks an entry at random. Unlike 0.76 a
 * port given for one entry does not leak into the next, names may resolve to IPv6, and
 * {@code [host]} without a port means the default port, not port 0.
 */
public final class Endpoints {

    /** One list entry. */
    public record Entry(String host, int port, boolean reresolve, InetAddress address) {
    }

    private final List<Entry> entries;

    private Endpoints(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses a server list, resolving names that do not carry {@code +}; every port must be 1..65535. */
    public static Endpoints parse(String list, int defaultPort) {
        Endpoints endpoints = parseAny(list, defaultPort);
        for (Entry entry : endpoints.entries) {
            if (entry.port() == 0) {
                throw new IllegalArgumentException("bad address \"" + entry.host() + "\": port 0");
            }
        }
        return endpoints;
    }

    /** Parses a local-address list (-l), where port 0 means any free port. */
    public static Endpoints parseLocal(String list) {
        return parseAny(list, 0);
    }

    private static Endpoints parseAny(String list, int defaultPort) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String text = raw.trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty entry in address list \"" + list + "\"");
            }
            boolean reresolve = text.startsWith("+");
            if (reresolve) {
                text = text.substring(1);
            }
            String host = text;
            int port = defaultPort;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("bad address \"" + raw + "\": missing ]");
                }
                host = text.substring(1, close);
                String rest = text.substring(close + 1);
                if (rest.startsWith(":")) {
                    rest = rest.substring(1);
                }
                if (!rest.isEmpty()) {
                    port = port(rest, raw);
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("bad address \"" + raw + "\": no host");
            }
            entries.add(new Entry(host, port, reresolve, reresolve ? null : resolve(host)));
        }
        return new Endpoints(entries);
    }

    private static int port(String text, String raw) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("bad port in \"" + raw + "\"");
        }
        return Integer.parseInt(text);
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address \"" + host + "\": cannot resolve it");
        }
    }

    /** Picks an entry at random; one with {@code reresolve} has no address yet. */
    public Entry choose(SplittableRandom random) {
        return entries.get(entries.size() == 1 ? 0 : random.nextInt(entries.size()));
    }

    /**
     * Picks an entry at random and returns its socket address, asking the JVM's resolver now if it
     * asks for that (and so the JVM's cache: postal resolves through {@code dns.NameLookup} instead).
     */
    public InetSocketAddress pick(SplittableRandom random) throws UnknownHostException {
        Entry entry = choose(random);
        InetAddress address = entry.reresolve() ? InetAddress.getByName(entry.host()) : entry.address();
        return new InetSocketAddress(address, entry.port());
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Endpoints e && e.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** The list as {@link #parse} reads it, e.g. {@code [127.0.0.1]:2525,+[mx.example]:25} (postalctl config). */
    @Override
    public String toString() {
        return entries.stream().map(e -> (e.reresolve() ? "+" : "") + "[" + e.host() + "]:" + e.port())
                .collect(Collectors.joining(","));
    }
}
