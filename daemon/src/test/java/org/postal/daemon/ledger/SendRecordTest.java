// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which reply a ledger line gives each recipient, for SMTP and LMTP dialogues, and the file it makes. */
class SendRecordTest {
    private static final Identity ID = new Identity(0xA1, 7);

    @TempDir
    Path dir;

    private List<String> records(boolean lmtp, java.util.function.Consumer<SendRecord> dialogue) throws Exception {
        Path file = dir.resolve("l");
        LedgerWriter writer = LedgerWriter.open(file, "postal", "postal", "run=00000000000000A1");
        SendRecord record = new SendRecord(writer, lmtp);
        record.begin(ID, 1000, List.of("a@x", "b@x", "c@x"));
        dialogue.accept(record);
        record.end();
        writer.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("#postal-ledger v1 program=postal name=postal run=00000000000000A1 started=");
        assertThat(lines.get(1)).isEqualTo(LedgerFormat.COLUMNS);
        assertThat(lines.get(lines.size() - 1)).startsWith("#end records=" + (lines.size() - 3) + " time=");
        return lines.subList(2, lines.size() - 1).stream()
                .map(l -> l.substring(l.indexOf('\t') + 1)).toList(); // without the time
    }

    @Test
    void smtpOneFinalReplyCoversEveryRecipientNotRefusedAtRcpt() throws Exception {
        assertThat(records(false, r -> {
            r.mail(250, "2.1.0 Ok");
            r.rcpt(250, "ok");
            r.rcpt(550, "5.1.1 unknown\tuser");
            r.rcpt(250, "ok");
            r.data(354, "go");
            r.content(250, "2.0.0 Ok: queued as 4Q1");
        })).containsExactly(
                "00000000000000A1\t7\ta@x\taccepted\t250\tEND_OF_DATA\t1000\t2.0.0 Ok: queued as 4Q1",
                "00000000000000A1\t7\tb@x\trefused\t550\tRCPT\t1000\t5.1.1 unknown user",
                "00000000000000A1\t7\tc@x\taccepted\t250\tEND_OF_DATA\t1000\t2.0.0 Ok: queued as 4Q1");
    }

    @Test
    void lmtpGivesEachAcceptedRecipientItsOwnFinalReply() throws Exception {
        assertThat(records(true, r -> {
            r.mail(250, "ok");
            r.rcpt(250, "ok");
            r.rcpt(250, "ok");
            r.rcpt(450, "4.2.1 busy");
            r.data(354, "go");
            r.content(250, "2.0.0 a");
            r.content(452, "4.2.2 b full");
        })).containsExactly(
                "00000000000000A1\t7\ta@x\taccepted\t250\tEND_OF_DATA\t1000\t2.0.0 a",
                "00000000000000A1\t7\tb@x\tdeferred\t452\tEND_OF_DATA\t1000\t4.2.2 b full",
                "00000000000000A1\t7\tc@x\tdeferred\t450\tRCPT\t1000\t4.2.1 busy");
    }

    @Test
    void refusalsAtMailOrDataAnswerForEveryOpenRecipient() throws Exception {
        assertThat(records(false, r -> r.mail(421, "4.3.2 closing"))).allMatch(l -> l.contains("\tdeferred\t421\tMAIL\t"))
                .hasSize(3);
        assertThat(records(false, r -> {
            r.mail(250, "ok");
            r.rcpt(550, "no");
            r.rcpt(250, "ok");
            r.rcpt(250, "ok");
            r.data(554, "5.5.1 no valid recipients");
        })).extracting(l -> l.split("\t")[5]).containsExactly("RCPT", "DATA", "DATA");
    }

    @Test
    void recipientsWithoutAnAnswerGetNoLineAndADiscardedMessageNone() throws Exception {
        assertThat(records(false, r -> {
            r.mail(250, "ok");
            r.rcpt(250, "ok");
        })).isEmpty();
        assertThat(records(false, r -> {
            r.mail(501, "5.5.4 SIZE");
            r.discard();
        })).isEmpty();
    }

    @Test
    void aConnectionLostAfterTheDataLeavesTheOpenRecipientsUnanswered() throws Exception {
        assertThat(records(true, r -> {
            r.mail(250, "ok");
            r.rcpt(250, "ok");
            r.rcpt(550, "5.1.1 no");
            r.rcpt(250, "ok");
            r.data(354, "go");
            r.content(250, "2.0.0 a");
            r.unanswered();
        })).containsExactly(
                "00000000000000A1\t7\ta@x\taccepted\t250\tEND_OF_DATA\t1000\t2.0.0 a",
                "00000000000000A1\t7\tb@x\trefused\t550\tRCPT\t1000\t5.1.1 no",
                "00000000000000A1\t7\tc@x\tunanswered\t\tEND_OF_DATA\t1000\tno reply after the data");
    }
}
