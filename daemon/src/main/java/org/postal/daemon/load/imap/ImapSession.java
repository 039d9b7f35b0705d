// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.postal.daemon.load.MailboxLimits;
import org.postal.daemon.load.MailboxPlan;
import org.postal.daemon.load.MailboxSession;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.SessionHost;

/**
 * One IMAP4rev1 session of rabid (RFC 3501): greeting, CAPABILITY, STARTTLS when drawn and
 * offered, LOGIN or AUTHENTICATE PLAIN, SELECT INBOX, {@code UID FETCH 1:* (UID RFC822.SIZE)},
 * then for the drawn messages {@code UID FETCH uid BODY.PEEK[]} and
 * {@code UID STORE uid +FLAGS.SILENT (\Deleted)}, {@code UID EXPUNGE} (UIDPLUS) or EXPUNGE, and
 * LOGOUT. One command at a time; a tagged reply must carry the tag of the command in flight, and
 * at most {@link MailboxLimits#MAX_RESPONSES} untagged responses may come before it (the listing
 * and EXPUNGE), {@link MailboxLimits#MAX_OTHER_RESPONSES} for any other command. It talks to its
 * slot only through {@link SessionHost}.
 */
public final class ImapSession implements MailboxSession {

    private enum Step { GREETING, CAPABILITY, STARTTLS, HANDSHAKE, LOGIN, SELECT, LIST, FETCH, STORE, EXPUNGE, LOGOUT }

    private record Pending(Step step, Phase phase, long start, String tag, long uid, boolean refetch) {
    }

    private record Op(Step step, long uid, boolean refetch) {
    }

    private final SessionHost host;
    private final MailboxPlan plan;
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    private final List<Long> uids = new ArrayList<>();
    private final List<Long> deleted = new ArrayList<>();
    private ImapCapabilities caps;
    private Pending pending;
    private boolean tlsActive;
    private boolean trouble;
    private boolean preauth;
    private boolean literalSeen;
    private boolean inMessage;
    private long exists = -1;
    private int tag;
    private int untagged;

    public ImapSession(SessionHost host, MailboxPlan plan) {
        this.host = host;
        this.plan = plan;
        this.tlsActive = plan.implicitTls();
    }

    @Override
    public void start() {
        pending = new Pending(Step.GREETING, Phase.BANNER, System.nanoTime(), null, 0, false);
        host.await();
    }

    @Override
    public Phase awaiting() {
        return pending == null ? null : pending.phase();
    }

    private void send(String command, Step step, Phase phase) {
        send(command, step, phase, 0, false);
    }

    private void send(String command, Step step, Phase phase, long uid, boolean refetch) {
        String next = "a" + (++tag);
        pending = new Pending(step, phase, System.nanoTime(), next, uid, refetch);
        untagged = 0;
        host.send(next + " " + command);
        host.await();
    }

    @Override
    public void read(Object item) {
        if (item instanceof ByteBuf piece) {
            if (inMessage) {
                host.content(piece);
            } else {
                piece.release(); // a literal rabid did not ask for
            }
            return;
        }
        if (pending == null) {
            ReferenceCountUtil.release(item);
            abort(Phase.QUIT, "unexpected response");
            return;
        }
        ImapCapabilities.of(item).ifPresent(found -> caps = found);
        if (item instanceof LiteralStart) {
            inMessage = false;
            if (pending.step() == Step.FETCH) {
                if (literalSeen) {
                    host.messageAbandoned(); // a second text in one reply: only the last one counts
                }
                literalSeen = true;
                inMessage = true;
                host.messageBegin(pending.refetch());
            }
        } else if (item instanceof LiteralEnd) {
            inMessage = false;
        } else if (item instanceof Untagged response) {
            boolean listing = pending.step() == Step.LIST || pending.step() == Step.EXPUNGE;
            if (++untagged > (listing ? MailboxLimits.MAX_RESPONSES : MailboxLimits.MAX_OTHER_RESPONSES)) {
                abort(pending.phase(), "flood");
            } else {
                untagged(response);
            }
        } else if (item instanceof Tagged tagged) {
            tagged(tagged);
        } else if (item instanceof Continuation) {
            abort(pending.phase(), "unexpected continuation"); // rabid sends no literal and no SASL step
        }
    }

    private void untagged(Untagged u) {
        switch (u.keyword()) {
            case "OK", "PREAUTH" -> {
                if (pending.step() == Step.GREETING) {
                    preauth = u.keyword().equals("PREAUTH");
                    greeted();
                }
            }
            case "EXISTS" -> exists = u.number();
            case "BYE" -> {
                if (pending.step() != Step.LOGOUT) {
                    abort(pending.phase(), "BYE");
                }
            }
            case "FETCH" -> {
                if (pending.step() == Step.LIST && uids.size() < MailboxLimits.MAX_LISTED) {
                    listed(u.rest());
                }
            }
            default -> {
                // RECENT, FLAGS, EXPUNGE and the like: nothing rabid needs.
            }
        }
    }

    private void listed(String fetchData) {
        long uid;
        try {
            uid = FetchItems.parse(fetchData).uid();
        } catch (IllegalArgumentException e) {
            abort(Phase.LIST, "protocol");
            return;
        }
        if (uid > 0) {
            uids.add(uid);
        }
    }

    private void greeted() {
        host.measured(Phase.BANNER, pending.start());
        if (caps == null) {
            send("CAPABILITY", Step.CAPABILITY, Phase.LOGIN);
        } else {
            afterCapabilities();
        }
    }

    private void afterCapabilities() {
        if (plan.wantTls() && !tlsActive && caps != null && caps.starttls()) {
            send("STARTTLS", Step.STARTTLS, Phase.TLS);
        } else {
            login();
        }
    }

    private void login() {
        if (preauth) {
            // RFC 3501 section 7.1.4: already authenticated; LOGIN would be refused.
            afterLogin();
        } else if (plan.saslPlain() && caps != null && caps.auth("PLAIN") && caps.has("SASL-IR")) {
            send("AUTHENTICATE PLAIN " + plan.plainResponse(), Step.LOGIN, Phase.LOGIN);
        } else {
            send("LOGIN " + quoted(plan.loginName()) + " " + quoted(plan.password()), Step.LOGIN, Phase.LOGIN);
        }
    }

    // quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // RFC 3501 section 2.2.1: the server's completion result carries the tag of the command it completes.
    private void tagged(Tagged t) {
        Pending done = pending;
        if (done.tag() == null || !done.tag().equals(t.tag())) {
            abort(done.phase(), "wrong tag");
            return;
        }
        pending = null;
        if (done.step() != Step.STARTTLS) {
            host.measured(done.phase(), done.start()); // STARTTLS is measured with its handshake
        }
        boolean ok = t.status() == Status.OK;
        switch (done.step()) {
            case CAPABILITY -> afterCapabilities();
            case STARTTLS -> {
                if (ok) {
                    pending = new Pending(Step.HANDSHAKE, Phase.TLS, done.start(), null, 0, false);
                    host.startTls();
                } else {
                    host.failed(Phase.TLS, t.status().name());
                    login();
                }
            }
            case LOGIN -> {
                if (ok) {
                    afterLogin();
                } else {
                    host.failed(Phase.LOGIN, t.status().name());
                    logout(true);
                }
            }
            case SELECT -> {
                if (ok && exists == 0) {
                    logout(false);
                } else if (ok) {
                    send("UID FETCH 1:* (UID RFC822.SIZE)", Step.LIST, Phase.LIST);
                } else {
                    host.failed(Phase.SELECT, t.status().name());
                    logout(true);
                }
            }
            case LIST -> {
                if (!ok) {
                    host.failed(Phase.LIST, t.status().name());
                }
                plan();
                next();
            }
            case FETCH -> fetched(done, t);
            case STORE -> {
                if (ok) {
                    deleted.add(done.uid());
                } else {
                    host.failed(Phase.STORE, t.status().name());
                }
                next();
            }
            case EXPUNGE -> {
                if (!ok) {
                    host.failed(Phase.EXPUNGE, t.status().name());
                }
                logout(false);
            }
            case LOGOUT -> host.done(trouble);
            case GREETING, HANDSHAKE -> abort(done.phase(), "unexpected tagged response");
        }
    }

    private void fetched(Pending done, Tagged t) {
        if (t.status() == Status.OK && literalSeen) {
            if (host.messageEnd(Phase.FETCH, done.start(), done.refetch())) {
                ops.addFirst(new Op(Step.FETCH, done.uid(), true));
            } else if (plan.draws().delete()) {
                ops.addFirst(new Op(Step.STORE, done.uid(), false));
            }
        } else {
            if (literalSeen) {
                host.messageAbandoned();
            }
            // OK without the message text: it was expunged meanwhile; nothing was read.
            host.failed(Phase.FETCH, t.status() == Status.OK ? "no text" : t.status().name());
        }
        next();
    }

    @Override
    public void handshake(boolean success) {
        if (pending == null || pending.step() != Step.HANDSHAKE || !success) {
            abort(Phase.TLS, "handshake");
            return;
        }
        host.measured(Phase.TLS, pending.start());
        pending = null;
        host.tlsUp();
        tlsActive = true;
        caps = null; // RFC 3501 section 6.2.1: capabilities may change after STARTTLS
        send("CAPABILITY", Step.CAPABILITY, Phase.LOGIN);
    }

    /** The first -c messages (by their order in the mailbox), of which -d D% are retrieved. */
    private void plan() {
        int limit = plan.limit();
        for (int i = 0; i < uids.size() && i < limit; i++) {
            if (plan.draws().retrieve()) {
                ops.add(new Op(Step.FETCH, uids.get(i), false));
            }
        }
        uids.clear();
    }

    private void afterLogin() {
        if (plan.perConnection() == 0) {
            logout(false);
        } else {
            send("SELECT INBOX", Step.SELECT, Phase.SELECT);
        }
    }

    private void next() {
        literalSeen = false;
        inMessage = false;
        if (host.stopping()) {
            // Stopping: finish what retrieved messages still need (STORE, a refetch), start nothing new.
            ops.removeIf(op -> op.step() == Step.FETCH && !op.refetch());
        }
        Op op = ops.poll();
        if (op == null) {
            expungeOrLogout();
        } else if (op.step() == Step.FETCH) {
            send("UID FETCH " + op.uid() + " BODY.PEEK[]", Step.FETCH, Phase.FETCH, op.uid(), op.refetch());
        } else {
            send("UID STORE " + op.uid() + " +FLAGS.SILENT (\\Deleted)", Step.STORE, Phase.STORE, op.uid(), false);
        }
    }

    private void expungeOrLogout() {
        if (deleted.isEmpty()) {
            logout(false);
        } else if (caps != null && caps.uidplus()) {
            StringBuilder set = new StringBuilder();
            for (long uid : deleted) {
                set.append(set.length() == 0 ? "" : ",").append(uid);
            }
            deleted.clear();
            send("UID EXPUNGE " + set, Step.EXPUNGE, Phase.EXPUNGE);
        } else {
            deleted.clear();
            send("EXPUNGE", Step.EXPUNGE, Phase.EXPUNGE);
        }
    }

    private void logout(boolean troubled) {
        trouble |= troubled;
        send("LOGOUT", Step.LOGOUT, Phase.LOGOUT);
    }

    /** Ends the session on a server that broke the protocol. */
    private void abort(Phase phase, String what) {
        pending = null;
        host.failed(phase == null ? Phase.QUIT : phase, what);
        host.done(true);
    }

    @Override
    public void release() {
        ops.clear();
        uids.clear();
        deleted.clear();
    }
}
