// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import org.postal.daemon.message.Verdict;
import org.postal.daemon.smtp.ContentEnd;
import org.postal.daemon.smtp.Reply;
import org.postal.daemon.smtp.SmtpServerDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content half of one bhm session: DATA and BDAT, the chunks between them, and the end of each
 * message with its size check, hash verdict, counters, -a log entry and reply (one per recipient
 * under LMTP).
 *
 * <p>It puts the decoder into content mode and moves the session's state through
 * {@link SinkSessionHandler}, which owns the state and the replies; one of each per session.
 */
final class ContentReceiver {

    /** The session's logger, so a corrupt message is logged under the same name as every other session event. */
    private static final Logger LOG = LoggerFactory.getLogger(SinkSessionHandler.class);

    private final SinkServices services;
    private final SmtpServerDecoder decoder;
    private final SinkTransaction transaction;
    private final SinkSessionHandler session;
    private final long dataTimeout;

    private boolean lastChunk;
    private Reply chunkError;
    private SinkState beforeChunk;

    ContentReceiver(SinkServices services, SmtpServerDecoder decoder, SinkTransaction transaction,
                    SinkSessionHandler session) {
        this.services = services;
        this.decoder = decoder;
        this.transaction = transaction;
        this.session = session;
        this.dataTimeout = services.config().limits().dataTimeout().toNanos();
    }

    void data(String arg) {
        Reply problem = contentProblem();
        if (problem == null && transaction.chunked()) {
            problem = SinkReplies.MIXED_DATA_BDAT;
        }
        if (problem == null && !arg.isEmpty()) {
            problem = SinkReplies.NO_ARGUMENTS;
        }
        if (problem != null) {
            session.refuse(problem);
            return;
        }
        session.enter(SinkState.CONTENT);
        decoder.expectData(contentBudget());
        session.expect(dataTimeout);
        session.reply(SinkReplies.START_DATA);
    }

    // bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF    ; RFC 3030 section 2
    void bdat(String arg) {
        String[] words = arg.trim().split(" +");
        long size = words.length >= 1 && words[0].matches("[0-9]{1,12}") ? Long.parseLong(words[0]) : -1;
        boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
        if (size < 0 || words.length > 2 || (words.length == 2 && !last)) {
            // The chunk length is unknown, so the input cannot be resynchronised.
            services.stats().errors.increment();
            session.closeWith(SinkReplies.BDAT_SYNTAX);
            return;
        }
        Reply problem = contentProblem();
        lastChunk = last;
        chunkError = problem;
        beforeChunk = session.state();
        if (problem == null) {
            transaction.useChunks();
        }
        if (size > 0) {
            long room = contentBudget() - transaction.octets();
            session.enter(SinkState.CONTENT);
            decoder.expectChunk(size, problem == null ? room : 0);
            session.expect(dataTimeout);
        } else {
            chunkDone();
        }
    }

    /** Ends a DATA body or a BDAT chunk, whose octets went to the transaction before. */
    void end(ContentEnd end) {
        if (session.state() != SinkState.CONTENT) {
            return;
        }
        if (chunkError != null) {
            chunkDone();
            return;
        }
        transaction.addOctets(end.octets());
        if (transaction.chunked()) {
            chunkDone();
            return;
        }
        Reply problem = end.bareLf() ? SinkReplies.BARE_LF_IN_DATA
                : end.lineTooLong() ? SinkReplies.DATA_LINE_TOO_LONG : null;
        finishMessage(problem);
    }

    /** Content octets a message may pass on to the hash check: --max-size, or all when it is 0. */
    private long contentBudget() {
        long max = services.config().limits().maxMessage();
        return max > 0 ? max : Long.MAX_VALUE;
    }

    /** Why DATA or BDAT cannot start now, or null when it can. */
    private Reply contentProblem() {
        if (session.state() == SinkState.GREETING) {
            return services.config().listen().lmtp() ? SinkReplies.NEED_LHLO : SinkReplies.NEED_HELO;
        }
        if (!transaction.open()) {
            return SinkReplies.NEED_MAIL;
        }
        if (transaction.recipients().isEmpty()) {
            return transaction.recipientTried() ? SinkReplies.NO_VALID_RECIPIENTS : SinkReplies.NEED_RCPT;
        }
        return null;
    }

    private void chunkDone() {
        if (chunkError != null) {
            // A refused chunk changes nothing: back to where BDAT found the session.
            session.enter(beforeChunk);
            session.refuse(chunkError);
            chunkError = null;
        } else if (lastChunk) {
            finishMessage(null);
        } else {
            session.enter(SinkState.RCPT);
            session.reply(Reply.of(250, "2.0.0 " + transaction.octets() + " octets received"));
        }
    }

    /**
     * Queues a bounce for an accepted message: for its recipients with action b, or for all of them
     * when the bounce percentage comes up. A message from the null sender is never bounced.
     */
    private void bounce(Verdict verdict) {
        java.util.List<String> bounced = transaction.bounced();
        double percent = services.settings().rules().bouncePercent();
        if (percent > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 100 < percent) {
            bounced = transaction.recipients();
        }
        if (bounced.isEmpty() || transaction.sender().isEmpty()) {
            return;
        }
        services.bouncer().offer(new DeliveryStatus(services.config().listen().hostname(), transaction.sender(),
                bounced, verdict.messageId(), java.time.ZonedDateTime.now(), services.bouncer().nextSequence()));
    }

    private void finishMessage(Reply problem) {
        long max = services.config().limits().maxMessage();
        if (problem == null && max > 0 && transaction.octets() > max) {
            problem = SinkReplies.MESSAGE_TOO_BIG;
        }
        if (problem == null && session.listedAt(BlockList.Stage.DATA) != null) {
            services.stats().fired(Fired.DNSBL_DATA);
            problem = session.listedAt(BlockList.Stage.DATA);
        }
        if (problem == null) {
            Verdict verdict = transaction.verdict();
            switch (verdict.status()) {
                case VERIFIED -> services.stats().verified.increment();
                case UNSIGNED -> services.stats().unsigned.increment();
                case CORRUPT -> {
                    services.stats().corrupt.increment();
                    LOG.warn("corrupt message from {}: {}", session.client(), verdict.describe());
                }
            }
            services.stats().duplicates.add(services.arrivals().arrived(verdict, transaction.recipients()));
            if (services.messageLog() != null) {
                try {
                    services.messageLog().append(session.client(), transaction.sender(), transaction.recipients(),
                            transaction.keptContent(), verdict);
                } catch (java.io.IOException e) {
                    // The message was received: it is accepted and counted; the log's loss is counted apart.
                    services.stats().messageLogFailures.warn(e.getMessage());
                }
            }
            services.accepted();
            bounce(verdict);
            if (transaction.replyDropped()) { // fault.data=drop-reply: taken, and no reply
                transaction.clear();
                session.drop();
                return;
            }
        }
        if (services.config().listen().lmtp()) {
            // RFC 2033 section 4.2: one reply per accepted recipient, in RCPT order.
            for (String recipient : transaction.recipients()) {
                session.reply(problem != null ? problem : Reply.of(250, "2.1.5 <" + recipient + "> delivered"));
            }
        } else {
            session.reply(problem != null ? problem : SinkReplies.QUEUED);
        }
        transaction.clear();
        session.enter(SinkState.READY);
    }
}
