package dev.baton.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.baton.proto.v1.UnavailablePolicy;
import dev.baton.server.security.AdminToken;
import dev.baton.server.security.AdminTokenParser;
import dev.baton.server.security.AuthMode;
import dev.baton.server.security.OpenEndpoint;

/**
 * Builds {@link BatonConfig} from environment variables (the seed's names) overridden by
 * command-line flags (the same names in lower case with dashes: {@code --heartbeat-interval-ms}).
 */
public final class ConfigLoader {

    /** One configurable value: its environment name, meaning and how it sets the builder. */
    public record Setting(String env, String description, String defaultValue,
                          BiConsumer<BatonConfig.Builder, String> apply) {
        /** The flag that overrides the environment variable. */
        public String flag() {
            return "--" + env.toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final List<Setting> SETTINGS = List.of(
        new Setting("PORT", "TCP port for gRPC, REST, the dashboard and metrics", "8080",
                    (b, v) -> b.port(integer("PORT", v, 0, 65535))),
        new Setting("DATA_DIR", "directory of the embedded store", "./data",
                    (b, v) -> b.dataDir(Path.of(v))),
        new Setting("AGENT_TOKEN", "shared token agents present in Hello (generated when unset)", "(generated)",
                    BatonConfig.Builder::agentToken),
        new Setting("AGENT_TOKENS", "per-agent tokens, agentId:token,...", "",
                    (b, v) -> b.perAgentTokens(pairs("AGENT_TOKENS", v, ':'))),
        new Setting("HEARTBEAT_INTERVAL_MS", "how often agents heartbeat", "3000",
                    (b, v) -> b.heartbeatInterval(millis("HEARTBEAT_INTERVAL_MS", v))),
        new Setting("HEARTBEAT_TIMEOUT_MS", "silence after which an agent is OFFLINE", "10000",
                    (b, v) -> b.heartbeatTimeout(millis("HEARTBEAT_TIMEOUT_MS", v))),
        new Setting("STOP_GRACE_MS", "grace a job gets to stop before Kill", "10000",
                    (b, v) -> b.stopGrace(millis("STOP_GRACE_MS", v))),
        new Setting("KILL_AFTER_MS", "time after the grace before Kill, and after Kill before giving up", "5000",
                    (b, v) -> b.killAfter(millis("KILL_AFTER_MS", v))),
        new Setting("ACK_TIMEOUT_MS", "time an agent has to acknowledge an assignment", "5000",
                    (b, v) -> b.ackTimeout(millis("ACK_TIMEOUT_MS", v))),
        new Setting("LOST_AFTER_MS", "how long jobs of an offline agent wait for it", "60000",
                    (b, v) -> b.lostAfter(millis("LOST_AFTER_MS", v))),
        new Setting("COMMAND_TIMEOUT_MS", "how long mute/unmute wait for the agent's ack", "5000",
                    (b, v) -> b.commandTimeout(millis("COMMAND_TIMEOUT_MS", v))),
        new Setting("WAIT_TIMEOUT_S", "default bound on a job's PENDING wait (0: forever)", "600",
                    (b, v) -> b.waitTimeout(seconds("WAIT_TIMEOUT_S", v))),
        new Setting("UNAVAILABLE_POLICY", "default when nothing can run a job: wait or fail_fast", "wait",
                    (b, v) -> b.defaultUnavailablePolicy(unavailablePolicy(v))),
        new Setting("IDEMPOTENCY_RETENTION_S", "how long idempotency keys are kept", "86400",
                    (b, v) -> b.idempotencyRetention(seconds("IDEMPOTENCY_RETENTION_S", v))),
        new Setting("OFFLINE_AGENT_RETENTION_S", "how long an OFFLINE agent without jobs stays listed", "3600",
                    (b, v) -> b.offlineAgentRetention(seconds("OFFLINE_AGENT_RETENTION_S", v))),
        new Setting("MAX_SLOTS_PER_AGENT", "largest slot count a job may require", "256",
                    (b, v) -> b.maxSlotsPerAgent(integer("MAX_SLOTS_PER_AGENT", v, 1, 1_000_000))),
        new Setting("MAX_ATTEMPTS", "default attempts per job, restarts included", "5",
                    (b, v) -> b.defaultMaxAttempts(integer("MAX_ATTEMPTS", v, 1, 1_000_000))),
        new Setting("RESTART_BACKOFF_BASE_MS", "first restart delay (doubles each attempt, with jitter)", "1000",
                    (b, v) -> b.restartBackoffBase(millis("RESTART_BACKOFF_BASE_MS", v))),
        new Setting("RESTART_BACKOFF_MAX_MS", "longest restart delay", "60000",
                    (b, v) -> b.restartBackoffMax(millis("RESTART_BACKOFF_MAX_MS", v))),
        new Setting("MAX_INLINE_CONFIG_BYTES", "largest inline config, as JSON", "65536",
                    (b, v) -> b.maxInlineConfigBytes(integer("MAX_INLINE_CONFIG_BYTES", v, 1, 16 << 20))),
        new Setting("MAX_MESSAGE_BYTES", "largest single gRPC message", "4194304",
                    (b, v) -> b.maxMessageBytes(integer("MAX_MESSAGE_BYTES", v, 1024, 64 << 20))),
        new Setting("MONITOR_INTERVAL_S", "how often engines are checked against Docker", "10",
                    (b, v) -> b.monitorInterval(seconds("MONITOR_INTERVAL_S", v))),
        new Setting("ENGINE_GRACE_PERIOD_S", "how long a surplus empty engine lives (0: removed at once)", "30",
                    (b, v) -> b.engineGracePeriod(seconds("ENGINE_GRACE_PERIOD_S", v))),
        new Setting("AUTOSCALE_INTERVAL_S", "how often pools are scaled", "30",
                    (b, v) -> b.autoscaleInterval(seconds("AUTOSCALE_INTERVAL_S", v))),
        new Setting("MIN_REPLICAS", "default minimum of FREE engines per pool", "0",
                    (b, v) -> b.minReplicas(integer("MIN_REPLICAS", v, 0, 100_000))),
        new Setting("MAX_REPLICAS", "default maximum of engines per pool", "10",
                    (b, v) -> b.maxReplicas(integer("MAX_REPLICAS", v, 1, 100_000))),
        new Setting("POOLS_FILE", "JSON file of pools applied at start-up", "",
                    (b, v) -> b.poolsFile(v.isBlank() ? null : Path.of(v))),
        new Setting("DOCKER_HOST", "Docker endpoint", "unix:///var/run/docker.sock",
                    BatonConfig.Builder::dockerHost),
        new Setting("ENGINE_HOST_LOST_AFTER_S", "a Docker host unreachable this long has its engines marked lost "
                    + "and replaced on other hosts", "60",
                    (b, v) -> b.engineHostLostAfter(seconds("ENGINE_HOST_LOST_AFTER_S", v))),
        new Setting("ENGINES_ENABLED", "run the engine pool loops (true/false)", "true",
                    (b, v) -> b.dockerEnabled(bool("ENGINES_ENABLED", v))),
        new Setting("ENGINE_MOUNT_ROOTS", "host directories pool mounts may come from, ':'-separated", "(none)",
                    (b, v) -> b.engineMountRoots(paths("ENGINE_MOUNT_ROOTS", v))),
        new Setting("ENGINE_PORT_RANGE", "host ports for pools' named ports when a pool sets no range", "19000-19999",
                    (b, v) -> b.enginePortRange(portRange("ENGINE_PORT_RANGE", v))),
        new Setting("ADMIN_TOKENS", "admin API tokens, name:role:token,... (role: viewer, operator or admin)",
                    "(none: an admin token is generated)",
                    (b, v) -> b.adminTokens(adminTokens("ADMIN_TOKENS", () -> AdminTokenParser.parseList(v)))),
        new Setting("ADMIN_TOKENS_FILE", "file of admin tokens, one name:role:token per line; "
                                         + "the token may be sha256:<hex> of the token", "",
                    (b, v) -> b.adminTokens(adminTokensFile(Path.of(v)))),
        new Setting("ADMIN_AUTH", "who needs an admin token: required, local (loopback callers need none) or off",
                    "required with tokens, local without", (b, v) -> b.adminAuthMode(authMode(v))),
        new Setting("AUTH_OPEN_ENDPOINTS", "endpoints open without a token, from healthz,metrics,docs,reflection "
                                           + "(empty: none)", "healthz,metrics",
                    (b, v) -> b.openEndpoints(openEndpoints(v))),
        new Setting("ADMIN_RATE_LIMIT_RPS", "admin requests per second per token (0: no limit)", "1000",
                    (b, v) -> b.adminRateLimitPerSecond(integer("ADMIN_RATE_LIMIT_RPS", v, 0, 1_000_000))),
        new Setting("ADMIN_RATE_LIMIT_BURST", "admin requests a token may make at once", "1000",
                    (b, v) -> b.adminRateLimitBurst(integer("ADMIN_RATE_LIMIT_BURST", v, 1, 1_000_000))),
        new Setting("MAX_STREAMS_PER_CONNECTION", "concurrent calls (HTTP/2 streams) per client connection", "1000",
                    (b, v) -> b.maxStreamsPerConnection(integer("MAX_STREAMS_PER_CONNECTION", v, 1, 1_000_000))),
        new Setting("LOG_TAIL_KIB", "output kept per job attempt, in KiB", "256",
                    (b, v) -> b.logs(l -> l.tailBytes(integer("LOG_TAIL_KIB", v, 1, 8192) * 1024))),
        new Setting("LOG_MAX_LINE_BYTES", "longer log lines are cut", "8192",
                    (b, v) -> b.logs(l -> l.maxLineBytes(integer("LOG_MAX_LINE_BYTES", v, 64, 1 << 30)))),
        new Setting("LOG_RATE_KIB_PER_S", "log volume one agent may send per second (excess is dropped)", "256",
                    (b, v) -> b.logs(l -> l.agentBytesPerSecond(integer("LOG_RATE_KIB_PER_S", v, 1, 1 << 20) * 1024))),
        new Setting("LOG_FLUSH_INTERVAL_S", "how often running jobs' new log lines are written to the store", "5",
                    (b, v) -> b.logs(l -> l.flushInterval(seconds("LOG_FLUSH_INTERVAL_S", v)))),
        new Setting("LOG_RETENTION_S", "how long stored log tails are kept", "604800",
                    (b, v) -> b.logs(l -> l.retention(seconds("LOG_RETENTION_S", v)))),
        new Setting("LOG_LEVEL", "level of Baton's own log lines: ERROR, WARN, INFO, DEBUG (adds every job "
                                 + "transition) or TRACE", "INFO", (b, v) -> b.logLevel(logLevel(v))),
        new Setting("BATON_ADVERTISED_ADDRESS",
                    "host:port engine agents dial back to, and that standbys name as the leader's", "127.0.0.1:PORT",
                    BatonConfig.Builder::advertisedAddress),
        new Setting("STORE_URL", "PostgreSQL store shared by several servers (jdbc:postgresql://...)",
                    "(embedded SQLite in DATA_DIR)", BatonConfig.Builder::storeUrl),
        new Setting("STORE_USER", "user for STORE_URL", "", BatonConfig.Builder::storeUser),
        new Setting("STORE_PASSWORD", "password for STORE_URL", "", BatonConfig.Builder::storePassword),
        new Setting("STORE_PASSWORD_FILE", "file holding the password for STORE_URL (wins over STORE_PASSWORD)", "",
                    (b, v) -> b.storePassword(fileContents("STORE_PASSWORD_FILE", v))),
        new Setting("LEADER_CHECK_MS", "how often a standby tries to lead and a leader checks its lock", "1000",
                    (b, v) -> b.leaderCheckInterval(millis("LEADER_CHECK_MS", v))),
        new Setting("WEBHOOK_ALLOWED_HOSTS", "hosts webhook URLs may point to, ','-separated", "127.0.0.1,::1,localhost",
                    (b, v) -> b.webhooks().allowedHosts(List.of(v.split(",")))),
        new Setting("WEBHOOK_TIMEOUT_MS", "timeout of one webhook attempt", "10000",
                    (b, v) -> b.webhooks().attemptTimeout(millis("WEBHOOK_TIMEOUT_MS", v))),
        new Setting("WEBHOOK_RETRY_BASE_MS", "first webhook retry delay (doubles, with jitter)", "5000",
                    (b, v) -> b.webhooks().retryBase(millis("WEBHOOK_RETRY_BASE_MS", v))),
        new Setting("WEBHOOK_RETRY_MAX_MS", "longest delay between webhook attempts", "3600000",
                    (b, v) -> b.webhooks().retryMax(millis("WEBHOOK_RETRY_MAX_MS", v))),
        new Setting("WEBHOOK_GIVE_UP_AFTER_S", "how long a webhook delivery is retried", "86400",
                    (b, v) -> b.webhooks().giveUpAfter(seconds("WEBHOOK_GIVE_UP_AFTER_S", v))),
        new Setting("WEBHOOK_MAX_FAILURES", "failed attempts in a row that disable a webhook", "20",
                    (b, v) -> b.webhooks().maxConsecutiveFailures(integer("WEBHOOK_MAX_FAILURES", v, 1, 1_000_000))),
        new Setting("WEBHOOK_HISTORY_SIZE", "completed deliveries kept per webhook", "50",
                    (b, v) -> b.webhooks().historySize(integer("WEBHOOK_HISTORY_SIZE", v, 1, 10_000))),
        new Setting("WEBHOOK_CALLBACK_SECRET", "HMAC key of jobs' own callbacks (empty: unsigned)", "",
                    (b, v) -> b.webhooks().callbackSecret(v)),

        new Setting("ENGINE_HOST_ACCESS", "what pools may ask of the host: privileged,hostPid,hostIpc,cap:NAME,"
                    + "device:/dev/PATH", "(none)", (b, v) -> b.engineHostAccess(EngineHostAccess.parse(v))),
        new Setting("TLS_CERT_FILE", "PEM certificate chain: the port then serves TLS only", "(plaintext)",
                    (b, v) -> b.tlsCertFile(Path.of(v))),
        new Setting("TLS_KEY_FILE", "PEM (PKCS#8) private key of TLS_CERT_FILE", "(plaintext)",
                    (b, v) -> b.tlsKeyFile(Path.of(v))),
        new Setting("TLS_CLIENT_CA_FILE", "PEM CA certificates that client certificates must chain to", "(none)",
                    (b, v) -> b.tlsClientCaFile(Path.of(v))),
        new Setting("ENGINE_CA_FILE", "PEM CA certificates engines trust when they dial back over TLS",
                    "TLS_CERT_FILE", (b, v) -> b.engineCaFile(Path.of(v))),
        new Setting("ENGINE_CLIENT_CERT_FILE", "PEM client certificate pool engines present (with AGENT_CLIENT_CERT=required)",
                    "(none)", (b, v) -> b.engineClientCertFile(Path.of(v))),
        new Setting("ENGINE_CLIENT_KEY_FILE", "PEM (PKCS#8) private key of ENGINE_CLIENT_CERT_FILE", "(none)",
                    (b, v) -> b.engineClientKeyFile(Path.of(v))),
        new Setting("AGENT_CLIENT_CERT", "optional or required: must agents present a client certificate", "optional",
                    (b, v) -> b.agentClientCert(agentClientCert(v))));

    /** Settings whose empty value means something (an empty token is refused; no open endpoints). */
    private static final Set<String> EMPTY_ALLOWED = Set.of("AGENT_TOKEN", "AUTH_OPEN_ENDPOINTS");

    private ConfigLoader() {}

    /**
     * The configuration from {@code env}, with {@code flags} (by environment name) taking precedence.
     * Throws {@link ConfigException} naming the first bad value.
     */
    public static BatonConfig load(Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting setting : SETTINGS) {
            String value = flags.containsKey(setting.env()) ? flags.get(setting.env()) : env.get(setting.env());
            if (value != null) {
                values.put(setting.env(), value.trim());
            }
        }
        BatonConfig.Builder builder = BatonConfig.builder();
        for (Setting setting : SETTINGS) {
            String value = values.get(setting.env());
            if (value != null && (!value.isEmpty() || EMPTY_ALLOWED.contains(setting.env()))) {
                setting.apply().accept(builder, value);
            }
        }
        if (!values.containsKey("AGENT_TOKEN")) {
            builder.generatedAgentToken(generateToken());
        }
        if (isBlank(values.get("ADMIN_TOKENS")) && isBlank(values.get("ADMIN_TOKENS_FILE"))) {
            builder.generatedAdminToken(generateToken());
        }
        return builder.build();
    }

    /** 32 random bytes, URL-safe base64. */
    public static String generateToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static TlsConfig.AgentClientCert agentClientCert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "optional" -> TlsConfig.AgentClientCert.OPTIONAL;
            case "required" -> TlsConfig.AgentClientCert.REQUIRED;
            default -> throw new ConfigException("AGENT_CLIENT_CERT", value, "optional or required");
        };
    }

    private static int integer(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name, value, "an integer from " + min + " to " + max);
    }

    private static Duration millis(String name, String value) {
        return Duration.ofMillis(longValue(name, value, "milliseconds"));
    }

    private static Duration seconds(String name, String value) {
        return Duration.ofSeconds(longValue(name, value, "seconds"));
    }

    private static long longValue(String name, String value, String unit) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(name, value, "a whole number of " + unit + " >= 0");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static List<AdminToken> adminTokens(String name, java.util.function.Supplier<List<AdminToken>> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, e.getMessage());
        }
    }

    private static List<AdminToken> adminTokensFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("ADMIN_TOKENS_FILE", file.toString(), "a readable file (" + e + ")");
        }
        return adminTokens("ADMIN_TOKENS_FILE " + file, () -> AdminTokenParser.parseLines(lines));
    }

    private static AuthMode authMode(String value) {
        AuthMode mode = AuthMode.parse(value);
        if (mode == null) {
            throw new ConfigException("ADMIN_AUTH", value, "required, local or off");
        }
        return mode;
    }

    private static String logLevel(String value) {
        String level = value.trim().toUpperCase(Locale.ROOT);
        if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
            throw new ConfigException("LOG_LEVEL", value, "ERROR, WARN, INFO, DEBUG or TRACE");
        }
        return level;
    }

    private static Set<OpenEndpoint> openEndpoints(String value) {
        Set<OpenEndpoint> endpoints = EnumSet.noneOf(OpenEndpoint.class);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            OpenEndpoint endpoint = OpenEndpoint.parse(part);
            if (endpoint == null) {
                throw new ConfigException("AUTH_OPEN_ENDPOINTS", value,
                                          "a comma-separated list of healthz, metrics, docs, reflection");
            }
            endpoints.add(endpoint);
        }
        return endpoints;
    }

    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, value, "true or false");
        };
    }

    private static UnavailablePolicy unavailablePolicy(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "wait" -> UnavailablePolicy.UNAVAILABLE_POLICY_WAIT;
            case "fail_fast", "failfast" -> UnavailablePolicy.UNAVAILABLE_POLICY_FAIL_FAST;
            default -> throw new ConfigException("UNAVAILABLE_POLICY", value, "wait or fail_fast");
        };
    }

    private static String fileContents(String name, String value) {
        try {
            return java.nio.file.Files.readString(Path.of(value)).strip();
        } catch (java.io.IOException | RuntimeException e) {
            throw new ConfigException(name, value, "a readable file (" + e.getMessage() + ")");
        }
    }

    private static PortRange portRange(String name, String value) {
        try {
            return PortRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "FIRST-LAST with 1 <= FIRST <= LAST <= 65535, e.g. 19000-19999");
        }
    }

    private static List<Path> paths(String name, String value) {
        List<Path> result = new java.util.ArrayList<>();
        for (String part : value.split("[:,]")) {
            if (part.isBlank()) {
                continue;
            }
            Path path = Path.of(part.trim());
            if (!path.isAbsolute()) {
                throw new ConfigException(name, value, "absolute directories separated by ':'");
            }
            result.add(path.normalize());
        }
        return result;
    }

    private static Map<String, String> pairs(String name, String value, char separator) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value.isBlank()) {
            return result;
        }
        for (String item : value.split(",")) {
            int at = item.indexOf(separator);
            if (at <= 0 || at == item.length() - 1) {
                throw new ConfigException(name, value, "a list of agentId" + separator + "token separated by commas");
            }
            result.put(item.substring(0, at).trim(), item.substring(at + 1).trim());
        }
        return result;
    }
}
