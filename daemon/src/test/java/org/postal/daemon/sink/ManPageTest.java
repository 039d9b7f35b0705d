// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Keeps bhm(8) and bhm --help in step: the same options, no more, no fewer. */
class ManPageTest {

    private static final Path PAGE = Path.of("..", "man", "bhm.8");

    private static String page() throws IOException {
        return Files.readString(PAGE).replace("\\-", "-");
    }

    private static Set<String> optionNames() {
        return new CommandLine(new SinkCommand()).getCommandSpec().options().stream()
                .flatMap(o -> Set.of(o.names()).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyOptionIsDocumented() throws IOException {
        String page = page();
        for (String name : optionNames()) {
            assertThat(page).as("bhm.8 documents %s", name).containsPattern(Pattern.quote(name) + "\\b");
        }
    }

    @Test
    void everyDocumentedOptionExists() throws IOException {
        String options = page().split("\\.SH OPTIONS")[1].split("\\.SH ")[0];
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(options);
        Set<String> known = optionNames();
        while (m.find()) {
            assertThat(known).as("bhm.8 mentions %s", m.group()).contains(m.group());
        }
    }

    @Test
    void everyOptionHasHelpText() {
        for (OptionSpec option : new CommandLine(new SinkCommand()).getCommandSpec().options()) {
            assertThat(option.description()).as(option.longestName()).isNotEmpty();
        }
    }
}
