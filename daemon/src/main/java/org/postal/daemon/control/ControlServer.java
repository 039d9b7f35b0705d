// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.ControlPaths;
import org.postal.daemon.service.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's two control sockets on Netty's epoll domain-socket transport: {@code NAME.sock}
 * (admin, mode 0660, group postal when it exists) and {@code NAME-status.sock} (read-only, 0666),
 * each published with its mode already set (see {@link SocketPublisher}).
 *
 * <p>Each connection is framed into lines of at most {@link ControlCodec#MAX_REQUEST_LINE} bytes
 * and every line gets one response (see {@link ControlHandler}). One event-loop thread serves
 * both sockets; at most {@link #MAX_CONNECTIONS} connections are open at once on each.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    static final int MAX_CONNECTIONS = 64;
    /** A connection that sends nothing for this long and is not watching is closed. */
    static final long IDLE_SECONDS = 300;
    static final String GROUP = "postal";
    /**
     * The names each socket is bound under before it is linked into place (SocketPublisher): the
     * SELinux policy gives a socket a daemon creates as {@code status.sock} the daemon's status type,
     * and any other the admin type (selinux/postal.if), whatever the instance is called.
     */
    static final String BOUND_AS_ADMIN = "admin.sock";
    static final String BOUND_AS_STATUS = "status.sock";

    private final String name;
    private final Controllable target;
    private final Path admin;
    private final Path status;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final RateLimitedLog cutOffs = RateLimitedLog.perMinute(LOG, "control connection cut off");
    private final List<Channel> listeners = new ArrayList<>();

    private ControlServer(Path dir, String name, Controllable target) {
        this.name = name;
        this.target = target;
        this.admin = ControlPaths.admin(dir, name);
        this.status = ControlPaths.status(dir, name);
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    /**
     * Binds both sockets in {@code dir} for the instance {@code name}.
     *
     * @throws IOException when a socket cannot be made, or another instance of the name answers on it
     */
    public static ControlServer start(Path dir, String name, Controllable target) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("control sockets need Netty's native epoll transport: "
                    + Epoll.unavailabilityCause().getMessage());
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("control directory " + dir + " does not exist");
        }
        ControlServer server = new ControlServer(dir, name, target);
        try {
            server.bind(server.admin, false, "rw-rw----");
            server.bind(server.status, true, "rw-rw-rw-");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("control sockets {} (admin) and {} (read-only)", server.admin, server.status);
        return server;
    }

    private void bind(Path path, boolean readOnly, String mode) throws IOException {
        removeStale(path);
        // Counted per socket: a flood on the world-writable status socket must not lock out the admin one.
        ChannelGroup mine = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024,
                        ControlCodec.MAX_RESPONSE_LINE * 2))
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        connections.add(ch);
                        mine.add(ch);
                        ch.pipeline().addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
                        ch.pipeline().addLast("lines", new LineBasedFrameDecoder(ControlCodec.MAX_REQUEST_LINE, true, true));
                        ch.pipeline().addLast("control", new ControlHandler(target, name, path, readOnly,
                                mine.size() > MAX_CONNECTIONS, cutOffs));
                    }
                });
        SocketPublisher.publish(path, readOnly ? BOUND_AS_STATUS : BOUND_AS_ADMIN,
                PosixFilePermissions.fromString(mode), readOnly ? null : GROUP, where -> {
            var future = bootstrap.bind(new DomainSocketAddress(where.toFile())).awaitUninterruptibly();
            if (!future.isSuccess()) {
                throw new IOException("cannot make control socket " + path + ": " + future.cause().getMessage(),
                        future.cause());
            }
            listeners.add(future.channel());
        });
    }

    /** A socket file left by a crash is removed; one that answers belongs to a running instance. */
    private void removeStale(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException(name + " is already running: " + path + " answers (give this instance another --name)");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already running")) {
                throw e;
            }
        }
        if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            LOG.info("removed stale control socket {}", path);
        } else {
            throw new IOException(path + " exists and is not a socket");
        }
    }

    public Path adminSocket() {
        return admin;
    }

    public Path statusSocket() {
        return status;
    }

    /** Closes the sockets and every connection, and removes the socket files. */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Path path : List.of(admin, status)) {
            try {
                if (!listeners.isEmpty() && Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", path, e.getMessage());
            }
        }
        listeners.clear();
    }
}
