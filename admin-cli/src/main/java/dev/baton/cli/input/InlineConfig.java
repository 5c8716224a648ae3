package dev.baton.cli.input;

import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Builds a job's inline configuration from {@code --config} and {@code --set key=value} options. A value that
 * is valid JSON ({@code 30}, {@code true}, {@code "30"}, {@code [1,2]}) is taken as JSON, anything else as a
 * string; a dotted key ({@code output.format=hls}) sets a field of a nested object.
 */
public final class InlineConfig {

    /** Applies {@code sets} in order to a copy of {@code base} (which may be null for an empty config). */
    public static JsonObject apply(JsonObject base, List<String> sets) {
        JsonObject config = base == null ? new JsonObject() : base.deepCopy();
        if (sets == null) {
            return config;
        }
        for (String set : sets) {
            applyOne(config, set);
        }
        return config;
    }

    private static void applyOne(JsonObject config, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException("--set '" + set + "': expected key=value");
        }
        String key = set.substring(0, eq).trim();
        String[] path = key.split("\\.", -1);
        JsonObject target = config;
        for (int i = 0; i < path.length - 1; i++) {
            requireName(set, path[i]);
            JsonElement child = target.get(path[i]);
            if (child == null || child.isJsonNull()) {
                child = new JsonObject();
                target.add(path[i], child);
            } else if (!child.isJsonObject()) {
                throw new InvalidInputException("--set '" + set + "': '" + String.join(".", List.of(path).subList(0, i + 1))
                                                + "' is " + child + ", not an object");
            }
            target = child.getAsJsonObject();
        }
        String last = path[path.length - 1];
        requireName(set, last);
        target.add(last, value(set.substring(eq + 1)));
    }

    private static void requireName(String set, String name) {
        if (name.isEmpty()) {
            throw new InvalidInputException("--set '" + set + "': the key has an empty part");
        }
    }

    private static JsonElement value(String text) {
        try {
            return JsonInput.parseStrict("--set", text);
        } catch (InvalidInputException notJson) {
            return new JsonPrimitive(text);
        }
    }

    private InlineConfig() {}
}
