// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.UserPool.User;
import org.postal.daemon.load.imap.FetchItems;
import org.postal.daemon.load.imap.ImapCapabilities;
import org.postal.daemon.load.imap.LiteralStart;
import org.postal.daemon.load.imap.Status;
import org.postal.daemon.load.imap.Tagged;
import org.postal.daemon.load.imap.Untagged;

/**
 * One IMAP4rev1 session (RFC 3501): greeting, CAPABILITY, STARTTLS when drawn and offered, LOGIN or
 * AUTHENTICATE PLAIN, SELECT INBOX, {@code UID FETCH 1:* (UID RFC822.SIZE)}, then for the drawn
 * messages {@code UID FETCH uid BODY.PEEK[]} and {@code UID STORE uid +FLAGS.SILENT (\Deleted)},
 * {@code UID EXPUNGE} (UIDPLUS) or EXPUNGE, and LOGOUT. One command at a time.
 */
final class ImapSession implements MailboxSession {

    private enum Step { GREETING, CAPABILITY, STARTTLS, HANDSHAKE, LOGIN, SELECT, LIST, FETCH, STORE, EXPUNGE, LOGOUT }

    private record Pending(Step step, Phase phase, long start, long uid, boolean refetch) {
    }

    private record Op(Step step, long uid, boolean refetch) {
    }

    private final RabidSlot slot;
    private final User account;
    private final boolean wantTls;
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    private final List<Long> uids = new ArrayList<>();
    private final List<Long> deleted = new ArrayList<>();
    private ImapCapabilities caps;
    private Pending pending;
    private boolean tlsActive;
    private boolean trouble;
    private boolean preauth;
    private boolean literalSeen;
    private long exists = -1;
    private int tag;

    ImapSession(RabidSlot slot, User account, boolean implicitTls, boolean wantTls) {
        this.slot = slot;
        this.account = account;
        this.tlsActive = implicitTls;
        this.wantTls = wantTls;
    }

    @Override
    public void start() {
        pending = new Pending(Step.GREETING, Phase.BANNER, System.nanoTime(), 0, false);
        slot.arm();
    }

    @Override
    public Phase awaiting() {
        return pending == null ? null : pending.phase();
    }

    private void send(String command, Step step, Phase phase) {
        send(command, step, phase, 0, false);
    }

    private void send(String command, Step step, Phase phase, long uid, boolean refetch) {
        pending = new Pending(step, phase, System.nanoTime(), uid, refetch);
        slot.command("a" + (++tag) + " " + command, true);
        slot.arm();
    }

    @Override
    public void read(Object item) {
        if (item instanceof ByteBuf piece) {
            slot.check().content(piece);
            return;
        }
        if (pending == null) {
            slot.protocolError(Phase.QUIT, "unexpected response");
            return;
        }
        ImapCapabilities.of(item).ifPresent(found -> caps = found);
        if (item instanceof LiteralStart) {
            if (pending.step() == Step.FETCH) {
                literalSeen = true;
                slot.check().begin(pending.refetch() || slot.logAll());
            }
        } else if (item instanceof Untagged untagged) {
            untagged(untagged);
        } else if (item instanceof Tagged tagged) {
            tagged(tagged);
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
                    slot.failed(pending.phase(), "BYE");
                    slot.sessionDone(true);
                }
            }
            case "FETCH" -> {
                if (pending.step() == Step.LIST && uids.size() < RabidSlot.MAX_LISTED) {
                    long uid = FetchItems.parse(u.rest()).uid();
                    if (uid > 0) {
                        uids.add(uid);
                    }
                }
            }
            default -> {
                // EXISTS, RECENT, FLAGS, EXPUNGE and the like: nothing rabid needs.
            }
        }
    }

    private void greeted() {
        slot.latency(Phase.BANNER, pending.start());
        if (caps == null) {
            send("CAPABILITY", Step.CAPABILITY, Phase.LOGIN);
        } else {
            afterCapabilities();
        }
    }

    private void afterCapabilities() {
        if (wantTls && !tlsActive && caps != null && caps.starttls()) {
            send("STARTTLS", Step.STARTTLS, Phase.TLS);
        } else {
            login();
        }
    }

    private void login() {
        if (preauth) {
            // RFC 3501 section 7.1.4: already authenticated; LOGIN would be refused.
            afterLogin();
            return;
        }
        String name = slot.loginName(account);
        if (slot.saslPlain() && caps != null && caps.auth("PLAIN") && caps.has("SASL-IR")) {
            String response = Base64.getEncoder().encodeToString(("\0" + name + "\0" + account.password())
                    .getBytes(StandardCharsets.UTF_8));
            send("AUTHENTICATE PLAIN " + response, Step.LOGIN, Phase.LOGIN);
        } else {
            send("LOGIN " + quoted(name) + " " + quoted(account.password()), Step.LOGIN, Phase.LOGIN);
        }
    }

    // quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void tagged(Tagged t) {
        Pending done = pending;
        pending = null;
        if (done.step() != Step.STARTTLS) {
            slot.latency(done.phase(), done.start()); // STARTTLS is measured with its handshake
        }
        boolean ok = t.status() == Status.OK;
        switch (done.step()) {
            case CAPABILITY -> afterCapabilities();
            case STARTTLS -> {
                if (ok) {
                    pending = new Pending(Step.HANDSHAKE, Phase.TLS, done.start(), 0, false);
                    slot.startTls();
                } else {
                    slot.failed(Phase.TLS, t.status().name());
                    login();
                }
            }
            case LOGIN -> {
                if (!ok) {
                    slot.failed(Phase.LOGIN, t.status().name());
                    logout(true);
                } else {
                    afterLogin();
                }
            }
            case SELECT -> {
                if (ok && exists == 0) {
                    logout(false);
                } else if (ok) {
                    send("UID FETCH 1:* (UID RFC822.SIZE)", Step.LIST, Phase.LIST);
                } else {
                    slot.failed(Phase.SELECT, t.status().name());
                    logout(true);
                }
            }
            case LIST -> {
                if (!ok) {
                    slot.failed(Phase.LIST, t.status().name());
                }
                plan();
                next();
            }
            case FETCH -> {
                if (ok && !literalSeen) {
                    // OK without the message text: it was expunged meanwhile; nothing was read.
                    slot.check().clear();
                    slot.failed(Phase.FETCH, "no text");
                } else if (ok) {
                    slot.retrieved(Phase.FETCH, done.start(), done.refetch(), account);
                    if (slot.wantsRefetch()) {
                        ops.addFirst(new Op(Step.FETCH, done.uid(), true));
                    } else if (slot.deleteDrawn()) {
                        ops.addFirst(new Op(Step.STORE, done.uid(), false));
                    }
                } else {
                    slot.check().clear();
                    slot.failed(Phase.FETCH, t.status().name());
                }
                next();
            }
            case STORE -> {
                if (ok) {
                    deleted.add(done.uid());
                } else {
                    slot.failed(Phase.STORE, t.status().name());
                }
                next();
            }
            case EXPUNGE -> {
                if (!ok) {
                    slot.failed(Phase.EXPUNGE, t.status().name());
                }
                logout(false);
            }
            case LOGOUT -> slot.sessionDone(trouble);
            case GREETING, HANDSHAKE -> slot.protocolError(done.phase(), "unexpected tagged response");
        }
    }

    @Override
    public void handshake(boolean success) {
        if (pending == null || pending.step() != Step.HANDSHAKE || !success) {
            slot.failed(Phase.TLS, "handshake");
            slot.sessionDone(true);
            return;
        }
        slot.latency(Phase.TLS, pending.start());
        pending = null;
        slot.tlsDone();
        tlsActive = true;
        caps = null; // RFC 3501 section 6.2.1: capabilities may change after STARTTLS
        send("CAPABILITY", Step.CAPABILITY, Phase.LOGIN);
    }

    /** The first -c messages (by their order in the mailbox), of which -d D% are retrieved. */
    private void plan() {
        int limit = slot.perConnection() < 0 ? Integer.MAX_VALUE : slot.perConnection();
        for (int i = 0; i < uids.size() && i < limit; i++) {
            if (slot.retrieveDrawn()) {
                ops.add(new Op(Step.FETCH, uids.get(i), false));
            }
        }
        uids.clear();
    }

    private void afterLogin() {
        if (slot.perConnection() == 0) {
            logout(false);
        } else {
            send("SELECT INBOX", Step.SELECT, Phase.SELECT);
        }
    }

    private void next() {
        literalSeen = false;
        if (slot.stopping()) {
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
        if (troubled) {
            slot.trouble();
        }
        send("LOGOUT", Step.LOGOUT, Phase.LOGOUT);
    }

    @Override
    public void release() {
        ops.clear();
        uids.clear();
        deleted.clear();
        slot.check().clear();
    }
}
