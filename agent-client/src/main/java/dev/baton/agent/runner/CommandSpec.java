package dev.baton.agent.runner;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OS process a job's config asks for:
 * <pre>{@code
 * {"command": ["ffmpeg", "-i", "rtmp://..."], "env": {"LOG": "info"}, "workdir": "/srv/jobs"}
 * }</pre>
 * {@code command} is a list of strings (the program and its arguments), or one string run by
 * {@code /bin/sh -c}. {@code env} adds to the agent's environment; {@code workdir} defaults to the
 * agent's working directory.
 *
 * @param workdir empty for the agent's working directory
 */
public record CommandSpec(List<String> command, Map<String, String> env, Optional<Path> workdir) {

    /** Validates the fields. */
    public CommandSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (command.isEmpty()) {
            throw new InvalidJobConfigException("config.command is empty (expected: the program and its arguments)");
        }
    }

    /** The command of a job's config; throws {@link InvalidJobConfigException} naming what is wrong. */
    public static CommandSpec from(Struct config) {
        return new CommandSpec(command(config), env(config), workdir(config));
    }

    private static List<String> command(Struct config) {
        Value value = config.getFieldsOrDefault("command", null);
        if (value == null) {
            throw new InvalidJobConfigException(
                    "config.command is missing (expected: a list of strings, e.g. [\"sleep\", \"5\"])");
        }
        if (value.hasStringValue()) {
            if (value.getStringValue().isBlank()) {
                throw new InvalidJobConfigException("config.command is blank (expected: a shell command)");
            }
            return List.of("/bin/sh", "-c", value.getStringValue());
        }
        if (!value.hasListValue()) {
            throw new InvalidJobConfigException("config.command is " + kind(value)
                                                + " (expected: a list of strings or a string)");
        }
        List<String> command = new ArrayList<>();
        List<Value> items = value.getListValue().getValuesList();
        for (int i = 0; i < items.size(); i++) {
            command.add(scalar(items.get(i), "config.command[" + i + "]"));
        }
        return command;
    }

    private static Map<String, String> env(Struct config) {
        Value value = config.getFieldsOrDefault("env", null);
        if (value == null || value.hasNullValue()) {
            return Map.of();
        }
        if (!value.hasStructValue()) {
            throw new InvalidJobConfigException("config.env is " + kind(value)
                                                + " (expected: an object of names to strings)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        value.getStructValue().getFieldsMap().forEach(
                (name, v) -> env.put(name, scalar(v, "config.env." + name)));
        return env;
    }

    private static Optional<Path> workdir(Struct config) {
        Value value = config.getFieldsOrDefault("workdir", null);
        if (value == null || value.hasNullValue()) {
            return Optional.empty();
        }
        Path dir = Path.of(scalar(value, "config.workdir"));
        if (!Files.isDirectory(dir)) {
            throw new InvalidJobConfigException("config.workdir " + dir + " is not a directory on this agent");
        }
        return Optional.of(dir);
    }

    /** Strings as they are; numbers and booleans as their text (so {"PORT": 8080} works). */
    private static String scalar(Value value, String name) {
        switch (value.getKindCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case BOOL_VALUE:
                return Boolean.toString(value.getBoolValue());
            case NUMBER_VALUE:
                double number = value.getNumberValue();
                return number == Math.rint(number) && Math.abs(number) < 1e15
                       ? Long.toString((long) number) : Double.toString(number);
            default:
                throw new InvalidJobConfigException(name + " is " + kind(value) + " (expected: a string)");
        }
    }

    private static String kind(Value value) {
        switch (value.getKindCase()) {
            case STRUCT_VALUE:
                return "an object";
            case LIST_VALUE:
                return "a list";
            case NULL_VALUE:
                return "null";
            case NUMBER_VALUE:
                return "a number";
            case BOOL_VALUE:
                return "a boolean";
            default:
                return "a string";
        }
    }
}
