// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import org.postal.daemon.service.Transports;

/**
 * Resolves a name afresh for every connection (postal's {@code +host}), asking a DNS server each
 * time: no answer is cached, whatever its TTL.
 *
 * <p>Why not {@code InetAddress.getByName}: the JVM keeps every answer for 30 s
 * ({@code networkaddress.cache.ttl}), so a re-pointed name kept its old address for the rest of a
 * short run; setting that property to 0 would change every lookup of the process, and
 * {@code getaddrinfo} blocks the event loop that also carries other connections. Netty's resolver
 * asks asynchronously on the connection's own loop, with its caches replaced by no-op ones, and can
 * be pointed at a chosen server ({@code --resolver}) instead of the ones in /etc/resolv.conf.
 * /etc/hosts is still read first, as the C library does.
 */
public final class NameLookup implements AutoCloseable {

    private final DnsAddressResolverGroup group;

    /**
     * @param server  the DNS server to ask; null for those in /etc/resolv.conf
     * @param timeout how long one query may take before the lookup counts as timed out
     */
    public NameLookup(InetSocketAddress server, Duration timeout) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
                .datagramChannelType(Transports.datagram())
                .nameServerProvider(server == null ? DnsServerAddressStreamProviders.platformDefault()
                        : new SingletonDnsServerAddressStreamProvider(server))
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .queryTimeoutMillis(Math.max(1, timeout.toMillis()));
        this.group = new DnsAddressResolverGroup(builder);
    }

    /** Looks {@code host} up on {@code loop}; the future completes there with the address and {@code port}. */
    public Future<InetSocketAddress> resolve(EventLoop loop, String host, int port) {
        return group.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port));
    }

    /** A short word for a failed lookup, for the error table: nxdomain, servfail, refused, timeout or failed. */
    public static String failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return "timeout";
            }
            if (t instanceof DnsErrorCauseException e) {
                return e.getCode().toString().toLowerCase(Locale.ROOT).replaceAll("\\(.*", "");
            }
        }
        return "failed";
    }

    @Override
    public void close() {
        group.close();
    }
}
