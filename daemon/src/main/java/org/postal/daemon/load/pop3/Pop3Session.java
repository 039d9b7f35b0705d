// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Locale;
import org.postal.daemon.load.MailboxLimits;
import org.postal.daemon.load.MailboxPlan;
import org.postal.daemon.load.MailboxSession;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.SessionHost;
import org.postal.daemon.load.pop3.Pop3ResponseDecoder.Expect;

/**
 * One POP3 session of rabid (RFC 1939, 2449, 2595): greeting, CAPA, STLS when drawn and offered,
 * USER/PASS or AUTH PLAIN, STAT, LIST (and UIDL when offered), then RETR and DELE as -c and -d
 * say, pipelined when CAPA offers PIPELINING, then QUIT. A message whose X-PostalHash does not
 * match is fetched once more for the log. It talks to its slot only through {@link SessionHost}.
 */
public final class Pop3Session implements MailboxSession {

    private enum Step { GREETING, CAPA, STLS, HANDSHAKE, USER, PASS, AUTH, STAT, LIST, UIDL, RETR, DELE, QUIT }

    private record Pending(Step step, Phase phase, long start, int message, boolean refetch) {
    }

    /** A RETR (and maybe a DELE after it) still to send. */
    private record Op(Step step, int message, boolean refetch) {
    }

    /** Commands kept in flight at once when the server pipelines (RFC 2449 section 6.6). */
    private static final int WINDOW = 8;

    private final SessionHost host;
    private final Pop3ResponseDecoder decoder;
    private final MailboxPlan plan;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    private final ArrayDeque<Integer> listed = new ArrayDeque<>();
    private boolean tlsActive;
    private boolean stls;
    private boolean pipelining;
    private boolean saslPlain;
    private boolean uidl;
    private boolean inMessage;
    private boolean trouble;
    private int uids;
    private int lines;

    /** @param decoder the connection's response decoder, told what each command's response looks like */
    public Pop3Session(SessionHost host, Pop3ResponseDecoder decoder, MailboxPlan plan) {
        this.host = host;
        this.decoder = decoder;
        this.plan = plan;
        this.tlsActive = plan.implicitTls();
    }

    @Override
    public void start() {
        expect(Step.GREETING, Phase.BANNER, Expect.SINGLE, 0, false);
    }

    private void expect(Step step, Phase phase, Expect kind, int message, boolean refetch) {
        decoder.expect(kind);
        pending.add(new Pending(step, phase, System.nanoTime(), message, refetch));
        host.await();
    }

    private void send(String line, Step step, Phase phase, Expect kind) {
        send(line, step, phase, kind, 0, false);
    }

    private void send(String line, Step step, Phase phase, Expect kind, int message, boolean refetch) {
        expect(step, phase, kind, message, refetch);
        host.send(line);
    }

    @Override
    public Phase awaiting() {
        Pending head = pending.peek();
        return head == null ? null : head.phase();
    }

    @Override
    public void read(Object item) {
        Pending head = pending.peek();
        if (item instanceof ByteBuf piece) {
            if (head != null && inMessage) {
                host.content(piece);
            } else {
                piece.release();
            }
        } else if (head == null) {
            abort(Phase.QUIT, "unexpected response");
        } else if (item instanceof Pop3Status status) {
            onStatus(head, status);
        } else if (item instanceof Pop3Line line) {
            onLine(head, line.text());
        } else if (item instanceof Pop3End) {
            pending.poll();
            onEnd(head);
        }
    }

    private void onStatus(Pending head, Pop3Status status) {
        lines = 0;
        if (head.step() == Step.RETR) {
            // The status line starts the body; latency and the verdict come with its end.
            if (status.ok()) {
                inMessage = true;
                host.messageBegin(head.refetch());
                return;
            }
            pending.poll();
            host.failed(Phase.RETR, "-ERR");
            fill();
            return;
        }
        if (status.ok() && (head.step() == Step.CAPA || head.step() == Step.LIST || head.step() == Step.UIDL)) {
            return; // listing lines and an end follow
        }
        pending.poll();
        if (head.step() != Step.STLS && head.step() != Step.HANDSHAKE) {
            host.measured(head.phase(), head.start()); // STLS is measured with its handshake
        }
        switch (head.step()) {
            case GREETING -> {
                if (status.ok()) {
                    send("CAPA", Step.CAPA, Phase.LOGIN, Expect.LINES);
                } else {
                    host.failed(Phase.BANNER, "-ERR");
                    quit(true);
                }
            }
            case CAPA -> afterCapa();
            case STLS -> {
                if (status.ok()) {
                    pending.add(new Pending(Step.HANDSHAKE, Phase.TLS, head.start(), 0, false));
                    host.startTls();
                } else {
                    host.failed(Phase.TLS, "-ERR");
                    login();
                }
            }
            case USER -> {
                if (status.ok()) {
                    send("PASS " + plan.password(), Step.PASS, Phase.LOGIN, Expect.SINGLE);
                } else {
                    loginFailed();
                }
            }
            case PASS, AUTH -> {
                if (status.ok()) {
                    afterLogin();
                } else {
                    loginFailed();
                }
            }
            case STAT -> {
                if (!status.ok()) {
                    host.failed(Phase.STAT, "-ERR");
                    quit(true);
                } else if (status.text().startsWith("0 ")) {
                    quit(false); // an empty mailbox: nothing to list
                } else {
                    send("LIST", Step.LIST, Phase.LIST, Expect.LINES);
                }
            }
            case LIST -> {
                host.failed(Phase.LIST, "-ERR");
                quit(true);
            }
            case UIDL -> {
                host.failed(Phase.UIDL, "-ERR");
                plan();
                fill();
            }
            case DELE -> {
                if (!status.ok()) {
                    host.failed(Phase.DELE, "-ERR");
                }
                fill();
            }
            case QUIT -> host.done(trouble);
            case RETR, HANDSHAKE -> abort(head.phase(), "unexpected status");
        }
    }

    private void onLine(Pending head, String text) {
        if (++lines > (head.step() == Step.CAPA ? MailboxLimits.MAX_OTHER_RESPONSES : MailboxLimits.MAX_RESPONSES)) {
            abort(head.phase(), "flood");
        } else if (head.step() == Step.CAPA) {
            String word = text.trim().toUpperCase(Locale.ROOT);
            stls |= word.equals("STLS");
            pipelining |= word.equals("PIPELINING");
            saslPlain |= word.startsWith("SASL") && (" " + word + " ").contains(" PLAIN ");
            uidl |= word.equals("UIDL");
        } else if (head.step() == Step.UIDL) {
            uids++;
        } else if (head.step() == Step.LIST && listed.size() < MailboxLimits.MAX_LISTED) {
            int number = messageNumber(text);
            if (number >= 0) {
                listed.add(number);
            }
        }
    }
    /**
     * RFC 1939 section 5: a LIST line's message number, 1 to 9 digits before a space (whitespace
     * around the line is ignored), or -1. No regular expression: rabid reads one line per message.
     */
    static int messageNumber(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && line.charAt(i) <= ' ') {
            i++;
        }
        int start = i;
        int value = 0;
        while (i < n && i - start < 10 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            value = value * 10 + line.charAt(i++) - '0';
        }
        if (i == start || i - start > 9) {
            return -1;
        }
        if (i < n && line.charAt(i) != ' ') {
            for (int j = i; j < n; j++) {
                if (line.charAt(j) > ' ') {
                    return -1;
                }
            }
        }
        return value;
    }

    private void onEnd(Pending head) {
        switch (head.step()) {
            case CAPA -> {
                host.measured(head.phase(), head.start());
                afterCapa();
            }
            case LIST -> {
                host.measured(Phase.LIST, head.start());
                if (uidl) {
                    send("UIDL", Step.UIDL, Phase.UIDL, Expect.LINES);
                } else {
                    plan();
                    fill();
                }
            }
            case UIDL -> {
                host.measured(Phase.UIDL, head.start());
                if (uids != listed.size() && listed.size() < MailboxLimits.MAX_LISTED) {
                    // RFC 1939 section 7: UIDL lists every message LIST does.
                    host.failed(Phase.UIDL, "count differs from LIST");
                }
                plan();
                fill();
            }
            case RETR -> {
                inMessage = false;
                host.measured(Phase.RETR, head.start());
                if (host.messageEnd(Phase.RETR, head.start(), head.refetch())) {
                    ops.addFirst(new Op(Step.RETR, head.message(), true));
                } else if (plan.draws().delete()) {
                    ops.addFirst(new Op(Step.DELE, head.message(), false));
                }
                fill();
            }
            default -> abort(head.phase(), "unexpected end of listing");
        }
    }

    private void afterCapa() {
        if (plan.wantTls() && stls && !tlsActive) {
            send("STLS", Step.STLS, Phase.TLS, Expect.SINGLE);
        } else {
            login();
        }
    }

    @Override
    public void handshake(boolean success) {
        Pending head = pending.poll();
        if (head == null || head.step() != Step.HANDSHAKE || !success) {
            abort(Phase.TLS, "handshake");
            return;
        }
        host.measured(Phase.TLS, head.start());
        host.tlsUp();
        tlsActive = true;
        // RFC 2595 section 4: forget what was offered before TLS and ask again.
        stls = false;
        pipelining = false;
        saslPlain = false;
        uidl = false;
        send("CAPA", Step.CAPA, Phase.LOGIN, Expect.LINES);
    }

    private void login() {
        if (plan.saslPlain() && saslPlain) {
            send("AUTH PLAIN " + plan.plainResponse(), Step.AUTH, Phase.LOGIN, Expect.SINGLE);
        } else {
            send("USER " + plan.loginName(), Step.USER, Phase.LOGIN, Expect.SINGLE);
        }
    }

    private void loginFailed() {
        host.failed(Phase.LOGIN, "-ERR");
        quit(true);
    }

    private void afterLogin() {
        if (plan.perConnection() == 0) {
            quit(false);
        } else {
            send("STAT", Step.STAT, Phase.STAT, Expect.SINGLE);
        }
    }

    /** Draws, for the first -c listed messages, which to retrieve (-d D) and later which to delete (X). */
    private void plan() {
        int limit = plan.limit();
        for (int i = 0; i < limit && !listed.isEmpty(); i++) {
            int message = listed.poll();
            if (plan.draws().retrieve()) {
                ops.add(new Op(Step.RETR, message, false));
            }
        }
        listed.clear();
    }

    /** Sends what may go now: up to the window when pipelining, else one command at a time. */
    private void fill() {
        int window = pipelining ? WINDOW : 1;
        boolean sent = false;
        if (host.stopping()) {
            // Stopping: finish what retrieved messages still need (DELE, a refetch), start nothing new.
            ops.removeIf(op -> op.step() == Step.RETR && !op.refetch());
        }
        while (!ops.isEmpty() && pending.size() < window) {
            Op op = ops.poll();
            if (op.step() == Step.RETR) {
                send("RETR " + op.message(), Step.RETR, Phase.RETR, Expect.MULTI, op.message(), op.refetch());
            } else {
                send("DELE " + op.message(), Step.DELE, Phase.DELE, Expect.SINGLE, op.message(), false);
            }
            sent = true;
        }
        if (!sent && pending.isEmpty()) {
            quit(false);
        }
    }

    private void quit(boolean troubled) {
        trouble |= troubled;
        send("QUIT", Step.QUIT, Phase.QUIT, Expect.SINGLE);
    }

    /** Ends the session on a server that broke the protocol. */
    private void abort(Phase phase, String what) {
        pending.clear();
        host.failed(phase == null ? Phase.QUIT : phase, what);
        host.done(true);
    }

    @Override
    public void release() {
        pending.clear();
        ops.clear();
        listed.clear();
    }
}
