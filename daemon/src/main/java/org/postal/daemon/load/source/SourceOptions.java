// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postal.daemon.load.Endpoints;
import picocli.CommandLine.Option;

/** The source-address options, the same in postal and rabid (their config keys are the long names). */
public final class SourceOptions {

    @Option(names = {"-l", "--local-address"}, paramLabel = "ADDRS",
            description = "Source addresses, comma-separated: addresses as 0.76 took them, CIDR blocks "
                    + "(127.0.0.0/8, 2001:db8::/104) and first-last ranges; may be repeated.")
    List<String> lists;

    @Option(names = "--local-address-file", paramLabel = "FILE",
            description = "More source addresses, as for -l, one or more a line, # comments (at most 64 MiB).")
    Path file;

    @Option(names = "--local-order", paramLabel = "ORDER", defaultValue = "random",
            description = "random (keyed by --seed) or sequential; either visits every address once before "
                    + "any twice (default: ${DEFAULT-VALUE}).")
    String order;

    @Option(names = "--freebind",
            description = "Bind with IP_FREEBIND: source addresses this host does not hold (replies must be "
                    + "routed back to it).")
    boolean freebind;

    @Option(names = "--announce", paramLabel = "HOW", defaultValue = "none",
            description = "Announce the source addresses instead of binding them: proxy-v1 or proxy-v2 "
                    + "(a PROXY protocol header), or xclient (postal only: XCLIENT after EHLO) "
                    + "(default: ${DEFAULT-VALUE}).")
    String announce;

    /**
     * The sources, or null when none is given (the kernel chooses); servers of a family no range has
     * are refused, and so is XCLIENT unless {@code smtp} (it is an SMTP command; rabid speaks POP3 and IMAP).
     */
    public SourceAddresses toSources(long seed, Endpoints servers, boolean smtp) {
        Announce how = Announce.parse(announce);
        if (how == Announce.XCLIENT && !smtp) {
            throw new IllegalArgumentException("--announce xclient is an SMTP command: use proxy-v1 or proxy-v2");
        }
        List<AddressRange> ranges = new ArrayList<>();
        if (lists != null) {
            lists.forEach(list -> ranges.addAll(SourceRanges.parse(list)));
        }
        if (file != null) {
            try {
                ranges.addAll(SourceRanges.read(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --local-address-file " + file + ": " + e.getMessage(), e);
            }
        }
        if (ranges.isEmpty()) {
            if (how != Announce.NONE || freebind) {
                throw new IllegalArgumentException("--announce and --freebind need source addresses (-l)");
            }
            return null;
        }
        Permutation.Order sequence = switch (order.trim().toLowerCase(Locale.ROOT)) {
            case "random" -> Permutation.Order.RANDOM;
            case "sequential" -> Permutation.Order.SEQUENTIAL;
            default -> throw new IllegalArgumentException("bad --local-order \"" + order + "\": use random or sequential");
        };
        SourceAddresses sources = new SourceAddresses(new SourceRanges(ranges), sequence, seed, freebind, how);
        sources.check(servers);
        return sources;
    }
}
