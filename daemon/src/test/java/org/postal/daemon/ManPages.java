// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Keeps a man page and a picocli command in step: the same options, no more, no fewer. */
public final class ManPages {

    private final CommandSpec spec;
    private final Path page;

    private ManPages(Object command, Path page) {
        this.spec = new CommandLine(command).getCommandSpec();
        this.page = page;
    }

    /** The page {@code man/<file>} (tests run in the module directory) against {@code command}. */
    public static ManPages of(Object command, String file) {
        return new ManPages(command, Path.of("..", "man", file));
    }

    /** Every option and argument of the command is in the page. */
    public void assertEveryOptionDocumented() {
        String text = text();
        for (String name : optionNames()) {
            assertThat(text).as("%s documents %s", page.getFileName(), name)
                    .containsPattern(Pattern.quote(name) + "\\b");
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            assertThat(text).as("%s documents %s", page.getFileName(), parameter.paramLabel())
                    .contains(parameter.paramLabel());
        }
    }

    /** Every long option the OPTIONS section mentions exists. */
    public void assertEveryDocumentedOptionExists() {
        String options = text().split("\\.SH OPTIONS")[1].split("\\.SH ")[0];
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(options);
        Set<String> known = optionNames();
        while (m.find()) {
            assertThat(known).as("%s mentions %s", page.getFileName(), m.group()).contains(m.group());
        }
    }

    /** --help has a line for every option. */
    public void assertEveryOptionHasHelpText() {
        for (OptionSpec option : spec.options()) {
            assertThat(option.description()).as(option.longestName()).isNotEmpty();
        }
    }

    private String text() {
        try {
            return Files.readString(page).replace("\\-", "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> optionNames() {
        return spec.options().stream().flatMap(o -> Set.of(o.names()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
