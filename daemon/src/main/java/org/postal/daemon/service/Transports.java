// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;

/** Netty's native epoll transport where it loads (Linux, our bundled library), else NIO; one choice for every program. */
public final class Transports {

    private Transports() {
    }

    /**
     * Half the CPUs, at least one: the kernel's TCP work and, when client and server share a
     * machine, the other side need the rest (bench/RESULTS.md: one loop beat two on 2 cores).
     */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** {@code threads} event loops; 0 for {@link #defaultThreads}. */
    public static EventLoopGroup group(int threads) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads == 0 ? defaultThreads() : threads, io);
    }

    /** How many event loops {@code group} has. */
    public static int size(EventLoopGroup group) {
        int loops = 0;
        for (EventExecutor ignored : group) {
            loops++;
        }
        return loops;
    }

    public static Class<? extends SocketChannel> client() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * A new, unregistered client channel of {@code remote}'s address family: an IPv4 peer gets an
     * IPv4 socket rather than a dual-stack IPv6 one (no IPV6_V6ONLY call, the kernel's IPv4 path).
     */
    public static SocketChannel newClient(InetSocketAddress remote) {
        SocketProtocolFamily family = remote.getAddress() instanceof Inet6Address ? SocketProtocolFamily.INET6
                : SocketProtocolFamily.INET;
        return Epoll.isAvailable() ? new EpollSocketChannel(family)
                : new NioSocketChannel(SelectorProvider.provider(), family);
    }

    public static Class<? extends ServerChannel> server() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** UDP channels for the same event loops (DNS queries). */
    public static Class<? extends DatagramChannel> datagram() {
        return Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
