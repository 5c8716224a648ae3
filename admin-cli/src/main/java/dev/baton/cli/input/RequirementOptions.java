package dev.baton.cli.input;

import java.util.List;

import dev.baton.proto.v1.JobRequirements;
import picocli.CommandLine.Option;

/** {@code --require}, {@code --slots}, {@code --pool}: what a job needs from the agent that runs it. */
public final class RequirementOptions {

    @Option(names = "--require", paramLabel = "LABEL=VALUE",
            description = "Run only on agents with this label value (repeatable).")
    private List<String> labels;

    @Option(names = "--slots", paramLabel = "N", description = "Slots the job occupies on its agent (default 1).")
    private Integer slots;

    @Option(names = "--pool", paramLabel = "NAME", description = "Run only on engines of this pool.")
    private String pool;

    /** Whether any requirement was given. */
    public boolean given() {
        return labels != null && !labels.isEmpty() || slots != null || pool != null;
    }

    /** Applies the given requirements on top of {@code requirements}; options not given leave fields alone. */
    public JobRequirements applyTo(JobRequirements requirements) {
        JobRequirements.Builder builder = requirements.toBuilder();
        builder.putAllLabels(KeyValues.parse("--require", labels));
        if (slots != null) {
            if (slots < 0) {
                throw new InvalidInputException("--slots: " + slots + " (expected: >= 0)");
            }
            builder.setSlots(slots);
        }
        if (pool != null) {
            builder.setPool(pool);
        }
        return builder.build();
    }
}
