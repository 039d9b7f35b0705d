// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postal.ctl.protocol.Command;

/**
 * Keeps postalctl(1), {@code postalctl --help} and the bash completion in step with the code's
 * lists: {@link Command} for the commands, {@link CtlOption} for the options.
 */
class ManPageTest {

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[a-z][a-z-]*");

    private final String page = read(Path.of("..", "man", "postalctl.1")).replace("\\-", "-");
    private final String completion = read(Path.of("src", "main", "completion", "postalctl"));

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path.toAbsolutePath(), e);
        }
    }

    private static Set<String> commandWords() {
        return Arrays.stream(Command.values()).map(Command::word).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> optionNames() {
        return Arrays.stream(CtlOption.values()).flatMap(o -> o.names().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The text of section {@code .SH name}, up to the next section. */
    private String section(String name) {
        int start = page.indexOf("\n.SH " + name + "\n");
        assertThat(start).as("postalctl.1 has a section %s", name).isNotNegative();
        int end = page.indexOf("\n.SH ", start + 1);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    /** The tag line after each {@code .TP} in a section, with its font macro taken off. */
    private List<String> tags(String section) {
        List<String> out = new java.util.ArrayList<>();
        String[] lines = section(section).split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].equals(".TP")) {
                out.add(lines[i + 1].replaceFirst("^\\.[BIR]{1,2} ", "").replace("\"", ""));
            }
        }
        return out;
    }

    @Test
    void theCommandsSectionDescribesEveryCommandAndNoOther() {
        Set<String> described = tags("COMMANDS").stream().map(tag -> tag.split("\\s+")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(described).isEqualTo(commandWords());
    }

    @Test
    void theOptionsSectionDescribesEveryOptionAndNoOther() {
        Set<String> described = new TreeSet<>();
        for (String tag : tags("OPTIONS")) {
            Matcher m = OPTION.matcher(tag);
            while (m.find()) {
                described.add(m.group());
            }
        }
        assertThat(described).isEqualTo(optionNames());
        Matcher mentioned = OPTION.matcher(section("OPTIONS"));
        while (mentioned.find()) {
            if (mentioned.group().startsWith("--")) {
                assertThat(optionNames()).as("the OPTIONS section mentions %s", mentioned.group())
                        .contains(mentioned.group());
            }
        }
    }

    @Test
    void theSynopsisShowsEveryOption() {
        String synopsis = section("SYNOPSIS");
        for (CtlOption option : CtlOption.values()) {
            String longest = option.names().get(option.names().size() - 1);
            assertThat(synopsis).as("SYNOPSIS shows %s", longest).containsPattern(Pattern.quote(longest) + "\\b");
        }
    }

    @Test
    void theExitStatusesAreTheCodes() {
        assertThat(tags("EXIT STATUS")).containsExactly(String.valueOf(PostalCtl.OK),
                String.valueOf(PostalCtl.REFUSED), String.valueOf(PostalCtl.USAGE));
    }

    @Test
    void helpListsEveryCommandAndOption() {
        for (String word : commandWords()) {
            assertThat(PostalCtl.USAGE_TEXT).as("--help lists %s", word).containsPattern("\n  [a-z |]*\\b" + word + "\\b");
        }
        for (String name : optionNames()) {
            assertThat(PostalCtl.USAGE_TEXT).as("--help lists %s", name).containsPattern("\n  .*" + name + "\\b");
        }
    }

    @Test
    void everyOptionInTheHelpIsAccepted() {
        for (CtlOption option : CtlOption.values()) {
            for (String name : option.names()) {
                String[] args = switch (option) {
                    case SSH -> new String[] {name, "lab1", "bhm", "status"};
                    case SPLIT -> new String[] {name, "--ssh", "lab1", "postal", "rate", "10/s"};
                    case AT -> new String[] {name, "+5", "postal", "resume"};
                    default -> option.value() == null ? new String[] {name, "bhm", "status"}
                            : new String[] {name, "/tmp", "bhm", "status"};
                };
                PostalCtl.parse(args);   // throws on an option the parser does not know
            }
        }
    }

    @Test
    void bashCompletionOffersEveryCommandAndLongOption() {
        Matcher lists = Pattern.compile("compgen -W '([^'$]*)'").matcher(completion);
        Set<String> offered = new TreeSet<>();
        while (lists.find()) {
            offered.addAll(Arrays.asList(lists.group(1).trim().split("\\s+")));
        }
        assertThat(offered).containsAll(commandWords());
        Set<String> longOptions = optionNames().stream().filter(n -> n.startsWith("--"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(offered.stream().filter(w -> w.startsWith("--")).collect(Collectors.toSet()))
                .isEqualTo(longOptions);
    }
}
