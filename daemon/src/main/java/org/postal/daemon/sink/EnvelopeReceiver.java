// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.smtp.MailArgument;
import org.postal.daemon.smtp.Reply;

/**
 * MAIL and RCPT of one bhm session: the envelope of a transaction, checked against the limits,
 * the user list's actions and the greylist.
 */
final class EnvelopeReceiver {

    private final SinkServices services;
    private final SinkTransaction transaction;
    private final SinkSessionHandler session;

    EnvelopeReceiver(SinkServices services, SinkTransaction transaction, SinkSessionHandler session) {
        this.services = services;
        this.transaction = transaction;
        this.session = session;
    }

    void mail(String arg) {
        if (!session.greeted()) {
            return;
        }
        if (transaction.open()) {
            session.refuse(SinkReplies.NESTED_MAIL);
            return;
        }
        Reply limited = session.pace().mail();
        if (limited != null) {
            session.reply(limited);
            return;
        }
        var parsed = MailArgument.parse(arg, "FROM:");
        if (parsed.isEmpty()) {
            session.refuse(SinkReplies.MAIL_SYNTAX);
            return;
        }
        Reply problem = MailParameters.check(parsed.get().parameters(), services.config().limits().maxMessage());
        if (problem != null) {
            session.reply(problem);
            return;
        }
        transaction.begin(parsed.get().address());
        session.enter(SinkState.MAIL);
        session.reply(SinkReplies.SENDER_OK);
    }

    /** RCPT for a recipient with action g: the greylist's verdict for this client, sender and recipient, counted. */
    private Reply greylist(String address) {
        Greylist.Outcome outcome = services.greylist().attempt(session.client(), transaction.sender(), address,
                services.settings().rules().greylist());
        services.stats().fired(switch (outcome) {
            case FIRST -> Fired.GREYLIST_FIRST;
            case EARLY -> Fired.GREYLIST_EARLY;
            case PASSED -> Fired.GREYLIST_PASSED;
        });
        return outcome == Greylist.Outcome.PASSED ? SinkReplies.RECIPIENT_OK : SinkReplies.GREYLISTED;
    }

    void rcpt(String arg) {
        if (!session.greeted()) {
            return;
        }
        if (!transaction.open()) {
            session.refuse(SinkReplies.NEED_MAIL);
            return;
        }
        var parsed = MailArgument.parse(arg, "TO:");
        if (parsed.isEmpty() || parsed.get().address().isEmpty()) {
            session.refuse(SinkReplies.RCPT_SYNTAX);
            return;
        }
        if (!parsed.get().parameters().isEmpty()) {
            session.reply(SinkReplies.UNKNOWN_PARAMETER);
            return;
        }
        transaction.triedRecipient();
        Reply listed = session.listedAt(BlockList.Stage.RCPT);
        if (listed != null) {
            services.stats().fired(Fired.DNSBL_RCPT);
            session.reply(listed);
            return;
        }
        Reply limited = session.pace().rcpt(transaction.recipients().size(), services.config().limits().maxRecipients());
        if (limited != null) {
            session.reply(limited);
            return;
        }
        String address = parsed.get().address();
        UserList.Action action = services.users().action(address);
        Reply answer = switch (action) {
            case ACCEPT, BOUNCE -> SinkReplies.RECIPIENT_OK;
            case DEFER -> SinkReplies.DEFER_RECIPIENT;
            case REJECT -> SinkReplies.REJECT_RECIPIENT;
            case GREYLIST -> greylist(address);
        };
        if (answer == SinkReplies.RECIPIENT_OK && action == UserList.Action.BOUNCE) {
            transaction.addBouncedRecipient(address);
            session.enter(SinkState.RCPT);
        } else if (answer == SinkReplies.RECIPIENT_OK) {
            transaction.addRecipient(address);
            session.enter(SinkState.RCPT);
        }
        session.reply(answer);
    }
}
