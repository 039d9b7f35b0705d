// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** postal-match over small ledgers written as test data: each class named by identity. */
class MatchTest {
    private static final String RUN = "00000000000000A1";
    private static final String HEAD = "time\trun\tseq\trcpt\toutcome\tcode\tphase\tintended\ttext\n";

    @TempDir
    Path dir;

    private Path ledger(String name, String program, String records, boolean complete) throws Exception {
        return ledger(name, program, RUN, records, complete);
    }

    private Path ledger(String name, String program, String run, String records, boolean complete) throws Exception {
        String text = "#postal-ledger v1 program=" + program + " name=" + program
                + (program.equals("postal") ? " run=" + run : "") + "\n" + HEAD + records
                + (complete ? "#end records=0 time=1000000\n" : "");
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String sent(long time, int seq, String rcpt, String outcome, int code, String text) {
        return sent(RUN, time, seq, rcpt, outcome, code, text);
    }

    private static String sent(String run, long time, int seq, String rcpt, String outcome, int code, String text) {
        return time + "\t" + run + "\t" + seq + "\t" + rcpt + "\t" + outcome + "\t" + (code > 0 ? String.valueOf(code) : "") + "\tEND_OF_DATA\t"
                + (time - 5) + "\t" + text + "\n";
    }

    private static String got(long time, int seq, String rcpt, String verdict) {
        return got(RUN, time, seq, rcpt, verdict);
    }

    private static String got(String run, long time, int seq, String rcpt, String verdict) {
        return time + "\t" + run + "\t" + seq + "\t" + rcpt + "\t" + verdict + "\t\t\t\t\n";
    }

    private record Run(int status, String out) {
        List<String> lines(String kind) {
            List<String> found = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("  " + kind + " ")) {
                    found.add(line.substring(kind.length() + 3));
                }
            }
            return found;
        }
    }

    private Run match(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MatchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachBadClassIsNamedByIdentityWithPostalsReply() throws Exception {
        StringBuilder p = new StringBuilder();
        for (int s = 0; s < 6; s++) {
            p.append(sent(1000 + s, s, "u" + s + "@x", "accepted", 250, "2.0.0 Ok: queued as Q" + s));
        }
        p.append(sent(1010, 6, "u6@x", "refused", 550, "5.1.1 no such user"));
        p.append(sent(1011, 7, "u7@x", "deferred", 451, "4.3.0 try later"));
        StringBuilder b = new StringBuilder();
        b.append(got(1100, 0, "u0@x", "verified"));      // once
        b.append(got(1101, 1, "u1@x", "verified"));      // duplicated
        b.append(got(1102, 1, "u1@x", "verified"));
        b.append(got(1103, 2, "u2@x", "corrupt"));       // corrupted
        b.append(got(1104, 3, "other@x", "verified"));   // misdelivered; 3 itself lost
        b.append(got(1105, 99, "u9@x", "verified"));     // unexpected
        // 4 lost; 5 accepted at 1005 with the receivers' end at 1000000: lost too
        Run r = match("--cutoff", "10s", ledger("p", "postal", p.toString(), true).toString(),
                ledger("b", "bhm", b.toString(), true).toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.lines("lost")).containsExactly(RUN + ".3 u3@x 250 2.0.0 Ok: queued as Q3",
                RUN + ".4 u4@x 250 2.0.0 Ok: queued as Q4", RUN + ".5 u5@x 250 2.0.0 Ok: queued as Q5");
        assertThat(r.lines("duplicated")).containsExactly(RUN + ".1 u1@x 250 2.0.0 Ok: queued as Q1");
        assertThat(r.lines("corrupted")).containsExactly(RUN + ".2 u2@x 250 2.0.0 Ok: queued as Q2");
        assertThat(r.lines("misdelivered")).containsExactly(RUN + ".3 u3@x received by other@x; postal: 250 2.0.0 Ok: queued as Q3");
        assertThat(r.lines("unexpected")).containsExactly(RUN + ".99 u9@x");
        assertThat(r.lines("refused")).containsExactly(RUN + ".6 u6@x 550 5.1.1 no such user");
        assertThat(r.lines("deferred")).containsExactly(RUN + ".7 u7@x 451 4.3.0 try later");
        assertThat(r.out()).contains("delivered once 1, lost 3, duplicated 1, corrupted 1, misdelivered 1, "
                + "unexpected 1, unrecorded 0, refused 1, deferred 1, in flight 0");
    }

    @Test
    void aReceiverLedgerCutByACrashGivesInFlightNotLost() throws Exception {
        String p = sent(1000, 0, "a@x", "accepted", 250, "q") + sent(2000, 1, "a@x", "accepted", 250, "q")
                + sent(60_000, 2, "a@x", "accepted", 250, "q");
        // bhm died at about 2500: its last line is torn and it has no #end.
        String b = got(1001, 0, "a@x", "verified") + got(2001, 1, "a@x", "verified") + "2500\t" + RUN + "\t2\ta@";
        Run r = match("--cutoff", "10s", ledger("p", "postal", p, true).toString(), ledger("b", "bhm", b, false).toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("b: bhm bhm, 2 records, cut (no #end line, last line torn)")
                .contains("delivered once 2, lost 0").contains("in flight 1");
    }

    @Test
    void aPostalLedgerCutByACrashCallsItsUnwrittenMessagesUnrecorded() throws Exception {
        String p = sent(1000, 0, "a@x", "accepted", 250, "q");
        String b = got(1001, 0, "a@x", "verified") + got(1002, 1, "a@x", "verified");
        Run r = match(ledger("p", "postal", p, false).toString(), ledger("b", "bhm", b, true).toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("p: postal run " + RUN + ", 1 records, cut (no #end line)")
                .contains("unexpected 0, unrecorded 1");
    }

    @Test
    void lmtpRecipientsAreMatchedOneByOne() throws Exception {
        String p = sent(1000, 0, "a@x", "accepted", 250, "2.1.5 a") + sent(1000, 0, "b@x", "accepted", 250, "2.1.5 b")
                + sent(1000, 0, "c@x", "refused", 550, "5.1.1 c");
        String b = got(1001, 0, "b@x", "verified");
        Run r = match(ledger("p", "postal", p, true).toString(), ledger("b", "bhm", b, true).toString());
        assertThat(r.lines("lost")).containsExactly(RUN + ".0 a@x 250 2.1.5 a");
        assertThat(r.lines("refused")).containsExactly(RUN + ".0 c@x 550 5.1.1 c");
        assertThat(r.out()).contains("delivered once 1, lost 1");
    }

    @Test
    void aListPostIsReportedByRecipientsReachedAndTimeToTheLast() throws Exception {
        String p = sent(1000, 0, "list@x", "accepted", 250, "q");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append(got(1100 + i * 10, 0, "m" + i + "@x", "verified"));
        }
        Run r = match("--lists", ledger("p", "postal", p, true).toString(), ledger("b", "bhm", b.toString(), true).toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("list posts 1, member deliveries 100, recipients reached: min 100 mean 100.0 max 100")
                .contains("time to first recipient ms: p50 100 ").contains("time to last recipient ms: p50 1090 ");
    }

    @Test
    void aListMemberReachedTwiceIsADuplicateNamedByMemberAndCountsOnceAsReached() throws Exception {
        String p = sent(1000, 0, "list@x", "accepted", 250, "q") + sent(1000, 1, "list@x", "accepted", 250, "q");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append(got(1100 + i, 0, "m" + i + "@x", i == 7 ? "corrupt" : "verified"));
            b.append(got(1100 + i, 1, "m" + i + "@x", "verified"));
        }
        b.append(got(1300, 1, "m42@x", "verified"));  // the list sent post 1 to m42 twice
        Run r = match("--lists", ledger("p", "postal", p, true).toString(), ledger("b", "bhm", b.toString(), true).toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.lines("duplicated")).containsExactly(RUN + ".1 m42@x list member, received again");
        assertThat(r.lines("corrupted")).containsExactly(RUN + ".0 m7@x list member");
        assertThat(r.out()).contains("list posts 2, member deliveries 200, recipients reached: min 100 mean 100.0 max 100")
                .contains("time to last recipient ms: p50 199 ");
    }

    @Test
    void latencyIsReportedPerMinuteOfAcceptanceAsTextAndJson() throws Exception {
        long t = 1_765_130_400_000L; // 2025-12-07T18:00:00Z
        StringBuilder p = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < 10; s++) {  // five in 18:00 taking 100 ms, five in 18:01 taking 2000 ms
            long at = t + (s < 5 ? 1000 + s : 61_000 + s);
            p.append(sent(at, s, "a@x", "accepted", 250, "q"));
            b.append(got(at + (s < 5 ? 100 : 2000), s, "a@x", "verified"));
        }
        Path pl = ledger("p", "postal", p.toString(), true);
        Path bl = ledger("b", "bhm", b.toString(), false);
        Run r = match(pl.toString(), bl.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("per minute of acceptance (UTC), latency ms (accepted -> received):\n"
                + "  2025-12-07T18:00Z p50 100 p90 100 p99 100 p99.9 100 max 100 (5)\n"
                + "  2025-12-07T18:01Z p50 2000 p90 2000 p99 2000 p99.9 2000 max 2000 (5)\n");
        assertThat(match("--json", pl.toString(), bl.toString()).out())
                .contains("\"latency_ms_by_minute\":[{\"minute\":\"2025-12-07T18:00Z\",\"count\":5,\"p50\":100,")
                .contains("{\"minute\":\"2025-12-07T18:01Z\",\"count\":5,\"p50\":2000,");
    }

    @Test
    void jsonCarriesTheCountsAndExamples() throws Exception {
        String p = sent(1000, 0, "a@x", "accepted", 250, "q");
        Run r = match("--json", ledger("p", "postal", p, true).toString(), ledger("b", "bhm", "", true).toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("\"lost\":1").contains("\"examples\":{\"lost\":[{\"id\":\"" + RUN + ".0\"")
                .contains("\"failed\":true");
    }

    @Test
    void runsSharingARunIdTagAreSummedUnderItAndAnUntaggedRunIsNot() throws Exception {
        String a = "000000A100000001";
        String b = "000000A1FFFFFFFF";
        String c = "5F3A09C1D2E4B7A8";
        Path pa = ledger("pa", "postal", a, sent(a, 1000, 0, "u@x", "accepted", 250, "q"), true);
        Path pb = ledger("pb", "postal", b, sent(b, 1000, 0, "u@x", "accepted", 250, "q")
                + sent(b, 1000, 1, "u@x", "accepted", 250, "q"), true);
        Path pc = ledger("pc", "postal", c, sent(c, 1000, 0, "u@x", "accepted", 250, "q"), true);
        Path bhm = ledger("b", "bhm", got(a, 1001, 0, "u@x", "verified") + got(b, 1001, 0, "u@x", "verified")
                + got(c, 1001, 0, "u@x", "verified"), true);
        Run r = match(pa.toString(), pb.toString(), pc.toString(), bhm.toString());
        assertThat(r.out()).contains("run " + a + ": 1 accepted, delivered once 1, lost 0")
                .contains("run " + b + ": 2 accepted, delivered once 1, lost 1")
                .contains("run id 000000A1 (2 runs): 3 accepted, delivered once 2, lost 1")
                .doesNotContain("run id 5F3A09C1");
        Run json = match("--json", pa.toString(), pb.toString(), pc.toString(), bhm.toString());
        assertThat(json.out()).contains("\"run_ids\":[{\"run_id\":\"000000A1\",\"runs\":2,\"accepted\":3,");
    }

    @Test
    void aCopyPerLostReplyIsRedeliveredAndOneMoreIsTheServersDuplicate() throws Exception {
        String p = sent(1000, 0, "a@x", "unanswered", 0, "no reply after the data")
                + sent(1100, 0, "a@x", "accepted", 250, "q0")                        // sent twice, got twice
                + sent(1000, 1, "a@x", "unanswered", 0, "no reply after the data")
                + sent(1100, 1, "a@x", "accepted", 250, "q1")                        // sent twice, got thrice
                + sent(1000, 2, "a@x", "accepted", 250, "q2")                        // sent once, got twice
                + sent(1000, 3, "a@x", "unanswered", 0, "no reply after the data")   // lost reply, arrived
                + sent(1000, 4, "a@x", "unanswered", 0, "no reply after the data");  // lost reply, never came
        String b = got(1050, 0, "a@x", "verified") + got(1150, 0, "a@x", "verified")
                + got(1050, 1, "a@x", "verified") + got(1150, 1, "a@x", "verified") + got(1151, 1, "a@x", "verified")
                + got(1050, 2, "a@x", "verified") + got(1051, 2, "a@x", "verified")
                + got(1050, 3, "a@x", "verified");
        Run r = match(ledger("p", "postal", p, true).toString(), ledger("b", "bhm", b, true).toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.lines("redelivered")).containsExactly(RUN + ".0 a@x no reply after the data");
        assertThat(r.lines("duplicated")).extracting(l -> l.substring(0, l.indexOf(' ')))
                .containsExactly(RUN + ".1", RUN + ".2");
        assertThat(r.lines("unanswered")).extracting(l -> l.substring(0, l.indexOf(' '))).containsExactly(RUN + ".4");
        assertThat(r.out()).contains("total: 3 accepted, delivered once 1, lost 0, duplicated 2, ")
                .contains("in flight 0, redelivered 1, unanswered 1")
                .contains("latency ms (accepted -> received): p50 50 ");
    }

    @Test
    void oneRunInTwoPostalSectionsIsRefused() throws Exception {
        Path p = ledger("p", "postal", sent(1000, 0, "u@x", "accepted", 250, "q"), true);
        Path b = ledger("b", "bhm", got(1001, 0, "u@x", "verified"), true);
        Run r = match(p.toString(), p.toString(), b.toString());
        assertThat(r.status()).isEqualTo(MatchMain.EX_NOINPUT);
        assertThat(r.out()).contains("run " + RUN + " is in two postal ledger sections");
    }

    @Test
    void aFileThatIsNoLedgerIsRefused() throws Exception {
        Path junk = dir.resolve("junk");
        Files.writeString(junk, "hello\n");
        assertThat(match(junk.toString(), junk.toString()).status()).isEqualTo(MatchMain.EX_NOINPUT);
        assertThat(match("only-one").status()).isEqualTo(MatchMain.EX_USAGE);
    }
}
