package io.hyphae.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments of one command: positional words and {@code --name value} / {@code -n value} options, parsed
 * against the options the command knows. An unknown option or one without its value is a {@link UsageException}.
 * {@code --} ends the options: what follows is positional even when it starts with a dash.
 */
final class Args {
    private final List<String> positional;
    private final Map<String, String> options;

    private Args(List<String> positional, Map<String, String> options) {
        this.positional = List.copyOf(positional);
        this.options = Map.copyOf(options);
    }

    /**
     * @param raw     the words as Gogo passed them (numbers may come as Long; each is taken by its text)
     * @param aliases option spelling (such as {@code -q} and {@code --qos}) to the option's name ({@code qos})
     */
    static Args parse(Object[] raw, Map<String, String> aliases) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < raw.length; i++) {
            String word = Objects.toString(raw[i], "");
            if (!optionsEnded && word.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && word.startsWith("-") && word.length() > 1 && !isNumber(word)) {
                String name = aliases.get(word);
                if (name == null) {
                    throw new UsageException("unknown option " + word);
                }
                if (i + 1 >= raw.length) {
                    throw new UsageException("option " + word + " needs a value");
                }
                options.put(name, Objects.toString(raw[++i], ""));
            } else {
                positional.add(word);
            }
        }
        return new Args(positional, options);
    }

    static Args parse(Object[] raw) {
        return parse(raw, Map.of());
    }

    int size() {
        return positional.size();
    }

    /**
     * @throws UsageException when there are fewer than {@code min} or more than {@code max} positional words
     */
    Args expect(int min, int max) {
        if (positional.size() < min) {
            throw new UsageException(min == 1 && max == 1 ? "one argument expected"
                    : "at least " + min + " argument" + (min == 1 ? "" : "s") + " expected");
        }
        if (positional.size() > max) {
            throw new UsageException(max == 0 ? "no arguments expected"
                    : "at most " + max + " argument" + (max == 1 ? "" : "s") + " expected, got " + positional.size());
        }
        return this;
    }

    String get(int index) {
        return positional.get(index);
    }

    /** The positional words from {@code index} on, joined by single spaces. */
    String rest(int index) {
        return String.join(" ", positional.subList(index, positional.size()));
    }

    String option(String name, String absent) {
        return options.getOrDefault(name, absent);
    }

    /**
     * @throws UsageException when the option's value is not one of {@code allowed}
     */
    String option(String name, String absent, Set<String> allowed) {
        String value = option(name, absent);
        if (!allowed.contains(value)) {
            throw new UsageException("--" + name + " must be one of " + allowed.stream().sorted().toList() + ": "
                    + value);
        }
        return value;
    }

    private static boolean isNumber(String word) {
        return word.length() > 1 && word.chars().skip(1).allMatch(Character::isDigit);
    }
}
