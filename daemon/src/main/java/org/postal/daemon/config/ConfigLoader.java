// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Parses a picocli command line with the config file its {@code --config} names beneath it: every
 * key of the file is a long option, and an option given on the command line wins over the file.
 *
 * <p>At start-up a main calls {@link #parseArgs} instead of {@code CommandLine.parseArgs}, then
 * {@link #toConfig} around its command's own checks. A reload calls {@link #load}, which does the
 * same on a fresh command object and returns a new config record or the error, changing nothing.
 */
public final class ConfigLoader {

    /** The option that names the file. */
    static final String OPTION = "--config";

    private ConfigLoader() {
    }

    /** What {@link #load} found: a new config, or why the file cannot be used. */
    public sealed interface Loaded<R> {

        /** The file and the command line make a valid config. */
        record Ok<R>(R config) implements Loaded<R> {
        }

        /** They do not; the running settings stay as they are. */
        record Failed<R>(ConfigError error) implements Loaded<R> {
        }
    }

    /**
     * Parses {@code args} into {@code cli}'s command with the file {@code --config FILE} names as
     * defaults. With --help or --version, or without --config, this is {@code cli.parseArgs(args)}.
     *
     * @throws ConfigError the file is missing, unreadable (66) or wrong (78): file, line and reason
     * @throws CommandLine.ParameterException the command line itself is wrong
     */
    public static CommandLine.ParseResult parseArgs(CommandLine cli, String... args) throws ConfigError {
        cli.setDefaultValueProvider(null);
        CommandLine.ParseResult first = cli.parseArgs(args);
        Path path = first.matchedOptionValue(OPTION, null);
        if (path == null || first.isUsageHelpRequested() || first.isVersionHelpRequested()) {
            return first;
        }
        FileDefaults defaults = FileDefaults.of(ConfigFile.read(path), cli.getCommandSpec());
        defaults.validate(cli);
        // A flag replaces the file's value rather than mixing with it: picocli would turn a boolean
        // that defaults to true off, and a positional parameter would clash with its option.
        Set<String> given = new HashSet<>();
        for (OptionSpec option : first.matchedOptions()) {
            given.add(option.longestName().replaceFirst("^--", ""));
        }
        for (ArgSpec positional : first.matchedPositionals()) {
            if (positional.userObject() instanceof java.lang.reflect.AnnotatedElement element
                    && element.getAnnotation(ConfigKey.class) != null) {
                given.add(element.getAnnotation(ConfigKey.class).value());
            }
        }
        cli.setDefaultValueProvider(defaults.beneath(List.of(args), given));
        return cli.parseArgs(args);
    }

    /**
     * Runs the command's own checks, {@code toConfig}, on the command {@link #parseArgs} filled. If
     * they refuse a value that came from the file, the error names the file and the line of the
     * setting without which the refusal goes away.
     *
     * @throws ConfigError a setting in the file is refused (78)
     * @throws IllegalArgumentException the command line is refused, as {@code toConfig} said
     */
    public static <C, R> R toConfig(CommandLine cli, Function<C, R> toConfig) throws ConfigError {
        C command = cli.getCommand();
        try {
            return toConfig.apply(command);
        } catch (IllegalArgumentException e) {
            if (!(cli.getDefaultValueProvider() instanceof FileDefaults defaults)) {
                throw e;
            }
            ConfigFile.Setting culprit = culprit(cli, defaults, toConfig, e.getMessage());
            if (culprit == null) {
                throw e;
            }
            throw ConfigError.at(defaults.file().file(), culprit.line(), e.getMessage());
        }
    }

    /**
     * The setting behind a refusal: the first without which {@code toConfig} succeeds, else the first
     * the refusal names (by an option name or its quoted value); null if the file is not to blame.
     */
    private static <C, R> ConfigFile.Setting culprit(CommandLine cli, FileDefaults defaults, Function<C, R> toConfig,
                                                     String refusal) {
        for (ConfigFile.Setting setting : defaults.settings()) {
            try {
                CommandLine fresh = new CommandLine(CommandLine.defaultFactory().create(cli.getCommand().getClass()));
                fresh.setDefaultValueProvider(defaults.beneath(defaults.args(), Set.of(setting.key())));
                fresh.parseArgs(defaults.args().toArray(String[]::new));
                toConfig.apply(fresh.getCommand());
                return setting;
            } catch (Exception e) {
                // Still refused, or refused for another reason (such as a key the command needs): not this one alone.
            }
        }
        Map<String, OptionSpec> keys = FileDefaults.keys(cli.getCommandSpec());
        for (ConfigFile.Setting setting : defaults.settings()) {
            if (refusal.contains("\"" + setting.value() + "\"")) {
                return setting;
            }
            for (String name : FileDefaults.option(keys, setting.key()).names()) {
                if (Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(refusal).find()) {
                    return setting;
                }
            }
        }
        return null;
    }

    /**
     * Reads the config anew, for a reload: a fresh {@code command}, {@code args} (the daemon's own
     * command line, whose flags still win) and the file they name, checked by {@code toConfig}.
     * Nothing outside the new command object changes, whatever the outcome.
     */
    public static <C, R> Loaded<R> load(Supplier<C> command, Function<C, R> toConfig, String... args) {
        CommandLine cli = new CommandLine(command.get());
        try {
            parseArgs(cli, args);
            return new Loaded.Ok<>(toConfig(cli, toConfig));
        } catch (ConfigError e) {
            return new Loaded.Failed<>(e);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            Path file = cli.getDefaultValueProvider() instanceof FileDefaults defaults ? defaults.file().file() : null;
            return new Loaded.Failed<>(ConfigError.in(file, e.getMessage()));
        }
    }

    /**
     * The keys a config file for {@code spec} may set, in declaration order, with their options:
     * every long option except --config, --help and --version.
     */
    public static Map<String, OptionSpec> keys(CommandSpec spec) {
        return Collections.unmodifiableMap(FileDefaults.keys(spec));
    }
}
