// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postal.ctl.protocol.Command;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.ProtocolException;
import org.postal.ctl.protocol.Request;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.config.Durations;
import org.postal.daemon.report.LogSpace;
import org.postal.daemon.report.OpenLogs;
import org.postal.daemon.service.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control connection: every request line gets exactly one response line, except
 * {@code watch}, which answers with a stats line per interval until the client closes.
 *
 * <p>Malformed JSON, unknown commands, lines over the limit and admin commands on the status
 * socket are answered with an error object and the connection stays open. Admin commands are
 * logged with the client's SO_PEERCRED.
 *
 * <p>A client that sends requests without reading the responses is not read any further once
 * its unread responses pass the write-buffer high-water mark; the requests already read wait,
 * at most {@link #MAX_HELD} of them, and the connection is cut off past that, or when it stays
 * idle or unread for {@link ControlServer#IDLE_SECONDS}. Each cut-off is logged (at most once a
 * minute per kind of cut-off and socket pair).
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
    private static final Duration MIN_WATCH = Duration.ofMillis(100);
    private static final Duration MAX_WATCH = Duration.ofHours(1);
    /** Request lines kept while the client leaves responses unread; more cut the connection off. */
    static final int MAX_HELD = 256;

    private final Controllable target;
    private final String name;
    private final Path socket;
    private final boolean readOnly;
    private final boolean overLimit;
    private final RateLimitedLog cutOffs;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private ScheduledFuture<?> watch;

    /** @param cutOffs where connections cut off for hoarding or idling are counted and logged */
    ControlHandler(Controllable target, String name, Path socket, boolean readOnly, boolean overLimit,
                   RateLimitedLog cutOffs) {
        this.target = target;
        this.name = name;
        this.socket = socket;
        this.readOnly = readOnly;
        this.overLimit = overLimit;
        this.cutOffs = cutOffs;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (overLimit) {
            send(ctx, Response.error("too many control connections (" + ControlServer.MAX_CONNECTIONS + ")"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf line && !overLimit && (!held.isEmpty() || !ctx.channel().isWritable())) {
            ctx.channel().config().setAutoRead(false);
            if (held.size() >= MAX_HELD) {
                line.release();
                cutOff(ctx, "more than " + MAX_HELD + " requests sent without reading the responses");
            } else {
                held.add(line);
            }
            return;
        }
        try {
            if (msg instanceof ByteBuf line && !overLimit) {
                respond(ctx, line);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx, ByteBuf line) {
        send(ctx, answer(ctx, text(line)));
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** The client read its responses: answer what waited, then read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        while (!held.isEmpty() && ctx.channel().isWritable()) {
            ByteBuf line = held.poll();
            try {
                respond(ctx, line);
            } finally {
                line.release();
            }
        }
        if (held.isEmpty() && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void cutOff(ChannelHandlerContext ctx, String why) {
        cutOffs.warn(socket + ": " + peer(ctx) + ": " + why);
        ctx.close();
    }

    private Response answer(ChannelHandlerContext ctx, String line) {
        Request request;
        try {
            if (line == null) {
                throw new ProtocolException("request is not UTF-8");
            }
            request = ControlCodec.decodeRequest(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        } catch (ProtocolException e) {
            return Response.error(e.getMessage());
        }
        Command command = request.command();
        if (readOnly && !command.readOnly()) {
            return Response.error("read-only socket: " + command.word() + " needs the admin socket "
                    + socket.resolveSibling(name + ".sock"));
        }
        Response response;
        try {
            response = dispatch(ctx, request);
        } catch (RuntimeException e) {
            LOG.warn("control command {} failed", command.word(), e);
            response = Response.error("internal error in " + command.word() + " (see the daemon's log)");
        }
        if (!command.readOnly()) {
            LOG.info("{} {}{} on {}: {}", peer(ctx), command.word(),
                    request.args().isEmpty() ? "" : " " + String.join(" ", request.args()), name,
                    response.ok() ? "done" : "refused: " + response.error());
        }
        return response;
    }

    private Response dispatch(ChannelHandlerContext ctx, Request request) {
        return switch (request.command()) {
            case STATUS -> Response.ok(withLogSpace(target.status()));
            case STATS -> Response.ok(target.stats());
            case CONFIG -> Response.ok(target.config());
            case WATCH -> startWatch(ctx, request.arg());
            case PAUSE -> target.pause();
            case RESUME -> target.resume();
            case RATE -> target.rate(request.arg());
            case SET -> {
                String arg = request.arg();
                int eq = arg.indexOf('=');
                yield target.set(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
            }
            case RELOAD -> target.reload();
            case REOPEN -> target.reopen();
            case TRANSCRIPT -> target.transcript(request.arg().equals("on"));
        };
    }

    /** Every program's status also says how much room its logs have left, with a warning when little. */
    private static java.util.Map<String, Object> withLogSpace(java.util.Map<String, Object> status) {
        var space = LogSpace.tightest(OpenLogs.process().files(), LogSpace.STATVFS);
        if (space.isEmpty()) {
            return status;
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(status);
        out.put("log_space", LogSpace.describe(space.get()));
        return out;
    }

    /** The first line at once, then one per interval; a client too slow to read skips lines. */
    private Response startWatch(ChannelHandlerContext ctx, String interval) {
        if (watch != null) {
            return Response.error("already watching: close the connection to stop");
        }
        Duration period;
        try {
            period = interval == null ? target.watchInterval() : Durations.parse(interval);
        } catch (IllegalArgumentException e) {
            return Response.error("watch: " + e.getMessage());
        }
        if (period.compareTo(MIN_WATCH) < 0 || period.compareTo(MAX_WATCH) > 0) {
            return Response.error("watch interval out of range 100ms..1h: " + interval);
        }
        long nanos = period.toNanos();
        watch = ctx.executor().scheduleAtFixedRate(() -> {
            if (ctx.channel().isWritable()) {
                send(ctx, Response.ok(target.stats()));
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
        return Response.ok(target.stats());
    }

    private io.netty.channel.ChannelFuture send(ChannelHandlerContext ctx, Response response) {
        String line = ControlCodec.encode(response) + "\n";
        return ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), line));
    }

    private static String text(ByteBuf line) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(line.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String peer(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof EpollDomainSocketChannel ch) {
            try {
                var credentials = ch.peerCredentials();
                return PeerNames.describe(credentials.uid()) + " pid " + credentials.pid();
            } catch (java.io.IOException e) {
                return "unknown peer (" + e.getMessage() + ")";
            }
        }
        return "unknown peer";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // The framer drops the rest of the line; the client hears why and may go on.
            send(ctx, Response.error("request line longer than " + ControlCodec.MAX_REQUEST_LINE + " bytes"));
        } else {
            LOG.debug("control connection on {}: {}", socket, cause.toString());
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !ctx.channel().isWritable()) {
            // A goodbye would wait behind the responses the client is not reading.
            cutOff(ctx, "responses left unread for " + ControlServer.IDLE_SECONDS + " s");
        } else if (event instanceof IdleStateEvent && watch == null) {
            cutOffs.warn(socket + ": " + peer(ctx) + ": idle for " + ControlServer.IDLE_SECONDS + " s");
            send(ctx, Response.error("idle for " + ControlServer.IDLE_SECONDS + " s: closing"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watch != null) {
            watch.cancel(false);
        }
        held.forEach(ByteBuf::release);
        held.clear();
        ctx.fireChannelInactive();
    }
}
