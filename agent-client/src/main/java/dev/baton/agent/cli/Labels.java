package dev.baton.agent.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code k=v,k2=v2} (BATON_LABELS) into labels. */
final class Labels {

    private Labels() {}

    static Map<String, String> parse(String text) {
        return parse("labels", text);
    }

    /** The same format for another option (BATON_ENDPOINTS: name=url,...); errors name {@code field}. */
    static Map<String, String> parse(String field, String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(
                        field + ": '" + entry.trim() + "' in '" + text + "' (expected: key=value,key2=value2)");
            }
            labels.put(key, entry.substring(eq + 1).trim());
        }
        return labels;
    }
}
