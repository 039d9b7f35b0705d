// SPDX-License-Identifier: GPL-3.0-or-later
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.postal.daemon.ledger.Identity;
import org.postal.daemon.ledger.LedgerWriter;
import org.postal.daemon.ledger.SendRecord;

/**
 * bench/LedgerCost.java MESSAGES ROUNDS FILE: the CPU the ledger costs postal per message, alone.
 *
 * <p>Drives postal's own ledger path (SendRecord fed the replies of one SMTP transaction with one
 * recipient, as the load engine feeds it, and LedgerWriter with its flusher thread) for MESSAGES
 * messages, ROUNDS times after a warm-up round, and prints the process's CPU nanoseconds per
 * message for each round (getProcessCpuTime: every thread, the flusher and the garbage collector
 * included). CPU time, not wall time, so a loaded machine changes it little. Run by bench/ledger.sh.
 */
public final class LedgerCost {
    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> rcpts = List.of("user1@example.com");
        String[] texts = new String[1024]; // the reply texts postal has decoded anyway, made outside the rounds
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "2.0.0 Ok: queued as 4dQ" + Integer.toHexString(0x10000 + i);
        }
        for (int r = 0; r <= rounds; r++) {
            Files.deleteIfExists(file);
            long cpu0 = os.getProcessCpuTime();
            LedgerWriter writer = LedgerWriter.open(file, "postal", "bench", "run=5EED5EED5EED5EED");
            SendRecord record = new SendRecord(writer, false);
            long now = System.currentTimeMillis();
            for (int i = 0; i < messages; i++) {
                record.begin(new Identity(0x5EED5EED5EED5EEDL, i), now, rcpts);
                record.mail(250, null);
                record.rcpt(250, null);
                record.data(354, null);
                record.content(250, texts[i & 1023]);
                record.end();
            }
            writer.close();
            long cpu = os.getProcessCpuTime() - cpu0;
            if (writer.records() != messages) {
                throw new IllegalStateException("wrote " + writer.records() + " records, not " + messages);
            }
            System.out.printf("%s %d %.0f%n", r == 0 ? "warm-up" : "round" + r, messages, (double) cpu / messages);
        }
    }
}
