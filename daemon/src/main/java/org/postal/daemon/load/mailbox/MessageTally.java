// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.postal.daemon.load.Counter;
import org.postal.daemon.load.Phase;
import org.postal.daemon.message.Verdict;

/**
 * A slot's messages as they are read: each one checked while it streams in ({@link MessageCheck}),
 * then counted as verified, corrupt or unsigned and written to rabid.log as -a asks.
 */
final class MessageTally {

    private final RabidLoad load;
    private final MessageCheck check;
    private boolean open;

    MessageTally(RabidLoad load) {
        this.load = load;
        this.check = new MessageCheck(load.config().session().hash(), ByteBufAllocator.DEFAULT);
    }

    /** Whether a message's text is being read. */
    boolean open() {
        return open;
    }

    void begin(boolean again) {
        open = true;
        check.begin(again || load.log().full());
    }

    void content(ByteBuf piece) {
        check.content(piece);
    }

    void abandon() {
        open = false;
        check.clear();
    }

    /**
     * Counts and logs a message read to its end; true when it was corrupt at its first fetch. The
     * second fetch of a corrupt message is not counted again: it goes to rabid.log whole, as 0.76 did.
     */
    boolean end(Phase phase, long startNanos, boolean again, String address) {
        open = false;
        Verdict verdict = check.finish();
        if (again) {
            load.err().println(RabidLog.mismatchLine(verdict, address));
            load.log().mismatch(verdict, address, check.kept());
            check.clear();
            return false;
        }
        load.stats().latency(Phase.MESSAGE, System.nanoTime() - startNanos);
        load.arrivals().arrived(verdict, java.util.List.of(address));
        boolean corrupt = false;
        switch (verdict.status()) {
            case VERIFIED -> {
                load.stats().counter(Counter.VERIFIED).increment();
                load.log().verified(verdict);
            }
            case CORRUPT -> {
                load.stats().counter(Counter.CORRUPT).increment();
                load.stats().failure(phase, "corrupt");
                corrupt = true;
            }
            case UNSIGNED -> {
                // Mail postal did not send: nothing to check.
            }
        }
        if (load.log().full()) {
            load.log().message(check.kept());
        }
        check.clear();
        load.counted();
        return corrupt;
    }
}
