// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.smtp.Reply;

/** Every fixed reply bhm sends, built once, with RFC 3463 enhanced status codes. */
final class SinkReplies {

    static final Reply OK = Reply.of(250, "2.0.0 Ok");
    static final Reply SENDER_OK = Reply.of(250, "2.1.0 Ok");
    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5 Ok");
    static final Reply QUEUED = Reply.of(250, "2.0.0 Ok: queued");
    static final Reply START_DATA = Reply.of(354, "End data with <CR><LF>.<CR><LF>");
    static final Reply START_TLS = Reply.of(220, "2.0.0 Ready to start TLS");
    static final Reply BYE = Reply.of(221, "2.0.0 Bye");
    static final Reply VRFY = Reply.of(252, "2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
    static final Reply HELP = Reply.of(214, "2.0.0 Commands: HELO EHLO LHLO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT STARTTLS AUTH");
    static final Reply AUTH_OK = Reply.of(235, "2.7.0 Authentication successful");
    static final Reply AUTH_USERNAME = Reply.of(334, "VXNlcm5hbWU6");
    static final Reply AUTH_PASSWORD = Reply.of(334, "UGFzc3dvcmQ6");
    static final Reply AUTH_CONTINUE = Reply.of(334, "");

    static final Reply DEFER_RECIPIENT = Reply.of(450, "4.2.1 Mailbox temporarily unavailable");
    static final Reply GREYLISTED = Reply.of(450, "4.7.1 Greylisted, please try again later");
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3 Too many recipients");
    static final Reply REJECT_RECIPIENT = Reply.of(550, "5.1.1 Mailbox unavailable");
    static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4 Message size exceeds fixed limit");
    static final Reply BARE_LF_IN_DATA = Reply.of(550, "5.6.0 Bare <LF> in message data (RFC 5321 section 2.3.8)");
    static final Reply DATA_LINE_TOO_LONG = Reply.of(550, "5.6.0 Message line too long (RFC 5321 section 4.5.3.1.6)");

    static final Reply UNRECOGNIZED = Reply.of(500, "5.5.2 Command unrecognized");
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2 Line too long");
    static final Reply BARE_LF = Reply.of(500, "5.5.2 Bare <LF> received; lines end with <CR><LF>");
    static final Reply BARE_CR = Reply.of(500, "5.5.2 Bare <CR> received; lines end with <CR><LF>");
    static final Reply NUL = Reply.of(500, "5.5.2 NUL octet in command");
    static final Reply HELO_SYNTAX = Reply.of(501, "5.5.4 Syntax: EHLO hostname");
    static final Reply MAIL_SYNTAX = Reply.of(501, "5.5.4 Syntax: MAIL FROM:<address> [parameters]");
    static final Reply RCPT_SYNTAX = Reply.of(501, "5.5.4 Syntax: RCPT TO:<address> [parameters]");
    static final Reply BDAT_SYNTAX = Reply.of(501, "5.5.4 Syntax: BDAT size [LAST]");
    static final Reply VRFY_SYNTAX = Reply.of(501, "5.5.4 Syntax: VRFY address");
    static final Reply NO_ARGUMENTS = Reply.of(501, "5.5.4 No arguments allowed");
    static final Reply AUTH_SYNTAX = Reply.of(501, "5.5.4 Syntax: AUTH PLAIN|LOGIN [initial-response]");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.7.0 Authentication cancelled");
    static final Reply AUTH_BAD_ENCODING = Reply.of(501, "5.5.2 Cannot decode response");
    static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1 Command not implemented");
    static final Reply NEED_HELO = Reply.of(503, "5.5.1 Send EHLO or HELO first");
    static final Reply NEED_LHLO = Reply.of(503, "5.5.1 Send LHLO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1 Nested MAIL command");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1 Need MAIL command");
    static final Reply NEED_RCPT = Reply.of(503, "5.5.1 Need RCPT command");
    static final Reply MIXED_DATA_BDAT = Reply.of(503, "5.5.1 DATA and BDAT cannot be mixed in one transaction");
    static final Reply ALREADY_TLS = Reply.of(503, "5.5.1 TLS already active");
    static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1 Already authenticated");
    static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1 AUTH not allowed during a mail transaction");
    static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1 No valid recipients");
    static final Reply UNKNOWN_PARAMETER = Reply.of(555, "5.5.4 Unsupported MAIL or RCPT parameter");
    static final Reply DECLARED_TOO_BIG = Reply.of(552, "5.3.4 Declared message size exceeds fixed limit");
    static final Reply UNSUPPORTED_MECHANISM = Reply.of(504, "5.5.4 Unrecognized authentication type");
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8 Authentication credentials invalid");
    static final Reply SMTP_VERB_IN_LMTP = Reply.of(500, "5.5.1 This is an LMTP server: use LHLO");
    static final Reply LMTP_VERB_IN_SMTP = Reply.of(500, "5.5.1 This is an SMTP server: use EHLO or HELO");

    private SinkReplies() {
    }

    /** The 421 a session gets before bhm closes it; {@code host} names this server (RFC 5321 section 3.8). */
    static Reply closing(String host, String reason) {
        return Reply.of(421, "4.3.2 " + host + " " + reason + ", closing connection");
    }
}
