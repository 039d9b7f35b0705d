// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import java.util.OptionalInt;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * postal's {@code --run-id TAG} (config key {@code run-id}): 1 to 8 hex digits that become the
 * high half of every run id postal draws, the low half staying random. Runs from several
 * machines or campaigns are then told apart by their tag in every Message-ID and ledger, and a
 * rerun with the same tag still gets a run id of its own, so its sequences never collide.
 */
public final class RunIdOption {
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{1,8}");

    @Option(names = "--run-id", paramLabel = "TAG",
            description = "1 to 8 hex digits for the high half of this run's id (the first part of every "
                    + "Message-ID), the low half random; default: all random.")
    String tag;

    /** The tag, or empty when none was given. */
    public OptionalInt tag() {
        if (tag == null) {
            return OptionalInt.empty();
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("bad --run-id \"" + tag + "\" (1 to 8 hex digits)");
        }
        return OptionalInt.of(Integer.parseUnsignedInt(tag, 16));
    }
}
