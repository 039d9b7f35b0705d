// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import org.postal.daemon.config.Versions;
import org.postal.daemon.service.Sysexits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** postal-list's command line: two files, as in 0.76, and a bound on the output. */
@Command(name = "postal-list", mixinStandardHelpOptions = true, versionProvider = Versions.class, sortOptions = false,
        usageHelpWidth = 100, exitCodeOnInvalidInput = Sysexits.EX_USAGE,
        description = "Prints every name of input-file, expanded under the first rule of conversion-file that matches it.")
final class ListCommand {

    @Parameters(index = "0", paramLabel = "input-file",
            description = "Names, one a line (a user list will do); - reads standard input.")
    String input;

    @Parameters(index = "1", paramLabel = "conversion-file",
            description = "Rules, one a line: a Java regular expression, blanks, a replacement; - expands nothing.")
    String conversion;

    @Option(names = "--max", paramLabel = "N", defaultValue = "16777216",
            description = "Refuse a rule that makes more than N names of one name (default: ${DEFAULT-VALUE}, 2^24).")
    long max;
}
