package dev.baton.server.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Engine knobs that BatonConfig does not carry (yet): the mount allow-list (ENGINE_MOUNT_ROOTS),
 * the per-cycle burst and replacement batch, the circuit breaker, timeouts and backoffs.
 *
 * @param mountRoots host directories pool mounts may come from; empty disables host mounts
 * @param burst engines created per pool per autoscale cycle at most
 * @param replaceBatch outdated engines (drift, idle, age) retired per pool per cycle at most
 * @param breakerThreshold creation failures in a row that open a pool's circuit breaker
 * @param breakerCoolDown how long an open breaker pauses creation before one trial engine
 * @param stopTimeout SIGTERM to SIGKILL when an engine container is removed
 * @param pullTimeout longest image pull
 * @param retryBase first delay before an image check or a Docker probe is retried (doubles)
 * @param retryMax longest such delay
 * @param dockerThreads concurrent Docker calls at most
 */
public record EngineSettings(List<Path> mountRoots, int burst, int replaceBatch, int breakerThreshold,
                             Duration breakerCoolDown, Duration stopTimeout, Duration pullTimeout, Duration retryBase,
                             Duration retryMax, int dockerThreads) {

    public EngineSettings {
        mountRoots = List.copyOf(mountRoots);
        check(burst >= 1, "burst", burst);
        check(replaceBatch >= 1, "replaceBatch", replaceBatch);
        check(breakerThreshold >= 1, "breakerThreshold", breakerThreshold);
        check(dockerThreads >= 1, "dockerThreads", dockerThreads);
    }

    /** The defaults, with host mounts allowed under {@code mountRoots}. */
    public static EngineSettings defaults(List<Path> mountRoots) {
        return new EngineSettings(mountRoots, 5, 2, 5, Duration.ofSeconds(60), Duration.ofSeconds(10),
                                  Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofMinutes(2), 4);
    }

    /** ENGINE_MOUNT_ROOTS: absolute directories separated by ':' (or ','). */
    public static List<Path> parseMountRoots(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split("[:,]")).map(String::trim).filter(s -> !s.isEmpty())
                               .map(s -> {
                                   Path p = Path.of(s);
                                   if (!p.isAbsolute()) {
                                       throw new IllegalArgumentException("ENGINE_MOUNT_ROOTS: \"" + s
                                                                          + "\" is not an absolute path");
                                   }
                                   return p.normalize();
                               }).toList();
    }

    public EngineSettings withBreaker(int threshold, Duration coolDown) {
        return new EngineSettings(mountRoots, burst, replaceBatch, threshold, coolDown, stopTimeout, pullTimeout,
                                  retryBase, retryMax, dockerThreads);
    }

    public EngineSettings withBurst(int burst, int replaceBatch) {
        return new EngineSettings(mountRoots, burst, replaceBatch, breakerThreshold, breakerCoolDown, stopTimeout,
                                  pullTimeout, retryBase, retryMax, dockerThreads);
    }

    public EngineSettings withRetry(Duration base, Duration max) {
        return new EngineSettings(mountRoots, burst, replaceBatch, breakerThreshold, breakerCoolDown, stopTimeout,
                                  pullTimeout, base, max, dockerThreads);
    }

    private static void check(boolean ok, String name, int value) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
    }
}
