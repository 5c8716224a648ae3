package dev.baton.cli.pools;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.baton.cli.input.ByteSizeConverter;
import dev.baton.cli.input.DurationConverter;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.input.JsonInput;
import dev.baton.cli.input.KeyValues;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.Resources;
import picocli.CommandLine.Option;

/**
 * The spec options shared by {@code pools create} and {@code pools update}: a whole pool from {@code --file},
 * then single fields on top. The engine command is a positional list owned by the commands themselves
 * (picocli validates a mixin's positional indexes on their own). Boxed fields are null when not given, so an update changes only what was typed.
 */
final class PoolSpecOptions {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|-",
            description = "The pool as proto3 JSON ({\"name\": ..., \"spec\": {\"image\": ..., ...}}); "
                          + "options below override it.")
    private String file;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Docker image of every engine.")
    private String image;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable (repeatable).")
    private List<String> env;

    @Option(names = "--secret-env", paramLabel = "KEY=VALUE",
            description = "Environment variable whose value is secret: never logged or shown (repeatable).")
    private List<String> secretEnv;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Agent label of every engine (repeatable).")
    private List<String> labels;

    @Option(names = "--host-label", paramLabel = "KEY=VALUE",
            description = "Place engines only on Docker hosts with this label (repeatable).")
    private List<String> hostLabels;

    @Option(names = "--mount", paramLabel = "SOURCE:TARGET[:ro]",
            description = "Mount a host path into every engine (repeatable; replaces the pool's mounts). "
                          + "The server only allows paths under its mount roots.")
    private List<String> mounts;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs per engine, e.g. 1.5 (default 2).")
    private Double cpus;

    @Option(names = "--memory", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Memory limit per engine, e.g. 512MiB, 2GiB (default 2GiB).")
    private Long memory;

    @Option(names = "--pids", paramLabel = "N", description = "Process limit per engine (default 100).")
    private Long pids;

    @Option(names = "--slots", paramLabel = "N", description = "Slots each engine's agent offers.")
    private Integer slots;

    @Option(names = "--min-free", paramLabel = "N", description = "Keep at least N free engines.")
    private Integer minFree;

    @Option(names = "--max-engines", paramLabel = "N", description = "Never more than N engines.")
    private Integer maxEngines;

    @Option(names = "--grace-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Remove a surplus empty engine only after it was empty this long.")
    private Duration gracePeriod;

    @Option(names = "--idle-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Replace engines idle longer than this (0: never).")
    private Duration idleTtl;

    @Option(names = "--max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Replace engines older than this (0: never).")
    private Duration maxAge;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Remove an engine whose agent has not connected by then.")
    private Duration startupTimeout;

    /** Whether any spec option (or a {@code command}) was given. */
    boolean given(List<String> command) {
        return file != null || image != null || command != null || env != null || secretEnv != null
               || labels != null || hostLabels != null || mounts != null || cpus != null || memory != null || pids != null || slots != null
               || minFree != null || maxEngines != null || gracePeriod != null || idleTtl != null
               || maxAge != null || startupTimeout != null;
    }

    /** The name in {@code --file}, or "" (the command's NAME argument wins). */
    String fileName(JsonInput input) {
        return file == null ? "" : readFile(input).getName();
    }

    /**
     * {@code current} with {@code --file} (replacing the whole spec), then the single-field options and
     * {@code command} (null: unchanged) applied.
     */
    PoolSpec applyTo(PoolSpec current, JsonInput input, List<String> command) {
        PoolSpec.Builder spec = file == null ? current.toBuilder() : readFile(input).getSpec().toBuilder();
        if (image != null) {
            spec.setImage(image);
        }
        if (command != null) {
            spec.clearCommand().addAllCommand(command);
        }
        spec.putAllEnv(KeyValues.parse("--env", env));
        Map<String, String> secrets = KeyValues.parse("--secret-env", secretEnv);
        spec.putAllEnv(secrets);
        for (String name : secrets.keySet()) {
            if (!spec.getSecretEnvList().contains(name)) {
                spec.addSecretEnv(name);
            }
        }
        spec.putAllLabels(KeyValues.parse("--label", labels));
        spec.putAllHostLabels(KeyValues.parse("--host-label", hostLabels));
        if (mounts != null) {
            spec.clearMounts();
            mounts.forEach(mount -> spec.addMounts(parseMount(mount)));
        }
        applyResources(spec);
        if (slots != null) {
            spec.setSlots(nonNegative("--slots", slots));
        }
        if (minFree != null) {
            spec.setMinFree(nonNegative("--min-free", minFree));
        }
        if (maxEngines != null) {
            spec.setMaxEngines(nonNegative("--max-engines", maxEngines));
        }
        if (gracePeriod != null) {
            spec.setGracePeriod(Times.toProto(gracePeriod));
        }
        if (idleTtl != null) {
            spec.setIdleTtl(Times.toProto(idleTtl));
        }
        if (maxAge != null) {
            spec.setMaxAge(Times.toProto(maxAge));
        }
        if (startupTimeout != null) {
            spec.setStartupTimeout(Times.toProto(startupTimeout));
        }
        return spec.build();
    }

    private void applyResources(PoolSpec.Builder spec) {
        if (cpus == null && memory == null && pids == null) {
            return;
        }
        Resources.Builder resources = spec.getResources().toBuilder();
        if (cpus != null) {
            if (cpus < 0) {
                throw new InvalidInputException("--cpus: " + cpus + " (expected: >= 0)");
            }
            resources.setCpus(cpus);
        }
        if (memory != null) {
            resources.setMemoryBytes(memory);
        }
        if (pids != null) {
            resources.setPids(nonNegative("--pids", pids));
        }
        spec.setResources(resources);
    }

    private static Mount parseMount(String text) {
        String[] parts = text.split(":", -1);
        boolean readOnly = parts.length == 3 && "ro".equals(parts[2]);
        if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !readOnly && !"rw".equals(parts[2])
            || !parts[0].startsWith("/") || !parts[1].startsWith("/")) {
            throw new InvalidInputException("--mount '" + text + "': expected /host/path:/container/path[:ro]");
        }
        return Mount.newBuilder().setSource(parts[0]).setTarget(parts[1]).setReadOnly(readOnly).build();
    }

    private Pool readFile(JsonInput input) {
        return input.readMessage("--file", file, Pool.newBuilder()).build();
    }

    private static int nonNegative(String option, int value) {
        if (value < 0) {
            throw new InvalidInputException(option + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    private static long nonNegative(String option, long value) {
        if (value < 0) {
            throw new InvalidInputException(option + ": " + value + " (expected: >= 0)");
        }
        return value;
    }
}
