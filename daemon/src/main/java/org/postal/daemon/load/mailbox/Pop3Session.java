// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Locale;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.load.pop3.Pop3End;
import org.postal.daemon.load.pop3.Pop3Line;
import org.postal.daemon.load.pop3.Pop3ResponseDecoder;
import org.postal.daemon.load.pop3.Pop3ResponseDecoder.Expect;
import org.postal.daemon.load.pop3.Pop3Status;

/**
 * One POP3 session (RFC 1939, 2449, 2595): greeting, CAPA, STLS when drawn and offered, USER/PASS
 * or AUTH PLAIN, LIST, then RETR and DELE as -c and -d say, pipelined when CAPA offers PIPELINING,
 * then QUIT. A message whose X-PostalHash does not match is fetched once more for the log.
 */
final class Pop3Session implements MailboxSession {

    private enum Step { GREETING, CAPA, STLS, HANDSHAKE, USER, PASS, AUTH, STAT, LIST, UIDL, RETR, DELE, QUIT }

    private record Pending(Step step, Phase phase, long start, int message, boolean refetch) {
    }

    /** A RETR (and maybe a DELE after it) still to send. */
    private record Op(Step step, int message, boolean delete, boolean refetch) {
    }

    /** Commands kept in flight at once when the server pipelines (RFC 2449 section 6.6). */
    private static final int WINDOW = 8;

    private final RabidSlot slot;
    private final Pop3ResponseDecoder decoder;
    private final User account;
    private final boolean wantTls;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    private final ArrayDeque<Integer> listed = new ArrayDeque<>();
    private boolean tlsActive;
    private boolean stls;
    private boolean pipelining;
    private boolean saslPlain;
    private boolean uidl;
    private int uids;

    Pop3Session(RabidSlot slot, Pop3ResponseDecoder decoder, User account, boolean implicitTls, boolean wantTls) {
        this.slot = slot;
        this.decoder = decoder;
        this.account = account;
        this.tlsActive = implicitTls;
        this.wantTls = wantTls;
    }

    @Override
    public void start() {
        expect(Step.GREETING, Phase.BANNER, Expect.SINGLE, 0, false);
    }

    private void expect(Step step, Phase phase, Expect kind, int message, boolean refetch) {
        decoder.expect(kind);
        pending.add(new Pending(step, phase, System.nanoTime(), message, refetch));
        slot.arm();
    }

    private void send(String line, Step step, Phase phase, Expect kind) {
        send(line, step, phase, kind, 0, false, true);
    }

    private void send(String line, Step step, Phase phase, Expect kind, int message, boolean refetch, boolean flush) {
        expect(step, phase, kind, message, refetch);
        slot.command(line, flush);
    }

    @Override
    public Phase awaiting() {
        Pending head = pending.peek();
        return head == null ? null : head.phase();
    }

    @Override
    public void read(Object item) {
        Pending head = pending.peek();
        if (head == null) {
            slot.protocolError(Phase.QUIT, "unexpected response");
            return;
        }
        if (item instanceof Pop3Status status) {
            onStatus(head, status);
        } else if (item instanceof Pop3Line line) {
            onLine(head, line.text());
        } else if (item instanceof ByteBuf piece) {
            slot.check().content(piece);
        } else if (item instanceof Pop3End) {
            pending.poll();
            onEnd(head);
        }
    }

    private void onStatus(Pending head, Pop3Status status) {
        if (head.step() == Step.RETR) {
            // The status line starts the body; latency and the verdict come with its end.
            if (status.ok()) {
                slot.check().begin(head.refetch() || slot.logAll());
                return;
            }
            pending.poll();
            slot.failed(Phase.RETR, "-ERR");
            fill();
            return;
        }
        if (status.ok() && (head.step() == Step.CAPA || head.step() == Step.LIST || head.step() == Step.UIDL)) {
            return; // listing lines and an end follow
        }
        pending.poll();
        if (head.step() != Step.STLS) {
            slot.latency(head.phase(), head.start()); // STLS is measured with its handshake
        }
        switch (head.step()) {
            case GREETING -> {
                if (status.ok()) {
                    send("CAPA", Step.CAPA, Phase.LOGIN, Expect.LINES);
                } else {
                    slot.failed(Phase.BANNER, "-ERR");
                    quit(true);
                }
            }
            case CAPA -> afterCapa();
            case STLS -> {
                if (status.ok()) {
                    pending.add(new Pending(Step.HANDSHAKE, Phase.TLS, head.start(), 0, false));
                    slot.startTls();
                } else {
                    slot.failed(Phase.TLS, "-ERR");
                    login();
                }
            }
            case USER -> {
                if (status.ok()) {
                    send("PASS " + account.password(), Step.PASS, Phase.LOGIN, Expect.SINGLE);
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
                    slot.failed(Phase.STAT, "-ERR");
                    quit(true);
                } else if (status.text().startsWith("0 ")) {
                    quit(false); // an empty mailbox: nothing to list
                } else {
                    send("LIST", Step.LIST, Phase.LIST, Expect.LINES);
                }
            }
            case LIST -> {
                slot.failed(Phase.LIST, "-ERR");
                quit(true);
            }
            case UIDL -> {
                slot.failed(Phase.UIDL, "-ERR");
                plan();
                fill();
            }
            case DELE -> {
                if (status.ok()) {
                    slot.deleted();
                } else {
                    slot.failed(Phase.DELE, "-ERR");
                }
                fill();
            }
            case QUIT -> slot.sessionDone(false);
            case RETR, HANDSHAKE -> slot.protocolError(head.phase(), "unexpected status");
        }
    }

    private void onLine(Pending head, String text) {
        if (head.step() == Step.CAPA) {
            String word = text.trim().toUpperCase(Locale.ROOT);
            stls |= word.equals("STLS");
            pipelining |= word.equals("PIPELINING");
            saslPlain |= word.startsWith("SASL") && (" " + word + " ").contains(" PLAIN ");
            uidl |= word.equals("UIDL");
        } else if (head.step() == Step.UIDL) {
            uids++;
        } else if (head.step() == Step.LIST && listed.size() < RabidSlot.MAX_LISTED) {
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
                slot.latency(head.phase(), head.start());
                afterCapa();
            }
            case LIST -> {
                slot.latency(Phase.LIST, head.start());
                if (uidl) {
                    send("UIDL", Step.UIDL, Phase.UIDL, Expect.LINES);
                } else {
                    plan();
                    fill();
                }
            }
            case UIDL -> {
                slot.latency(Phase.UIDL, head.start());
                if (uids != listed.size() && listed.size() < RabidSlot.MAX_LISTED) {
                    // RFC 1939 section 7: UIDL lists every message LIST does.
                    slot.failed(Phase.UIDL, "count differs from LIST");
                }
                plan();
                fill();
            }
            case RETR -> {
                slot.latency(Phase.RETR, head.start());
                slot.retrieved(Phase.RETR, head.start(), head.refetch(), account);
                if (slot.wantsRefetch()) {
                    ops.addFirst(new Op(Step.RETR, head.message(), false, true));
                } else if (slot.deleteDrawn()) {
                    ops.addFirst(new Op(Step.DELE, head.message(), false, false));
                }
                fill();
            }
            default -> slot.protocolError(head.phase(), "unexpected end of listing");
        }
    }

    private void afterCapa() {
        if (wantTls && stls && !tlsActive) {
            send("STLS", Step.STLS, Phase.TLS, Expect.SINGLE);
        } else {
            login();
        }
    }

    @Override
    public void handshake(boolean success) {
        Pending head = pending.poll();
        if (head == null || head.step() != Step.HANDSHAKE || !success) {
            slot.failed(Phase.TLS, "handshake");
            slot.sessionDone(true);
            return;
        }
        slot.latency(Phase.TLS, head.start());
        slot.tlsDone();
        tlsActive = true;
        // RFC 2595 section 4: forget what was offered before TLS and ask again.
        stls = false;
        pipelining = false;
        saslPlain = false;
        uidl = false;
        send("CAPA", Step.CAPA, Phase.LOGIN, Expect.LINES);
    }

    private void login() {
        String name = slot.loginName(account);
        if (slot.saslPlain() && saslPlain) {
            String response = java.util.Base64.getEncoder().encodeToString(("\0" + name + "\0" + account.password())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            send("AUTH PLAIN " + response, Step.AUTH, Phase.LOGIN, Expect.SINGLE);
        } else {
            send("USER " + name, Step.USER, Phase.LOGIN, Expect.SINGLE);
        }
    }

    private void loginFailed() {
        slot.failed(Phase.LOGIN, "-ERR");
        quit(true);
    }

    private void afterLogin() {
        if (slot.perConnection() == 0) {
            quit(false);
        } else {
            send("STAT", Step.STAT, Phase.STAT, Expect.SINGLE);
        }
    }

    /** Draws, for the first -c listed messages, which to retrieve (-d D) and later which to delete (X). */
    private void plan() {
        int limit = slot.perConnection() < 0 ? Integer.MAX_VALUE : slot.perConnection();
        for (int i = 0; i < limit && !listed.isEmpty(); i++) {
            int message = listed.poll();
            if (slot.retrieveDrawn()) {
                ops.add(new Op(Step.RETR, message, false, false));
            }
        }
        listed.clear();
    }

    /** Sends what may go now: up to the window when pipelining, else one command at a time. */
    private void fill() {
        int window = pipelining ? WINDOW : 1;
        boolean sent = false;
        if (slot.stopping()) {
            // Stopping: finish what retrieved messages still need (DELE, a refetch), start nothing new.
            ops.removeIf(op -> op.step() == Step.RETR && !op.refetch());
        }
        while (!ops.isEmpty() && pending.size() < window) {
            Op op = ops.poll();
            if (op.step() == Step.RETR) {
                send("RETR " + op.message(), Step.RETR, Phase.RETR, Expect.MULTI, op.message(), op.refetch(), false);
            } else {
                send("DELE " + op.message(), Step.DELE, Phase.DELE, Expect.SINGLE, op.message(), false, false);
            }
            sent = true;
        }
        if (sent) {
            slot.flush();
        } else if (pending.isEmpty()) {
            quit(false);
        }
    }

    private void quit(boolean trouble) {
        if (trouble) {
            slot.trouble();
        }
        send("QUIT", Step.QUIT, Phase.QUIT, Expect.SINGLE);
    }

    @Override
    public void release() {
        pending.clear();
        ops.clear();
        listed.clear();
        slot.check().clear();
    }
}
