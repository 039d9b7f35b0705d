// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.postal.daemon.load.source.AddressRange;
import org.postal.daemon.load.source.SourceRanges;

/**
 * Which clients may announce another client's address: with a PROXY protocol header (a load
 * balancer, or postal --announce proxy-v1/v2).
 *
 * @param proxyTrusted networks whose connections must start with a PROXY header (none: PROXY off)
 */
public record ClientPolicy(List<AddressRange> proxyTrusted) {

    /** Nobody may announce. */
    public static final ClientPolicy NONE = new ClientPolicy(List.of());

    public ClientPolicy {
        proxyTrusted = List.copyOf(proxyTrusted);
    }

    /** Parses --proxy-trusted (null: none). */
    public static ClientPolicy parse(String proxyTrusted) {
        return proxyTrusted == null ? NONE : new ClientPolicy(SourceRanges.parse(proxyTrusted));
    }

    boolean trustsProxy(InetAddress peer) {
        return proxyTrusted.stream().anyMatch(range -> range.contains(peer));
    }

    /** As --proxy-trusted takes it (postalctl config). */
    @Override
    public String toString() {
        return proxyTrusted.stream().map(AddressRange::toString).collect(Collectors.joining(","));
    }
}
