// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.util.NetUtil;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client addresses a mail server sees, as a CIDR block ({@code 198.51.100.0/24},
 * {@code 2001:db8::/112}); connection {@code n} comes from the block's {@code n}-th address, wrapping
 * round, so a run of fewer connections than addresses never repeats one (every PTR and DNSBL
 * question is then a cache miss, as on a real server facing many clients). Nothing is sent to
 * these addresses: they only become names to look up.
 */
public final class ClientRange {

    private final byte[] base;
    private final int prefix;

    private ClientRange(byte[] base, int prefix) {
        this.base = base;
        this.prefix = prefix;
        if (base.length != 4 && base.length != 16) {
            throw new IllegalArgumentException("a client range is IPv4 or IPv6");
        }
        if (prefix < 0 || prefix > base.length * 8) {
            throw new IllegalArgumentException("prefix length out of range 0.." + base.length * 8 + ": " + prefix);
        }
    }

    /** The block as {@link #parse} reads it. */
    @Override
    public String toString() {
        return address(0).getHostAddress() + "/" + prefix;
    }

    /** Parses {@code address/prefix} (a bare address is a block of one). */
    public static ClientRange parse(String text) {
        String[] parts = text.trim().split("/", -1);
        byte[] address = parts.length <= 2 ? NetUtil.createByteArrayFromIpAddressString(parts[0]) : null;
        if (address == null || parts.length == 2 && !parts[1].matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("bad client range \"" + text + "\": use ADDRESS/PREFIX, e.g. 198.51.100.0/24");
        }
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        return new ClientRange(address, prefix);
    }

    /** How many addresses the block holds, at most 2^62 (larger IPv6 blocks are treated as that big). */
    public long size() {
        int free = base.length * 8 - prefix;
        return free >= 62 ? 1L << 62 : 1L << free;
    }

    /** The {@code n}-th address of the block, counting from its first and wrapping round. */
    public InetAddress address(long n) {
        int bits = base.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE.shiftLeft(bits - prefix));
        BigInteger network = new BigInteger(1, base).and(mask);
        byte[] raw = network.add(BigInteger.valueOf(Math.floorMod(n, size()))).toByteArray();
        byte[] out = new byte[base.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4- or 16-byte array is always accepted
        }
    }

    /**
     * The address's reverse name without a zone: {@code 4.3.2.1} for 1.2.3.4 (RFC 1035 section
     * 3.5), nibbles for IPv6 (RFC 3596 section 2.5); append {@code in-addr.arpa}, {@code ip6.arpa}
     * or a DNSBL zone (RFC 5782 section 2.1).
     */
    public static String reversed(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder out = new StringBuilder(b.length == 4 ? 16 : 64);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b.length == 4) {
                out.append(b[i] & 0xff).append('.');
            } else {
                out.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    /** The PTR question's name: {@code 4.3.2.1.in-addr.arpa} or the {@code ip6.arpa} one. */
    public static String ptrName(InetAddress address) {
        return reversed(address) + (address.getAddress().length == 4 ? ".in-addr.arpa" : ".ip6.arpa");
    }

    /** A host name as providers give their clients: {@code 1-2-3-4.DOMAIN} ({@code :} as {@code -} for IPv6). */
    public static String hostName(InetAddress address, String domain) {
        String text = address.getHostAddress().replace('.', '-').replace(':', '-');
        return text + "." + domain;
    }
}
