package dev.baton.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.config.EngineHostAccess;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.PoolCapacity;
import dev.baton.server.jobs.Validation;

/**
 * Checks a pool before anything is stored or run; each message names the field, the value and what
 * was expected. Host mounts are allowed only under the configured roots (none by default), never the
 * Docker socket; privileged mode, host namespaces, capabilities and devices only as ENGINE_HOST_ACCESS
 * allows ({@link HostAccessValidator}).
 */
final class PoolValidator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}");
    private static final List<String> FORBIDDEN_SOURCES = List.of("/var/run/docker.sock", "/run/docker.sock");
    private static final List<String> FORBIDDEN_TARGETS = List.of("/proc", "/sys", "/dev");

    private final List<Path> mountRoots;
    private final HostAccessValidator hostAccess;
    private final int maxSlots;

    PoolValidator(List<Path> mountRoots, EngineHostAccess hostAccess, int maxSlots) {
        this.mountRoots = mountRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.hostAccess = new HostAccessValidator(hostAccess);
        this.maxSlots = maxSlots;
    }

    static void name(String field, String name) {
        if (!NAME.matcher(name).matches()) {
            throw BatonException.invalidArgument(
                    "%s: \"%s\" is not a pool name (expected: 1-63 letters, digits, '-', '_', starting with a letter "
                    + "or digit)", field, Validation.printable(name));
        }
    }

    /** Checks a spec with defaults applied. */
    void spec(PoolSpec spec) {
        if (!IMAGE.matcher(spec.getImage()).matches()) {
            throw BatonException.invalidArgument("pool.spec.image: \"%s\" is not an image reference (expected: e.g. "
                                                 + "\"baton/engine:1\")", Validation.printable(spec.getImage()));
        }
        if (spec.getCommandCount() > 256) {
            throw BatonException.invalidArgument("pool.spec.command: %d arguments (expected: at most 256)",
                                                 spec.getCommandCount());
        }
        env(spec);
        labels(spec.getLabelsMap());
        Validation.labels("pool.spec.hostLabels", spec.getHostLabelsMap());
        resources(spec);
        scaling(spec);
        for (int i = 0; i < spec.getMountsCount(); i++) {
            mount("pool.spec.mounts[" + i + "]", spec.getMounts(i));
        }
        PortSpecValidator.check(spec);
        hostAccess.check(spec);
    }

    private static void env(PoolSpec spec) {
        if (spec.getEnvCount() > 256) {
            throw BatonException.invalidArgument("pool.spec.env: %d entries (expected: at most 256)", spec.getEnvCount());
        }
        for (Map.Entry<String, String> e : spec.getEnvMap().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw BatonException.invalidArgument("pool.spec.env: \"%s\" is not an environment variable name "
                                                     + "(expected: letters, digits, '_', not starting with a digit)",
                                                     Validation.printable(e.getKey()));
            }
            if (e.getKey().startsWith("BATON_")) {
                throw BatonException.invalidArgument("pool.spec.env: \"%s\" is reserved (expected: no BATON_* names; "
                                                     + "Baton sets them for the engine's agent)", e.getKey());
            }
            if (e.getValue().indexOf('\0') >= 0 || e.getValue().length() > 32 * 1024) {
                // The value itself is never echoed: it may be a secret.
                throw BatonException.invalidArgument("pool.spec.env.%s: invalid value (expected: at most 32 KiB, no NUL)",
                                                     e.getKey());
            }
        }
        for (String name : spec.getSecretEnvList()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw BatonException.invalidArgument("pool.spec.secretEnv: \"%s\" is not an environment variable name",
                                                     Validation.printable(name));
            }
        }
    }

    private static void labels(Map<String, String> labels) {
        Validation.labels("pool.spec.labels", labels);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().equals(PoolCapacity.POOL_LABEL)) {
                throw BatonException.invalidArgument("pool.spec.labels: \"%s\" is set by Baton (expected: another key)",
                                                     PoolCapacity.POOL_LABEL);
            }
            // BATON_LABELS is "k=v,k2=v2": these two characters would split a value.
            if (e.getValue().contains(",") || e.getValue().contains("=")) {
                throw BatonException.invalidArgument("pool.spec.labels.%s: \"%s\" (expected: no ',' or '=' in values)",
                                                     e.getKey(), Validation.printable(e.getValue()));
            }
        }
    }

    private void resources(PoolSpec spec) {
        double cpus = spec.getResources().getCpus();
        if (!(cpus > 0 && cpus <= 1024)) {
            throw BatonException.invalidArgument("pool.spec.resources.cpus: %s (expected: more than 0, at most 1024)",
                                                 cpus);
        }
        long memory = spec.getResources().getMemoryBytes();
        if (memory < 6L * 1024 * 1024) {
            throw BatonException.invalidArgument("pool.spec.resources.memoryBytes: %d (expected: at least 6291456, "
                                                 + "Docker's minimum)", memory);
        }
        long pids = spec.getResources().getPids();
        if (pids < 1) {
            throw BatonException.invalidArgument("pool.spec.resources.pids: %d (expected: >= 1)", pids);
        }
        if (spec.getSlots() < 1 || spec.getSlots() > maxSlots) {
            throw BatonException.invalidArgument("pool.spec.slots: %d (expected: 1 to %d)", spec.getSlots(), maxSlots);
        }
    }

    private static void scaling(PoolSpec spec) {
        if (spec.getMinFree() < 0) {
            throw BatonException.invalidArgument("pool.spec.minFree: %d (expected: >= 0)", spec.getMinFree());
        }
        if (spec.getMaxEngines() < 1 || spec.getMaxEngines() > 10_000) {
            throw BatonException.invalidArgument("pool.spec.maxEngines: %d (expected: 1 to 10000)", spec.getMaxEngines());
        }
        if (spec.getMinFree() > spec.getMaxEngines()) {
            throw BatonException.invalidArgument("pool.spec.minFree: %d is more than pool.spec.maxEngines (%d)",
                                                 spec.getMinFree(), spec.getMaxEngines());
        }
        notNegative("pool.spec.gracePeriod", spec.getGracePeriod());
        notNegative("pool.spec.idleTtl", spec.getIdleTtl());
        notNegative("pool.spec.maxAge", spec.getMaxAge());
        notNegative("pool.spec.startupTimeout", spec.getStartupTimeout());
    }

    private static void notNegative(String field, Duration value) {
        if (!Durations.isValid(value) || Durations.isNegative(value)) {
            throw BatonException.invalidArgument("%s: %s (expected: zero or a positive duration)", field,
                                                 Durations.isValid(value) ? Durations.toString(value) : "invalid");
        }
    }

    private void mount(String field, Mount mount) {
        Path source = absolute(field + ".source", mount.getSource());
        Path target = absolute(field + ".target", mount.getTarget());
        if (target.getNameCount() == 0 || FORBIDDEN_TARGETS.stream().anyMatch(f -> target.startsWith(f))) {
            throw BatonException.invalidArgument("%s.target: \"%s\" (expected: not /, /proc, /sys or /dev)", field,
                                                 mount.getTarget());
        }
        if (FORBIDDEN_SOURCES.stream().anyMatch(f -> source.equals(Path.of(f)))) {
            throw BatonException.invalidArgument("%s.source: \"%s\" would hand the engine control of Docker "
                                                 + "(expected: never the Docker socket)", field, mount.getSource());
        }
        if (mountRoots.isEmpty()) {
            throw BatonException.invalidArgument("%s.source: \"%s\" cannot be mounted: host mounts are disabled "
                                                 + "(expected: no mounts, or a server started with ENGINE_MOUNT_ROOTS "
                                                 + "including a directory above it)",
                                                 field, Validation.printable(mount.getSource()));
        }
        // A symlink under an allowed root must not lead outside it.
        Path resolved = source;
        try {
            if (Files.exists(source)) {
                resolved = source.toRealPath();
            }
        } catch (IOException e) {
            resolved = source;
        }
        for (Path root : mountRoots) {
            if (source.startsWith(root) && resolved.startsWith(root)) {
                return;
            }
        }
        throw BatonException.invalidArgument("%s.source: \"%s\" is not under an allowed mount root (expected: under "
                                             + "one of %s, or a server whose ENGINE_MOUNT_ROOTS includes it)", field,
                                             Validation.printable(mount.getSource()), mountRoots);
    }

    private static Path absolute(String field, String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (RuntimeException e) {
            path = null;
        }
        if (path == null || !path.isAbsolute() || !path.normalize().equals(path) || value.contains("..")
            || value.contains(":")) {
            throw BatonException.invalidArgument("%s: \"%s\" (expected: an absolute, normalized path without ':')",
                                                 field, Validation.printable(value));
        }
        return path;
    }
}
