// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the source addresses do to each new client channel of postal and rabid: socket options
 * before it binds, a PROXY header when addresses are announced, and a count of the sources the
 * kernel would not take, by cause.
 *
 * <p>IP_BIND_ADDRESS_NO_PORT (Linux 4.2, ip(7)) makes a bind to an address with port 0 leave the
 * port to connect(), which may then reuse a port with another destination: without it every bind
 * takes a port of its own, and a high connection rate over many sources runs out of ephemeral ports
 * although each 4-tuple is new. IP_FREEBIND lets a socket bind an address this host does not hold.
 * Both exist only on the epoll transport; NIO binds as plain Java does.
 */
public final class SourceBinding {

    private static final Logger LOG = LoggerFactory.getLogger(SourceBinding.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final SourceAddresses sources;
    private final Map<BindFault, LongAdder> faults = new EnumMap<>(BindFault.class);
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** For {@code sources}, which may be null (the kernel picks the source; nothing to do). */
    public SourceBinding(SourceAddresses sources) {
        this.sources = sources;
        for (BindFault fault : BindFault.values()) {
            faults.put(fault, new LongAdder());
        }
        if (sources != null && sources.freebind() && !io.netty.channel.epoll.Epoll.isAvailable()) {
            LOG.warn("--freebind needs the epoll transport, which did not load; binding without IP_FREEBIND");
        }
    }

    /**
     * Prepares {@code ch}, before it connects, to connect from {@code local} (null: the kernel's
     * choice); a PROXY header goes first in its pipeline, whatever is added after.
     */
    public void prepare(Channel ch, InetSocketAddress local) {
        if (sources == null) {
            return;
        }
        if (ch instanceof EpollSocketChannel && local != null) {
            ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, local.getPort() == 0);
            if (sources.freebind()) {
                ch.config().setOption(EpollChannelOption.IP_FREEBIND, true);
            }
        }
        if (sources.announce().proxy()) {
            ProxyHeader.install(ch.pipeline(), sources.announce(), sources.announced());
        }
    }

    /** Counts the cause when {@code connected} fails because the kernel refused the source {@code local}. */
    public void watch(ChannelFuture connected, InetSocketAddress local) {
        if (local != null) {
            connected.addListener(f -> {
                if (!f.isSuccess()) {
                    refused(local, f.cause());
                }
            });
        }
    }

    private void refused(InetSocketAddress local, Throwable cause) {
        BindFault fault = BindFault.of(cause);
        if (fault == null) {
            return;
        }
        LongAdder count = faults.get(fault);
        count.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("source address {} refused: {} ({}); {} so far", local.getAddress().getHostAddress(),
                    fault.name(), fault.advice(), count.sum());
        }
    }

    /** How many connections failed because the kernel would not take their source, for this cause. */
    public long faults(BindFault fault) {
        return faults.get(fault).sum();
    }
}
