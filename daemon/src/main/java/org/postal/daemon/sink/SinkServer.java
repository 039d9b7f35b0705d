// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.service.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.service.ListenFds;

/** The listening side of bhm: binds every address and port, and stops them in order. */
public final class SinkServer implements AutoCloseable {

    private final SinkServices services;
    private final EventLoopGroup group;
    private final ChannelGroup sessions = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();

    SinkServer(SinkServices services) {
        this.services = services;
        this.group = Transports.group(services.config().listen().ioThreads());
    }

    /** Binds every listener; on failure nothing stays bound. */
    void start() throws InterruptedException {
        start(List.of());
    }

    /**
     * Listens on {@code passed} (sockets from systemd or bound by jsvc as root) instead of binding
     * when there are any; else binds every listener. On failure nothing stays bound.
     */
    void start(List<ListenFds.Passed> passed) throws InterruptedException {
        if (!passed.isEmpty()) {
            adopt(passed);
            return;
        }
        try {
            SinkConfig.Listen listen = services.config().listen();
            for (InetAddress address : listen.bind()) {
                bind(address, listen.port(), false);
                if (services.config().tls().port() >= 0) {
                    bind(address, services.config().tls().port(), true);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private void bind(InetAddress address, int port, boolean implicitTls) throws InterruptedException {
        Class<? extends ServerChannel> type = Transports.server();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                // TCP_NODELAY is Netty's default on Linux, so accepted sockets need no setsockopt for it.
                .childHandler(new SinkInitializer(services, implicitTls, sessions));
        SlowLink.listen(bootstrap, services.settings().rules().slow());
        var future = bootstrap.bind(new InetSocketAddress(address, port)).await();
        if (!future.isSuccess()) {
            throw new BindFailure(address, port, future.cause());
        }
        listeners.add(future.channel());
    }

    private void adopt(List<ListenFds.Passed> passed) throws InterruptedException {
        try {
            Epoll.ensureAvailability();
            for (ListenFds.Passed socket : passed) {
                boolean implicitTls = ListenFds.implicitTls(socket);
                if (implicitTls && !services.config().tls().enabled()) {
                    throw new BindFailure("socket \"" + socket.name() + "\" (fd " + socket.fd()
                            + ") is for TLS, but TLS is off (--tls)");
                }
                ServerBootstrap bootstrap = new ServerBootstrap()
                        .group(group)
                        .channelFactory(() -> new EpollServerSocketChannel(socket.fd()))
                        .childHandler(new SinkInitializer(services, implicitTls, sessions));
                SlowLink.listen(bootstrap, services.settings().rules().slow());
                var future = bootstrap.register().await();
                if (!future.isSuccess()) {
                    throw new BindFailure("cannot listen on socket \"" + socket.name() + "\" (fd " + socket.fd()
                            + "): " + future.cause().getMessage(), future.cause());
                }
                listeners.add(future.channel());
            }
        } catch (UnsatisfiedLinkError e) {
            close();
            throw new BindFailure("passed sockets need Netty's epoll: " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** The event loops, for the systemd watchdog. */
    EventLoopGroup group() {
        return group;
    }

    /** The addresses actually bound (port 0 resolved), plain listeners first for each address. */
    public List<InetSocketAddress> addresses() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /**
     * Stops accepting, gives open sessions up to two seconds to finish and QUIT on their own, then
     * tells the rest 421 and waits up to two seconds more for them to go.
     */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        sessions.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Channel session : sessions) {
            session.eventLoop().execute(() -> {
                SinkSessionHandler handler = session.pipeline().get(SinkSessionHandler.class);
                if (handler != null) {
                    handler.shutdown();
                }
            });
        }
        sessions.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** A listener could not be bound. */
    static final class BindFailure extends RuntimeException {
        BindFailure(InetAddress address, int port, Throwable cause) {
            super("cannot listen on " + new InetSocketAddress(address, port) + ": " + cause.getMessage(), cause);
        }

        BindFailure(String message) {
            super(message);
        }

        BindFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
