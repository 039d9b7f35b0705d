// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postal.daemon.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps a shipped config file ({@code etc/<file>}) and a picocli command in step, as {@link ManPages}
 * does for man pages: every key is an option, every option a key, each with a comment, every value
 * valid, and every commented-out value the built-in default.
 */
public final class EtcConfigs {

    /** {@code key = value}, or {@code #key = value} for one left at its default (no blank after "#"). */
    private static final Pattern KEY = Pattern.compile("^(#?)([a-z][a-z0-9-]*) = (.*)$");

    private final Supplier<Object> command;
    private final Path file;
    private final List<String> lines;

    private EtcConfigs(Supplier<Object> command, Path file) {
        this.command = command;
        this.file = file;
        try {
            this.lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file {@code etc/<file>} (tests run in the module directory) against fresh {@code command}s. */
    public static EtcConfigs of(Supplier<Object> command, String file) {
        return new EtcConfigs(command, Path.of("..", "etc", file));
    }

    private Map<String, OptionSpec> keys() {
        return ConfigLoader.keys(new CommandLine(command.get()).getCommandSpec());
    }

    /** Key → value of every key line, commented out or not. */
    private Map<String, String> listed(boolean commentedOnly) {
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = KEY.matcher(line);
            if (m.matches() && (!commentedOnly || !m.group(1).isEmpty())) {
                assertThat(listed).as("%s lists %s once", file.getFileName(), m.group(2)).doesNotContainKey(m.group(2));
                listed.put(m.group(2), m.group(3));
            }
        }
        return listed;
    }

    /** Every option's key is in the file, and every key in the file is an option's. */
    public void assertKeysAreTheOptions() {
        assertThat(listed(false).keySet()).as("keys in %s", file.getFileName())
                .containsExactlyInAnyOrderElementsOf(keys().keySet());
    }

    /** The line above each key is its comment. */
    public void assertEveryKeyHasAComment() {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (m.matches()) {
                assertThat(i > 0 && lines.get(i - 1).startsWith("# ") && !KEY.matcher(lines.get(i - 1)).matches())
                        .as("%s:%d: a comment above %s", file.getFileName(), i, m.group(2)).isTrue();
            }
        }
    }

    /** The file loads as it is, and so does every example in it once uncommented. */
    public void assertEveryValueIsValid(Path scratch) throws Exception {
        load(file);
        List<String> uncommented = new ArrayList<>();
        for (String line : lines) {
            uncommented.add(KEY.matcher(line).matches() && line.startsWith("#") ? line.substring(1) : line);
        }
        Path all = scratch.resolve("all-" + file.getFileName());
        Files.write(all, uncommented);
        load(all);
    }

    /** A value shown commented out is the option's built-in default, where it has one. */
    public void assertCommentedValuesAreTheDefaults(Path scratch) throws Exception {
        Map<String, OptionSpec> keys = keys();
        CommandLine defaults = load(null);
        for (Map.Entry<String, String> entry : listed(true).entrySet()) {
            OptionSpec option = keys.get(entry.getKey());
            if (option.defaultValue() == null && !option.typeInfo().isBoolean()) {
                continue;
            }
            Path one = scratch.resolve(entry.getKey() + ".conf");
            Files.writeString(one, entry.getKey() + " = " + entry.getValue() + "\n");
            Object value = load(one).getCommandSpec().findOption(option.longestName()).getValue();
            assertThat(value).as("%s: #%s = %s", file.getFileName(), entry.getKey(), entry.getValue())
                    .isEqualTo(defaults.getCommandSpec().findOption(option.longestName()).getValue());
        }
    }

    /** The example for this file in postal.conf(5), the block that starts "# /etc/postal/FILE", loads. */
    public void assertManPageExampleLoads(Path scratch) throws Exception {
        List<String> page = Files.readAllLines(Path.of("..", "man", "postal.conf.5"));
        int start = page.indexOf("# /etc/postal/" + file.getFileName());
        assertThat(start).as("postal.conf(5) has an example of %s", file.getFileName()).isNotNegative();
        List<String> example = new ArrayList<>();
        for (int i = start; !page.get(i).equals(".RE"); i++) {
            example.add(page.get(i).replace("\\-", "-"));
        }
        Path copy = scratch.resolve("example-" + file.getFileName());
        Files.write(copy, example);
        assertThat(load(copy).getCommandSpec().findOption("--config").<Path>getValue()).isEqualTo(copy);
    }

    private CommandLine load(Path config) throws Exception {
        CommandLine cli = new CommandLine(command.get());
        ConfigLoader.parseArgs(cli, config == null ? new String[0] : new String[] {"--config", config.toString()});
        return cli;
    }
}
