// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A config file's settings as picocli default values, so that options on the command line win;
 * every key is checked against the command's options and every value with the option's converter.
 *
 * <p>A key {@code NAME.SUB} sets entry {@code SUB} of the map option {@code --NAME} (one line per
 * entry, as {@code postalctl set NAME.SUB=VALUE} writes it); each such line keeps its own line number,
 * so a refused entry is named by its line.
 */
final class FileDefaults implements CommandLine.IDefaultValueProvider {

    private final ConfigFile file;
    /** Key → setting, values already in picocli's spelling (booleans true/false, lists without blanks). */
    private final Map<String, ConfigFile.Setting> settings;
    /** The command-line arguments these defaults lie beneath. */
    private final List<String> args;

    private FileDefaults(ConfigFile file, Map<String, ConfigFile.Setting> settings, List<String> args) {
        this.file = file;
        this.settings = settings;
        this.args = List.copyOf(args);
    }

    /** The file's settings for {@code spec}; an unknown key or a bad yes/no is an error at its line. */
    static FileDefaults of(ConfigFile file, CommandSpec spec) throws ConfigError {
        Map<String, OptionSpec> keys = keys(spec);
        Map<String, ConfigFile.Setting> settings = new LinkedHashMap<>();
        for (ConfigFile.Setting setting : file.settings()) {
            OptionSpec option = option(keys, setting.key());
            if (option == null) {
                throw ConfigError.at(file.file(), setting.line(), unknown(setting.key(), spec, keys.keySet()));
            }
            String value = setting.value();
            if (!keys.containsKey(setting.key())) {
                value = setting.key().substring(setting.key().indexOf('.') + 1) + "=" + value;
            } else if (option.typeInfo().isBoolean()) {
                value = bool(file, setting);
            } else if (!option.splitRegex().isEmpty()) {
                // "bind = 127.0.0.1, ::1" reads naturally; picocli would keep the blank.
                value = value.replaceAll("\\s*(" + option.splitRegex() + ")\\s*", "$1");
            }
            settings.put(setting.key(), new ConfigFile.Setting(setting.key(), value, setting.line()));
        }
        return new FileDefaults(file, settings, List.of());
    }

    /**
     * The keys {@code spec} takes, in declaration order: the long name, without {@code --}, of every
     * option except --config, --help and --version (an option with only a 0.76 letter has no key).
     */
    static Map<String, OptionSpec> keys(CommandSpec spec) {
        Map<String, OptionSpec> keys = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            String key = key(option);
            if (key != null && !key.equals("config") && !option.usageHelp() && !option.versionHelp()) {
                keys.put(key, option);
            }
        }
        return keys;
    }

    /** The option a key sets: its own, or for {@code NAME.SUB} the map option {@code --NAME}; null if none. */
    static OptionSpec option(Map<String, OptionSpec> keys, String key) {
        OptionSpec option = keys.get(key);
        int dot = key.indexOf('.');
        if (option == null && dot > 0 && dot < key.length() - 1) {
            OptionSpec map = keys.get(key.substring(0, dot));
            return map != null && map.typeInfo().isMap() ? map : null;
        }
        return option;
    }

    private static String key(OptionSpec option) {
        for (String name : option.names()) {
            if (name.startsWith("--")) {
                return name.substring(2);
            }
        }
        return null;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        if (option.typeInfo().isMap()) {
            // The map's own line and its NAME.SUB lines, joined as the option's split takes them.
            List<String> entries = new ArrayList<>();
            for (ConfigFile.Setting setting : settings.values()) {
                if (setting.key().equals(key(option)) || setting.key().startsWith(key(option) + ".")) {
                    entries.add(setting.value());
                }
            }
            return entries.isEmpty() ? null : String.join(",", entries);
        }
        ConfigFile.Setting setting = settings.get(key(option));
        return setting == null ? null : setting.value();
    }

    /** The (first) setting of {@code option}, or null when the file leaves it alone. */
    ConfigFile.Setting setting(OptionSpec option) {
        ConfigFile.Setting own = settings.get(key(option));
        if (own != null || !option.typeInfo().isMap()) {
            return own;
        }
        return settings.values().stream().filter(s -> s.key().startsWith(key(option) + ".")).findFirst().orElse(null);
    }

    ConfigFile file() {
        return file;
    }

    /** The settings in file order. */
    Collection<ConfigFile.Setting> settings() {
        return settings.values();
    }

    /** These defaults beneath {@code args}, without the keys those arguments give instead. */
    FileDefaults beneath(List<String> args, Set<String> given) {
        Map<String, ConfigFile.Setting> rest = new LinkedHashMap<>(settings);
        rest.keySet().removeIf(key -> given.contains(key) || given.contains(key.replaceFirst("\\..*", "")));
        return new FileDefaults(file, rest, args);
    }

    /** The command-line arguments given with {@link #beneath}. */
    List<String> args() {
        return args;
    }

    /**
     * Converts every value as the option would: options with a converter of their own through it (for
     * its message), the rest through a parse of an empty command line with these defaults.
     */
    void validate(CommandLine cli) throws ConfigError {
        Map<String, OptionSpec> keys = keys(cli.getCommandSpec());
        for (ConfigFile.Setting setting : settings.values()) {
            OptionSpec option = option(keys, setting.key());
            if (option.converters().length > 0 && option.splitRegex().isEmpty()) {
                try {
                    option.converters()[0].convert(setting.value());
                } catch (Exception e) {
                    throw ConfigError.at(file.file(), setting.line(), setting.key() + ": " + e.getMessage());
                }
            }
        }
        CommandLine.IDefaultValueProvider before = cli.getDefaultValueProvider();
        cli.setDefaultValueProvider(this);
        try {
            cli.parseArgs();
        } catch (CommandLine.ParameterException e) {
            ConfigFile.Setting setting = e.getArgSpec() instanceof OptionSpec option ? setting(option) : null;
            // picocli says "Invalid value for option '--port': 'x' is not an int"; keep what follows the name.
            String reason = e.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "");
            if (setting == null) {
                throw ConfigError.in(file.file(), reason);
            }
            throw ConfigError.at(file.file(), setting.line(), setting.key() + ": " + reason);
        } finally {
            cli.setDefaultValueProvider(before);
        }
    }

    private static String bool(ConfigFile file, ConfigFile.Setting setting) throws ConfigError {
        return switch (setting.value().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> "true";
            case "no", "false", "off" -> "false";
            default -> throw ConfigError.at(file.file(), setting.line(), setting.key() + ": \"" + setting.value()
                    + "\" is not yes or no (or true/false, on/off)");
        };
    }

    /** "unknown key ..." with the closest key there is, if one is close. */
    private static String unknown(String key, CommandSpec spec, Set<String> keys) {
        String text = "unknown key \"" + key + "\"";
        if (key.equals("config")) {
            return "config cannot be set in a config file";
        }
        String bare = key.replaceFirst("^-+", "");
        if (bare.length() == 1) {
            OptionSpec letter = spec.findOption(bare.charAt(0));
            String name = letter == null ? null : key(letter);
            if (name != null && keys.contains(name)) {
                return text + ": keys are long option names; -" + bare + " is " + name;
            }
        }
        String guess = closest(bare.toLowerCase(Locale.ROOT).replace('_', '-'), keys);
        return guess == null ? text : text + " (did you mean " + guess + "?)";
    }

    /** The key at the smallest edit distance, if it is small for the length, or the one key containing it. */
    static String closest(String key, Collection<String> keys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> containing = new ArrayList<>();
        for (String candidate : keys) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
            if (key.length() >= 3 && candidate.contains(key)) {
                containing.add(candidate);
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return best;
        }
        return containing.size() == 1 ? containing.get(0) : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
