// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;
import org.postal.daemon.load.source.AddressRange;
import org.postal.daemon.load.source.SourceRanges;

/**
 * Which clients may announce another client's address: with a PROXY protocol header (a load
 * balancer, or postal --announce proxy-v1/v2) or with the XCLIENT command (a proxy such as
 * nginx's mail module, or postal --announce xclient).
 *
 * @param proxyTrusted      networks whose connections must start with a PROXY header (none: PROXY off)
 * @param xclientAuthorized networks offered XCLIENT after EHLO (none: XCLIENT off)
 */
public record ClientPolicy(List<AddressRange> proxyTrusted, List<AddressRange> xclientAuthorized) {

    /** Nobody may announce. */
    public static final ClientPolicy NONE = new ClientPolicy(List.of(), List.of());

    public ClientPolicy {
        proxyTrusted = List.copyOf(proxyTrusted);
        xclientAuthorized = List.copyOf(xclientAuthorized);
    }

    /** Parses --proxy-trusted and --xclient-authorized (null: none). */
    public static ClientPolicy parse(String proxyTrusted, String xclientAuthorized) {
        return new ClientPolicy(ranges(proxyTrusted), ranges(xclientAuthorized));
    }

    private static List<AddressRange> ranges(String networks) {
        return networks == null ? List.of() : SourceRanges.parse(networks);
    }

    boolean trustsProxy(InetAddress peer) {
        return contains(proxyTrusted, peer);
    }

    boolean authorizesXclient(InetAddress client) {
        return contains(xclientAuthorized, client);
    }

    private static boolean contains(List<AddressRange> networks, InetAddress address) {
        return networks.stream().anyMatch(range -> range.contains(address));
    }

    /** As the options take them (postalctl config). */
    @Override
    public String toString() {
        return (proxyTrusted.isEmpty() ? "" : "proxy-trusted " + join(proxyTrusted))
                + (proxyTrusted.isEmpty() || xclientAuthorized.isEmpty() ? "" : " ")
                + (xclientAuthorized.isEmpty() ? "" : "xclient-authorized " + join(xclientAuthorized));
    }

    private static String join(List<AddressRange> networks) {
        return networks.stream().map(AddressRange::toString).collect(Collectors.joining(","));
    }
}
