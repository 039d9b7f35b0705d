// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.metrics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the metrics endpoint listens: {@code PORT}, {@code ADDRESS:PORT} or {@code [IPv6]:PORT}.
 * Without an address it is loopback only, so turning metrics on never opens a port to the network
 * by accident; the address is a literal, never a name to look up.
 *
 * @param address the listening address
 * @param port    1..65535, or 0 for any free port (tests)
 */
public record MetricsAddress(InetAddress address, int port) {

    private static final Pattern FORM = Pattern.compile("(?:(\\[[0-9A-Fa-f:.]+\\]|[0-9.]+):)?([0-9]{1,5})");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

    public MetricsAddress {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics port out of range 1..65535: " + port);
        }
    }

    /** Parses the option's value; the message names the option and the bad text. */
    public static MetricsAddress parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --metrics \"" + text + "\": use PORT or ADDRESS:PORT");
        }
        String host = m.group(1);
        try {
            InetAddress address;
            if (host == null) {
                address = InetAddress.getLoopbackAddress();
            } else if (host.startsWith("[")) {
                address = InetAddress.getByName(host.substring(1, host.length() - 1));
            } else if (IPV4.matcher(host).matches()) {
                address = InetAddress.getByName(host);
            } else {
                throw new IllegalArgumentException("bad --metrics address \"" + host + "\": give an IP address");
            }
            return new MetricsAddress(address, Integer.parseInt(m.group(2)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad --metrics address \"" + host + "\"");
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }
}
