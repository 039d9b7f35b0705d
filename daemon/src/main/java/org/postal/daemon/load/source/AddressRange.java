// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import io.netty.util.NetUtil;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A run of consecutive addresses of one family: a CIDR block, a {@code first-last} range or one
 * address, with the port to bind (0: any). The addresses are computed, never stored, so a /8 costs
 * as little as one address.
 *
 * @param first the lowest address
 * @param count how many addresses, 1..2^62 (a /64 of IPv6 is refused: give a longer prefix)
 * @param port  the local port, 0 for the kernel's choice
 */
public record AddressRange(InetAddress first, long count, int port) {

    /** The most addresses one range (and one source list) may hold: a count stays a positive long. */
    public static final long MAX_COUNT = 1L << 62;

    public AddressRange {
        Objects.requireNonNull(first, "first");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a source range holds 1..2^62 addresses, not " + count);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
        BigInteger last = value(first).add(BigInteger.valueOf(count - 1));
        if (last.bitLength() > first.getAddress().length * 8) {
            throw new IllegalArgumentException("range from " + NetUtil.toAddressString(first) + " of " + count
                    + " addresses runs past the end of the address space");
        }
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x::y/n}, {@code first-last} (two literals of one family) or
     * {@code null} when {@code text} is neither, so that the caller can take it as a plain address.
     */
    public static AddressRange parseRange(String text) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            byte[] base = literal(text.substring(0, slash), text);
            String bits = text.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > base.length * 8) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\"");
            }
            int hostBits = base.length * 8 - Integer.parseInt(bits);
            if (hostBits > 62) {
                throw new IllegalArgumentException("\"" + text + "\" holds more than 2^62 addresses: "
                        + "give a prefix of at least /" + (base.length * 8 - 62));
            }
            BigInteger network = new BigInteger(1, base).shiftRight(hostBits).shiftLeft(hostBits);
            return new AddressRange(address(network, base.length), 1L << hostBits, 0);
        }
        int dash = text.indexOf('-');
        if (dash < 0 || NetUtil.createByteArrayFromIpAddressString(text.substring(0, dash)) == null) {
            return null; // a host name may hold a dash; only two literals make a range
        }
        byte[] from = literal(text.substring(0, dash), text);
        byte[] to = literal(text.substring(dash + 1), text);
        if (from.length != to.length) {
            throw new IllegalArgumentException("\"" + text + "\" mixes IPv4 and IPv6");
        }
        BigInteger span = new BigInteger(1, to).subtract(new BigInteger(1, from));
        if (span.signum() < 0) {
            throw new IllegalArgumentException("\"" + text + "\" ends before it starts");
        }
        if (span.bitLength() > 62) {
            throw new IllegalArgumentException("\"" + text + "\" holds more than 2^62 addresses");
        }
        return new AddressRange(address(new BigInteger(1, from), from.length), span.longValue() + 1, 0);
    }

    /** True when {@code address} lies in this range (an address of the other family never does). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != first.getAddress().length) {
            return false;
        }
        BigInteger offset = new BigInteger(1, bytes).subtract(value(first));
        return offset.signum() >= 0 && offset.compareTo(BigInteger.valueOf(count)) < 0;
    }

    /** True for an IPv4 range. */
    public boolean ipv4() {
        return first instanceof Inet4Address;
    }

    /** The address {@code offset} places after the first (0 <= offset < count). */
    public InetAddress get(long offset) {
        Objects.checkIndex(offset, count);
        byte[] bytes = first.getAddress();
        // Add the offset from the last byte up, carrying: no BigInteger per connection.
        long carry = offset;
        for (int i = bytes.length - 1; i >= 0 && carry != 0; i--) {
            long sum = (bytes[i] & 0xff) + (carry & 0xff);
            bytes[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        return raw(bytes);
    }

    private static byte[] literal(String text, String whole) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text.trim());
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + text + "\" in \"" + whole + "\" is not an IP address");
        }
        return bytes;
    }

    private static BigInteger value(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    private static InetAddress address(BigInteger value, int length) {
        byte[] digits = value.toByteArray();
        byte[] bytes = new byte[length];
        int take = Math.min(length, digits.length);
        System.arraycopy(digits, digits.length - take, bytes, length - take, take);
        return raw(bytes);
    }

    private static InetAddress raw(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are an address", e);
        }
    }

    /** The range as {@link SourceRanges#parse} reads it back. */
    @Override
    public String toString() {
        String from = NetUtil.toAddressString(first);
        String text = count == 1 ? from : from + "-" + NetUtil.toAddressString(get(count - 1));
        return port == 0 ? text : "[" + from + "]:" + port;
    }
}
