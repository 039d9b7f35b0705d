// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.net.InetSocketAddress;
import java.util.List;
import org.postal.daemon.load.Phase;
import org.postal.daemon.load.source.Xclient;
import org.postal.daemon.smtp.Reply;

/**
 * postal --announce xclient in one connection's dialogue: after the first EHLO (or HELO) the
 * XCLIENT command, measured as part of the EHLO phase, then, on its 220, EHLO again
 * (XCLIENT_README: the server starts the session over as the announced client's). A server that
 * does not offer it, or refuses it, fails the session and tells the run's {@link XclientVerdict}.
 */
final class XclientStep {

    private final SmtpSlot slot;
    private final AwaitedReplies replies;
    private final SmtpLoad load;
    private Xclient pending;

    private XclientStep(SmtpSlot slot, AwaitedReplies replies, SmtpLoad load, Xclient pending) {
        this.slot = slot;
        this.replies = replies;
        this.load = load;
        this.pending = pending;
    }

    /** The step for a new connection, or null when postal does not announce with XCLIENT. */
    static XclientStep of(SmtpSlot slot, AwaitedReplies replies, SmtpLoad load) {
        Xclient next = Xclient.next(load.config().target().local(), load.config().target().helo());
        return next == null ? null : new XclientStep(slot, replies, load, next);
    }

    /**
     * After a greeting whose reply had {@code lines} (none for HELO): true when XCLIENT went out
     * or the session failed for want of it, false once it has been sent (the dialogue goes on).
     */
    boolean announce(List<String> lines) {
        if (pending == null) {
            return false;
        }
        String command = pending.command(Xclient.offered(lines),
                slot.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : 0);
        pending = null;
        if (command == null) {
            refused("XCLIENT not offered");
        } else {
            slot.send(SmtpRequests.line(slot.alloc(), command), SmtpStep.XCLIENT, Phase.EHLO);
        }
        return true;
    }

    /** The reply to XCLIENT: true when it was taken and the client must greet again. */
    boolean answered(Reply reply) {
        if (reply.code() == 220) {
            load.xclient().accepted();
            return true;
        }
        refused("XCLIENT " + reply.code());
        return false;
    }

    private void refused(String what) {
        replies.failed(Phase.EHLO, what);
        load.xclient().refused(what);
        slot.quitAfterError();
    }
}
