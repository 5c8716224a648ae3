package dev.baton.cli.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code key=value} options such as {@code --require gpu=true}. */
public final class KeyValues {

    /**
     * The entries in order; a later entry for the same key wins. Throws {@link InvalidInputException} naming
     * {@code option} for an entry without '=' or with an empty key.
     */
    public static Map<String, String> parse(String option, List<String> entries) {
        Map<String, String> result = new LinkedHashMap<>();
        if (entries == null) {
            return result;
        }
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException(option + " '" + entry + "': expected key=value");
            }
            result.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
        }
        return result;
    }

    private KeyValues() {}
}
