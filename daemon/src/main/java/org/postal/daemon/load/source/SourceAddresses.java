// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.postal.daemon.load.Endpoints;

/**
 * Where each connection of postal or rabid comes from: the next address of the source ranges in a
 * full-period order, bound as the socket's source address or announced to the server in a PROXY
 * protocol header. Connections to an IPv4 server draw from the IPv4 ranges and IPv6 ones from the
 * IPv6 ranges, each in an order of its own; announced addresses draw from all ranges, as a PROXY
 * header may carry either family over any connection.
 */
public final class SourceAddresses {

    private final SourceRanges ranges;
    private final Permutation.Order order;
    private final long seed;
    private final boolean freebind;
    private final Announce announce;
    private final Drawn all;
    private final Drawn ipv4;
    private final Drawn ipv6;

    /** Ranges and one order over them. */
    private record Drawn(SourceRanges ranges, Permutation order) {
        InetSocketAddress next() {
            return ranges.address(order.next());
        }
    }

    /**
     * @param freebind bind with IP_FREEBIND, so that addresses this host does not hold can be bound
     * @param announce how the address reaches the server
     */
    public SourceAddresses(SourceRanges ranges, Permutation.Order order, long seed, boolean freebind,
                           Announce announce) {
        this.ranges = Objects.requireNonNull(ranges, "ranges");
        this.order = Objects.requireNonNull(order, "order");
        this.seed = seed;
        this.freebind = freebind;
        this.announce = Objects.requireNonNull(announce, "announce");
        this.all = drawn(ranges);
        this.ipv4 = drawn(ranges.only(AddressRange::ipv4));
        this.ipv6 = drawn(ranges.only(r -> !r.ipv4()));
    }

    private Drawn drawn(SourceRanges subset) {
        return subset == null ? null : new Drawn(subset, new Permutation(subset.size(), order, seed));
    }

    /**
     * The address to bind for a connection to {@code remote}: the next one of its family, or null
     * when addresses are announced rather than bound or no range has that family (a name given
     * with {@code +} that now resolves to the other family): then the kernel picks the source.
     */
    public InetSocketAddress bind(InetSocketAddress remote) {
        Drawn family = remote.getAddress() instanceof Inet6Address ? ipv6 : ipv4;
        return announce != Announce.NONE || family == null ? null : family.next();
    }

    /** Refuses servers (resolved ones) of a family that no bound range has. */
    public void check(Endpoints servers) {
        for (Endpoints.Entry entry : servers.entries()) {
            boolean six = entry.address() instanceof Inet6Address;
            if (announce == Announce.NONE && entry.address() != null && (six ? ipv6 : ipv4) == null) {
                throw new IllegalArgumentException("no " + (six ? "IPv6" : "IPv4") + " source address (-l) for "
                        + entry.host());
            }
        }
    }

    /** The next address to announce (either family). */
    public InetSocketAddress announced() {
        return all.next();
    }

    public SourceRanges ranges() {
        return ranges;
    }

    public boolean freebind() {
        return freebind;
    }

    public Announce announce() {
        return announce;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceAddresses s && s.ranges.ranges().equals(ranges.ranges()) && s.order == order
                && s.seed == seed && s.freebind == freebind && s.announce == announce;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ranges.ranges(), order, seed, freebind, announce);
    }

    /** The ranges, with the order and the other choices when they are not the defaults (postalctl config). */
    @Override
    public String toString() {
        return ranges + (order == Permutation.Order.RANDOM ? "" : " " + order.name().toLowerCase(java.util.Locale.ROOT))
                + (freebind ? " freebind" : "") + (announce == Announce.NONE ? "" : " announced " + announce.word());
    }
}
