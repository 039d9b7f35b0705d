// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * A bounce: the delivery status notification (RFC 3464) bhm sends to the sender of a message it
 * accepted and was told to bounce, as a list server's owner would receive it from a real MTA.
 *
 * <p>The message is {@code multipart/report; report-type=delivery-status} (RFC 6522) with a
 * human-readable part and a {@code message/delivery-status} part: per-message fields, a blank
 * line, then one block of per-recipient fields for each bounced recipient (RFC 3464 section 2.1).
 * bhm keeps no message content, so no third part returns it (the RFC makes it optional).
 *
 * @param reportingHost  this server's name, for Reporting-MTA and the From address
 * @param sender         the envelope sender the report goes to (never empty: a null sender is not bounced)
 * @param recipients     the bounced recipients
 * @param messageId      the original message's Message-ID, or null when it had none
 * @param arrival        when the original message was accepted
 * @param sequence       a number unique within this bhm, for the report's own Message-ID and boundary
 */
record DeliveryStatus(String reportingHost, String sender, List<String> recipients, String messageId,
                      ZonedDateTime arrival, long sequence) {

    /** The reply text given for each bounced recipient, as a real MTA would quote the remote server. */
    static final String DIAGNOSTIC = "550 5.1.1 Mailbox unavailable (bounced by bhm)";

    DeliveryStatus {
        Objects.requireNonNull(reportingHost, "reportingHost");
        Objects.requireNonNull(arrival, "arrival");
        if (sender == null || sender.isEmpty()) {
            throw new IllegalArgumentException("a message with a null sender is never bounced (RFC 5321 section 4.5.5)");
        }
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a bounce needs a recipient");
        }
    }

    /** The whole message, header and body, lines ending in CRLF, not yet dot-stuffed. */
    String message() {
        String date = arrival.format(DateTimeFormatter.RFC_1123_DATE_TIME);
        String boundary = "bhm-report-" + sequence + "-" + arrival.toEpochSecond();
        StringBuilder out = new StringBuilder(1024);
        line(out, "From: Mail Delivery System <MAILER-DAEMON@" + reportingHost + ">");
        line(out, "To: <" + sender + ">");
        line(out, "Subject: Undelivered Mail Returned to Sender");
        line(out, "Date: " + date);
        line(out, "Message-ID: <bounce." + sequence + "." + arrival.toEpochSecond() + "@" + reportingHost + ">");
        // RFC 3834 section 5: an automatic reply, so no responder answers it in turn.
        line(out, "Auto-Submitted: auto-replied");
        line(out, "MIME-Version: 1.0");
        line(out, "Content-Type: multipart/report; report-type=delivery-status;");
        line(out, "\tboundary=\"" + boundary + "\"");
        line(out, "");
        line(out, "This is a MIME-encapsulated message.");
        line(out, "");
        line(out, "--" + boundary);
        line(out, "Content-Type: text/plain; charset=us-ascii");
        line(out, "");
        line(out, "This is bhm at " + reportingHost + ", a mail sink for benchmarks.");
        line(out, "The message " + (messageId == null ? "without a Message-ID" : messageId) + " from <" + sender
                + "> was accepted and then bounced for " + recipients.size() + " recipient(s), as configured.");
        line(out, "");
        line(out, "--" + boundary);
        line(out, "Content-Type: message/delivery-status");
        line(out, "");
        // per-message-fields, RFC 3464 section 2.2
        line(out, "Reporting-MTA: dns; " + reportingHost);
        line(out, "Arrival-Date: " + date);
        for (String recipient : recipients) {
            // per-recipient-fields, RFC 3464 section 2.3, each block after a blank line
            line(out, "");
            line(out, "Final-Recipient: rfc822; " + recipient);
            line(out, "Action: failed");
            line(out, "Status: 5.1.1");
            line(out, "Diagnostic-Code: smtp; " + DIAGNOSTIC);
        }
        line(out, "");
        line(out, "--" + boundary + "--");
        return out.toString();
    }

    /** The message as DATA sends it: dot-stuffed (RFC 5321 section 4.5.2) and ended by CRLF "." CRLF. */
    byte[] data() {
        String stuffed = message().replace("\r\n.", "\r\n..");
        return (stuffed.startsWith(".") ? "." + stuffed : stuffed).concat(".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append("\r\n");
    }
}
