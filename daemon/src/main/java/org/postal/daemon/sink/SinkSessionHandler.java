// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.message.HashVerifier;
import org.postal.daemon.smtp.CommandLine;
import org.postal.daemon.smtp.ContentEnd;
import org.postal.daemon.smtp.LineError;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.smtp.SmtpServerDecoder;
import org.postal.daemon.smtp.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP or LMTP session of bhm: the connection-scoped state and one switch per input.
 * MAIL and RCPT are handled by its {@link EnvelopeReceiver}, DATA, BDAT and the end of each
 * message by its {@link ContentReceiver}, the AUTH exchange by its {@link SinkAuth}.
 *
 * <p>Replies are written as commands arrive and flushed when a read batch ends, which is what
 * PIPELINING needs and what keeps system calls few.
 */
final class SinkSessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SinkSessionHandler.class);
    private final SinkServices services;
    private final SmtpServerDecoder decoder;
    private final SinkTransaction transaction;
    private final ContentReceiver content;
    private final EnvelopeReceiver envelope;
    private final SinkAuth auth;
    private final boolean implicitTls;
    private final long commandTimeout;

    private ChannelHandlerContext ctx;
    private SinkState state = SinkState.GREETING;
    private String host;
    private String client;
    private int slot;
    private boolean slotReleased;
    /** Transcript losses counted when this session started, or -1 when it is not recorded. */
    private long transcriptLosses = -1;
    private boolean tlsActive;
    private boolean quit;
    private int protocolErrors;
    private final ClientVerdicts verdicts;
    private final SinkOutput output;
    private Pace pace;

    SinkSessionHandler(SinkServices services, SmtpServerDecoder decoder, boolean implicitTls) {
        this.services = services;
        this.decoder = decoder;
        this.implicitTls = implicitTls;
        this.transaction = new SinkTransaction(new HashVerifier(services.config().policy().hash()),
                services.messageLog() != null);
        this.content = new ContentReceiver(services, decoder, transaction, this);
        this.envelope = new EnvelopeReceiver(services, transaction, this);
        this.verdicts = new ClientVerdicts(services);
        this.auth = new SinkAuth(services::credentials);
        this.commandTimeout = services.config().limits().commandTimeout().toNanos();
        this.output = new SinkOutput(services.stats(), decoder, this::timedOut);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        output.attach(ctx);
        services.stats().connections.increment();
        // getsockname only when a -r file can name the local address differently.
        host = services.hosts().isEmpty() ? services.config().listen().hostname()
                : services.hostname(ClientAddress.server(ctx.channel()));
        client = ClientAddress.arrived(ctx.channel(),
                XclientReceiver.counted(ctx.channel(), services.config().clients(), services.stats().clients));
        slot = services.slots().acquire();
        pace = new Pace(services, output, ctx.pipeline().get(ReadPause.class), ClientAddress.address(ctx.channel()),
                slot == 0 ? 0 : services.slots().connectionNumber(slot));
        // Released when the channel closes, even if a handler in front failed to pass channelInactive on.
        ctx.channel().closeFuture().addListener(f -> release());
        if (slot == 0) {
            closeWith(SinkReplies.closing(host, "too many sessions"));
            return;
        }
        var transcripts = services.transcripts();
        if (transcripts != null) {
            transcriptLosses = transcripts.failures().lost();
            var recorder = transcripts.open(slot, services.slots().connectionNumber(slot));
            if (recorder != null) {
                ctx.pipeline().addBefore(PipelineNames.DECODER, PipelineNames.TRANSCRIPT, recorder);
            }
        }
        tlsActive = implicitTls;
        Reply refusal = verdicts.atConnect(ClientAddress.address(ctx.channel()), host);
        if (refusal != null) {
            closeWith(refusal);
            return;
        }
        reply(services.greetings().greeting(host));
        ctx.flush();
        // A greeting delay (GreetingGate) is not the client's time.
        expect(commandTimeout + services.settings().rules().greeting().delay().toNanos() + pace.greeted());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == SinkState.CLOSING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf piece) {
            transaction.content(ctx.alloc(), piece);
            long stall = pace.content();
            if (stall > 0) {
                expect(commandTimeout + stall);
            }
        } else if (msg instanceof CommandLine command) {
            expect(commandTimeout + pace.command());
            if (state == SinkState.AUTH) {
                apply(auth.respond(command.line()));
            } else {
                command(command);
            }
        } else if (msg instanceof ContentEnd end) {
            expect(commandTimeout + pace.ended());
            content.end(end);
        } else if (msg instanceof LineError error) {
            lineError(error);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** Injected faults come first (FaultPlan); a command they let through is performed as usual. */
    private void command(CommandLine command) {
        FaultPlan.Action fault = services.settings().faults().draw(command.verb(), ThreadLocalRandom.current());
        if (fault == FaultPlan.ACCEPT) {
            perform(command);
            return;
        }
        services.stats().fired(Fired.FAULTS);
        if (fault instanceof FaultPlan.Refusal r) {
            faulted(command, r.reply());
        } else if (fault instanceof FaultPlan.Close421 r) {
            closeWith(r.reply());
        } else if (fault instanceof FaultPlan.Disconnect) {
            drop();
        } else if (fault instanceof FaultPlan.Delay d) {
            hold(command, d.duration().toNanos());
        } else if (fault instanceof FaultPlan.DropReply) {
            transaction.dropReply(); // ContentReceiver closes instead of replying after the data
            perform(command);
        }
    }

    /** An injected refusal: the command has no effect, as if the server had refused it itself. */
    private void faulted(CommandLine command, Reply reply) {
        if (command.verb() == Verb.RCPT && transaction.open()) {
            transaction.triedRecipient();
        }
        reply(reply);
    }

    /** An injected delay: the command is performed now, its reply (and every later one) waits. */
    private void hold(CommandLine command, long delayNanos) {
        output.hold(delayNanos);
        expect(commandTimeout + delayNanos);
        perform(command);
    }

    private void perform(CommandLine command) {
        String arg = command.argument();
        switch (command.verb()) {
            case EHLO, HELO, LHLO -> greet(command);
            case MAIL -> envelope.mail(arg);
            case RCPT -> envelope.rcpt(arg);
            case DATA -> content.data(arg);
            case BDAT -> content.bdat(arg);
            case RSET -> {
                transaction.clear();
                state = state == SinkState.GREETING ? state : SinkState.READY;
                reply(SinkReplies.OK);
            }
            case NOOP -> reply(SinkReplies.OK);
            case VRFY -> {
                // vrfy = "VRFY" SP String CRLF    ; RFC 5321 section 4.1.1.6
                if (arg.isBlank()) {
                    refuse(SinkReplies.VRFY_SYNTAX);
                } else {
                    reply(SinkReplies.VRFY);
                }
            }
            case HELP -> reply(SinkReplies.HELP);
            case QUIT -> {
                quit = true;
                closeWith(SinkReplies.BYE);
            }
            case STARTTLS -> startTls(arg);
            case AUTH -> auth(arg);
            case XCLIENT -> xclient(arg);
            case EXPN -> refuse(SinkReplies.NOT_IMPLEMENTED);
            case UNKNOWN -> refuse(SinkReplies.UNRECOGNIZED);
        }
    }

    private void greet(CommandLine command) {
        boolean lmtp = services.config().listen().lmtp();
        if (lmtp != (command.verb() == Verb.LHLO)) {
            refuse(lmtp ? SinkReplies.SMTP_VERB_IN_LMTP : SinkReplies.LMTP_VERB_IN_SMTP);
        } else if (command.argument().isBlank()) {
            refuse(SinkReplies.HELO_SYNTAX);
        } else {
            transaction.clear();
            state = SinkState.READY;
            reply(command.verb() == Verb.HELO ? Reply.of(250, host)
                    : XclientReceiver.offer(services.greetings().ehlo(host, tlsActive, auth.authenticated()),
                            ctx.channel(), services.config().clients()));
        }
    }

    /** XCLIENT (XclientReceiver): the session starts over, greeting included, as the announced client's. */
    private void xclient(String arg) {
        Reply refusal = XclientReceiver.receive(ctx.channel(), services.config().clients(), arg,
                state == SinkState.MAIL || state == SinkState.RCPT);
        if (refusal != null) {
            refuse(refusal);
            return;
        }
        verdicts.release();
        auth.forget();
        state = SinkState.GREETING;
        client = ClientAddress.arrived(ctx.channel(), services.stats().clients);
        Reply closing = verdicts.atConnect(ClientAddress.address(ctx.channel()), host);
        if (closing != null) {
            closeWith(closing);
        } else {
            reply(services.greetings().greeting(host));
        }
    }

    private void startTls(String arg) {
        if (!services.config().tls().starttls() || services.ssl() == null) {
            refuse(SinkReplies.NOT_IMPLEMENTED);
        } else if (tlsActive) {
            refuse(SinkReplies.ALREADY_TLS);
        } else if (!arg.isEmpty()) {
            refuse(SinkReplies.NO_ARGUMENTS);
        } else {
            SslHandler tls = new SslHandler(services.ssl().newEngine(ctx.alloc()), true);
            tls.setHandshakeTimeout(commandTimeout, TimeUnit.NANOSECONDS);
            RenegotiationGuard.install(ctx.pipeline(), tls);
            reply(SinkReplies.START_TLS);
            ctx.flush();
            decoder.discardInput();
            tlsActive = true;
            // RFC 3207 section 4.2: forget everything the client said before TLS, AUTH included.
            auth.forget();
            transaction.clear();
            state = SinkState.GREETING;
        }
    }

    private void auth(String arg) {
        if (services.config().policy().auth() == SinkConfig.AuthMode.NONE) {
            refuse(SinkReplies.NOT_IMPLEMENTED);
        } else if (greeted()) {
            apply(auth.start(arg, state, transaction.open()));
        }
    }

    private void lineError(LineError error) {
        // The refusal below ends a running AUTH exchange; a second reply would desynchronise a pipelining client.
        SinkState beforeAuth = auth.abort();
        if (state == SinkState.AUTH && beforeAuth != null) {
            state = beforeAuth;
        }
        refuse(switch (error) {
            case TOO_LONG -> SinkReplies.LINE_TOO_LONG;
            case BARE_LF -> SinkReplies.BARE_LF;
            case BARE_CR -> SinkReplies.BARE_CR;
            case NUL -> SinkReplies.NUL;
        });
    }

    /** True when the client has greeted; otherwise answers 503 and returns false. */
    boolean greeted() {
        if (state == SinkState.GREETING) {
            refuse(services.config().listen().lmtp() ? SinkReplies.NEED_LHLO : SinkReplies.NEED_HELO);
            return false;
        }
        return true;
    }

    /** Applies what {@link SinkAuth} decided: the state first, so a refusal that closes the session wins. */
    private void apply(SinkAuth.Step step) {
        state = step.next();
        if (step.refusal()) {
            refuse(step.reply());
        } else {
            reply(step.reply());
        }
    }

    SinkState state() {
        return state;
    }

    /** Moves the session to another state: how {@link ContentReceiver} steps through DATA and BDAT. */
    void enter(SinkState next) {
        state = next;
    }

    /** The reply refusing this client at {@code stage} when a DNSBL entry says so, else null. */
    Reply listedAt(BlockList.Stage stage) {
        return verdicts.listedAt(stage);
    }

    /** The client's IP address, as the logs name it. */
    String client() {
        return client;
    }

    /** Answers a protocol error; too many of them end the session. */
    void refuse(Reply reply) {
        services.stats().errors.increment();
        reply(reply);
        if (++protocolErrors >= services.config().limits().maxErrors()) {
            closeWith(SinkReplies.closing(host, "too many errors"));
        }
    }

    void reply(Reply reply) {
        pace.replying();
        output.reply(reply);
        if (pace.replied(reply)) {
            closeWith(Tarpit.tooManyErrors(host));
        }
    }

    /** The session's slow link, delays, tarpit and rate limits. */
    Pace pace() {
        return pace;
    }

    /** Closes the connection without a reply. */
    void drop() {
        state = SinkState.CLOSING;
        ctx.close();
    }

    /** Sends a last reply, then closes; nothing the client sends afterwards is read. */
    void closeWith(Reply reply) {
        if (state == SinkState.CLOSING) {
            return;
        }
        state = SinkState.CLOSING;
        output.last(reply);
    }

    /** Sets the time by which the client's next input must be complete. */
    void expect(long timeoutNanos) {
        output.expect(timeoutNanos);
    }

    private void timedOut() {
        if (state != SinkState.CLOSING) {
            services.stats().errors.increment();
            if (output.stalled()) {
                services.stats().stalled.warn(client + " left its replies unread until the command deadline");
            }
            closeWith(SinkReplies.closing(host, "Error: timeout exceeded"));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        output.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == RenegotiationGuard.REFUSED) {
            services.stats().errors.increment();
            services.stats().renegotiations.warn(client + " started one; its connection is closed");
            state = SinkState.CLOSING;
        } else if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                services.stats().tlsConnections.increment();
            } else {
                services.stats().errors.increment();
                LOG.debug("TLS handshake with {} failed: {}", client, handshake.cause().toString());
                state = SinkState.CLOSING;
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        services.stats().errors.increment();
        LOG.debug("session with {} failed: {}", client, cause.toString());
        state = SinkState.CLOSING;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (slot > 0 && !quit && state != SinkState.CLOSING) {
            // 0.76 counts a session that ends without QUIT as an error; so do we.
            services.stats().errors.increment();
        }
        state = SinkState.CLOSING;
        release();
        ctx.fireChannelInactive();
    }

    /** Gives back the slot, the timer and the message buffers; run at close and again at channelInactive. */
    private void release() {
        output.cancelTimer();
        transaction.clear();
        if (!slotReleased) {
            slotReleased = true;
            verdicts.release();
            services.slots().release(slot);
            warnOfLostTranscript();
        }
    }

    /** A transcript that failed (a full disk) ended its recording, not the session; said here, at most once a minute. */
    private void warnOfLostTranscript() {
        var failures = services.settings().transcripts().failures();
        if (transcriptLosses >= 0 && failures.lost() > transcriptLosses) {
            services.stats().transcriptFailures.warn(failures.first().map(f -> f.describe()).orElse("a transcript")
                    + " (" + failures.lost() + " sessions unrecorded or cut short so far)");
        }
    }

    /** Ends the session from outside (shutdown); runs on the channel's event loop. */
    void shutdown() {
        if (ctx != null && state != SinkState.CLOSING) {
            closeWith(SinkReplies.closing(host, "Service shutting down"));
        }
    }
}
