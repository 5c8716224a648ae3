package dev.baton.cli.input;

import java.util.List;

import com.google.gson.JsonObject;
import com.google.protobuf.Struct;

import dev.baton.cli.output.StructText;

import picocli.CommandLine.Option;

/** {@code --config FILE|-} and {@code --set key=value}: a job configuration given on the command line. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE|-",
            description = "The configuration as a JSON object, from a file or '-' for standard input.")
    private String source;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one configuration field (repeatable, applied after --config). Values that are "
                          + "JSON (30, true, \"30\", [1,2]) are taken as JSON, others as strings; "
                          + "a dotted key (output.format=hls) sets a nested field.")
    private List<String> sets;

    /** Whether {@code --config} or {@code --set} was given. */
    public boolean given() {
        return source != null || sets != null && !sets.isEmpty();
    }

    /** The configuration: {@code --config}'s object with every {@code --set} applied. */
    public Struct toStruct(JsonInput input) {
        return applyTo(input, Struct.getDefaultInstance());
    }

    /**
     * An updated configuration: {@code --config} replaces {@code current} when given; every {@code --set} is then
     * applied on top (so {@code --set} alone changes single fields of {@code current}).
     */
    public Struct applyTo(JsonInput input, Struct current) {
        JsonObject base = source != null ? input.readObject("--config", source)
                                         : JsonInput.parseObject("--config", StructText.of(current));
        return JsonInput.toStruct("--config", InlineConfig.apply(base, sets));
    }
}
