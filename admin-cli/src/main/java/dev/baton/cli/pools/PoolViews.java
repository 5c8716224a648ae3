package dev.baton.cli.pools;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.Resources;

/** How pools look in tables and in {@code pools get}. */
final class PoolViews {

    static List<Column<Pool>> columns(Instant now) {
        return List.of(
                Column.of("NAME", Pool::getName),
                Column.of("IMAGE", p -> p.getSpec().getImage()),
                Column.of("HEALTH", p -> Names.of(p.getStatus().getHealth())),
                Column.of("FREE", p -> String.valueOf(p.getStatus().getFree())),
                Column.of("USED", p -> String.valueOf(p.getStatus().getUsed())),
                Column.of("STARTING", p -> String.valueOf(p.getStatus().getStarting())),
                Column.of("TOTAL", p -> String.valueOf(p.getStatus().getTotal())),
                Column.of("DESIRED", p -> String.valueOf(p.getStatus().getDesired())),
                Column.of("MIN FREE", p -> String.valueOf(p.getSpec().getMinFree())),
                Column.of("MAX", p -> String.valueOf(p.getSpec().getMaxEngines())),
                Column.wide("SLOTS", p -> String.valueOf(p.getSpec().getSlots())),
                Column.wide("AGE", p -> Times.age(p.getCreatedAt(), now)),
                Column.wide("MESSAGE", p -> p.getStatus().getMessage()));
    }

    static void describe(Pool pool, Details details, Instant now) {
        PoolSpec spec = pool.getSpec();
        PoolStatus status = pool.getStatus();
        details.add("Name", pool.getName())
               .add("Image", spec.getImage())
               .add("Command", String.join(" ", spec.getCommandList()))
               .always("Health", Names.of(status.getHealth()))
               .add("Message", status.getMessage())
               .always("Engines", status.getTotal() + " (free " + status.getFree() + ", used " + status.getUsed()
                                  + ", starting " + status.getStarting() + "), desired " + status.getDesired())
               .always("Min free", String.valueOf(spec.getMinFree()))
               .always("Max engines", String.valueOf(spec.getMaxEngines()))
               .add("Slots", spec.getSlots() > 0 ? String.valueOf(spec.getSlots()) : "")
               .add("Resources", resources(spec.getResources()))
               .add("Env", env(spec))
               .add("Labels", Names.labels(spec.getLabelsMap()))
               .add("Mounts", spec.getMountsList().stream()
                                  .map(m -> m.getSource() + ':' + m.getTarget() + (m.getReadOnly() ? ":ro" : ""))
                                  .collect(Collectors.joining(",")))
               .add("Grace period", Times.duration(spec.getGracePeriod()))
               .add("Idle TTL", Times.duration(spec.getIdleTtl()))
               .add("Max age", Times.duration(spec.getMaxAge()))
               .add("Startup timeout", Times.duration(spec.getStartupTimeout()))
               .add("Config hash", status.getConfigHash())
               .add("Created", Times.instantWithAge(pool.getCreatedAt(), now))
               .add("Updated", Times.instantWithAge(pool.getUpdatedAt(), now));
    }

    // Secret values are masked even if a server sent them: a terminal is often shared or recorded.
    private static String env(PoolSpec spec) {
        Map<String, String> sorted = new TreeMap<>(spec.getEnvMap());
        return sorted.entrySet().stream()
                     .map(e -> e.getKey() + '=' + (spec.getSecretEnvList().contains(e.getKey()) ? "****" : e.getValue()))
                     .collect(Collectors.joining(","));
    }

    private static String resources(Resources resources) {
        StringBuilder text = new StringBuilder();
        if (resources.getCpus() > 0) {
            text.append("cpus=").append(resources.getCpus());
        }
        if (resources.getMemoryBytes() > 0) {
            text.append(text.length() > 0 ? " " : "").append("memory=").append(bytes(resources.getMemoryBytes()));
        }
        if (resources.getPids() > 0) {
            text.append(text.length() > 0 ? " " : "").append("pids=").append(resources.getPids());
        }
        return text.toString();
    }

    private static String bytes(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return bytes + "B";
    }

    private PoolViews() {}
}
