// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.postal.daemon.load.MailboxDraws;
import org.postal.daemon.load.MailboxLimits;
import org.postal.daemon.load.MailboxPlan;
import org.postal.daemon.load.MailboxSession;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.SessionHost;
import org.postal.daemon.load.imap.ImapResponseDecoder;
import org.postal.daemon.load.imap.ImapSession;
import org.postal.daemon.load.pop3.Pop3ResponseDecoder;
import org.postal.daemon.load.pop3.Pop3Session;
import org.postal.daemon.message.HashMode;

/**
 * A {@link SessionHost} for tests: runs one session on an {@link EmbeddedChannel} behind the
 * protocol's real response decoder, checks its messages with the real {@link MessageCheck}, and
 * writes down the commands it sends and what it reports, as the transcript words them.
 */
final class TestHost implements SessionHost {

    final List<String> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    boolean stopping;
    boolean done;
    MailboxSession session;
    private final boolean imap;
    private final MessageCheck check = new MessageCheck(HashMode.AUTO, ByteBufAllocator.DEFAULT);
    private boolean released;

    TestHost(String protocol) {
        this.imap = switch (protocol) {
            case "imap" -> true;
            case "pop3" -> false;
            default -> throw new IllegalArgumentException("protocol pop3 or imap, not " + protocol);
        };
    }

    /** Lays out the pipeline and makes the session; {@code words} as in a transcript's plan: line. */
    void start(EmbeddedChannel channel, String words) {
        boolean tls = false;
        boolean implicitTls = false;
        boolean sasl = false;
        String login = "user1@example.com";
        String password = "pw1";
        int perConnection = -1;
        int download = 100;
        int delete = 100;
        long seed = 1;
        long limit = MailboxLimits.MAX_MESSAGE;
        for (String word : words.isEmpty() ? new String[0] : words.split("\\s+")) {
            String[] kv = word.split("=", 2);
            switch (kv[0]) {
                case "tls" -> tls = true;
                case "implicit-tls" -> implicitTls = true;
                case "sasl" -> sasl = true;
                case "login" -> login = kv[1];
                case "password" -> password = kv[1];
                case "per-connection" -> perConnection = Integer.parseInt(kv[1]);
                case "download" -> {
                    String[] dx = kv[1].split(":");
                    download = Integer.parseInt(dx[0]);
                    delete = dx.length > 1 ? Integer.parseInt(dx[1]) : 100;
                }
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "limit" -> limit = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown plan word " + word);
            }
        }
        // Slot 1 of rabid -p 1 --seed S: the first split, then one draw to pick the only account.
        SplittableRandom random = new SplittableRandom(seed).split();
        random.nextInt(1);
        MailboxDraws draws = new MailboxDraws(random, imap ? 100 : 0, tls ? 100 : 0, download, delete);
        MailboxPlan plan = new MailboxPlan(login, password, implicitTls, tls, sasl, perConnection, draws);
        if (imap) {
            channel.pipeline().addLast(new ImapResponseDecoder(ImapResponseDecoder.DEFAULT_MAX_LINE, limit));
            session = new ImapSession(this, plan);
        } else {
            Pop3ResponseDecoder decoder = new Pop3ResponseDecoder(64 * 1024, false, limit);
            channel.pipeline().addLast(decoder);
            session = new Pop3Session(this, decoder, plan);
        }
        channel.pipeline().addLast(new Forward());
    }

    void handshake(boolean success) {
        session.handshake(success);
    }

    /** Frees what is left once the test is over. */
    void end() {
        if (!released && session != null) {
            released = true;
            session.release();
        }
        check.clear();
    }

    private void cut(Phase phase, String what) {
        if (!done) {
            failed(phase == null ? Phase.QUIT : phase, what);
            done(true);
        }
    }

    @Override
    public void send(CharSequence line) {
        if (done) {
            throw new IllegalStateException("send after done: " + line);
        }
        sent.add(line.toString());
    }

    @Override
    public void await() {
        // The test has no clock.
    }

    @Override
    public void measured(Phase phase, long startNanos) {
        // Latencies are the slot's business.
    }

    @Override
    public void failed(Phase phase, String what) {
        events.add("failed " + phase.label().toUpperCase(Locale.ROOT) + " " + what);
    }

    @Override
    public void startTls() {
        events.add("starttls");
    }

    @Override
    public void tlsUp() {
        // Counted by the slot.
    }

    @Override
    public void messageBegin(boolean again) {
        check.begin(again);
    }

    @Override
    public void content(ByteBuf piece) {
        check.content(piece);
    }

    @Override
    public boolean messageEnd(Phase phase, long startNanos, boolean again) {
        String verdict = check.finish().status().name().toLowerCase(Locale.ROOT);
        check.clear();
        events.add("message " + verdict + (again ? " again" : ""));
        return !again && verdict.equals("corrupt");
    }

    @Override
    public void messageAbandoned() {
        check.clear();
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void done(boolean trouble) {
        if (done) {
            throw new IllegalStateException("done twice");
        }
        done = true;
        events.add(trouble ? "done trouble" : "done");
        released = true;
        session.release();
        check.clear();
    }

    /** What RabidSlot's handler does: forward while the session runs, count a close or a decoder's error. */
    private final class Forward extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (done) {
                ReferenceCountUtil.release(msg);
            } else {
                session.read(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cut(session.awaiting(), "closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cut(session.awaiting(), cause instanceof TooLongFrameException ? "too large" : "protocol");
            ctx.close();
        }
    }
}
