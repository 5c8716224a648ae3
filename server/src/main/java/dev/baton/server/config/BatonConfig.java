package dev.baton.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.baton.proto.v1.UnavailablePolicy;
import dev.baton.server.security.AdminToken;
import dev.baton.server.security.AdminTokenParser;
import dev.baton.server.security.AuthMode;
import dev.baton.server.security.OpenEndpoint;
import dev.baton.server.security.Role;

/**
 * Everything the server is configured with: built once at start-up, validated there, immutable.
 * Environment variables and flags are read by {@link ConfigLoader}; tests use {@link #builder()}.
 */
public final class BatonConfig {

    private final int port;
    private final Path dataDir;
    private final String agentToken;
    private final boolean agentTokenGenerated;
    private final Map<String, String> perAgentTokens;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final Duration stopGrace;
    private final Duration killAfter;
    private final Duration ackTimeout;
    private final Duration lostAfter;
    private final Duration commandTimeout;
    private final Duration waitTimeout;
    private final UnavailablePolicy defaultUnavailablePolicy;
    private final Duration idempotencyRetention;
    private final int maxSlotsPerAgent;
    private final int defaultMaxAttempts;
    private final Duration restartBackoffBase;
    private final Duration restartBackoffMax;
    private final int maxInlineConfigBytes;
    private final int maxMessageBytes;
    private final Duration monitorInterval;
    private final Duration engineGracePeriod;
    private final Duration engineHostLostAfter;
    private final Duration autoscaleInterval;
    private final int minReplicas;
    private final int maxReplicas;
    private final Path poolsFile;
    private final String dockerHost;
    private final boolean dockerEnabled;
    private final String advertisedAddress;
    private final String logLevel;
    private final Duration shutdownGrace;
    private final java.util.List<Path> engineMountRoots;
    private final Duration offlineAgentRetention;
    private final String storeUrl;
    private final String storeUser;
    private final String storePassword;
    private final Duration leaderCheckInterval;
    private final PortRange enginePortRange;
    private final java.util.List<AdminToken> adminTokens;
    private final String generatedAdminToken;
    private final AuthMode adminAuthMode;
    private final java.util.Set<OpenEndpoint> openEndpoints;
    private final int adminRateLimitPerSecond;
    private final int adminRateLimitBurst;
    private final int maxStreamsPerConnection;
    private final WebhookSettings webhooks;
    private final TlsConfig tls;
    private final Path engineCaFile;
    private final Path engineClientCertFile;
    private final Path engineClientKeyFile;
    private final EngineHostAccess engineHostAccess;
    private final dev.baton.server.logs.LogLimits logLimits;

    private BatonConfig(Builder b) {
        port = b.port;
        dataDir = b.dataDir;
        agentToken = b.agentToken;
        agentTokenGenerated = b.agentTokenGenerated;
        perAgentTokens = Map.copyOf(b.perAgentTokens);
        heartbeatInterval = b.heartbeatInterval;
        heartbeatTimeout = b.heartbeatTimeout;
        stopGrace = b.stopGrace;
        killAfter = b.killAfter;
        ackTimeout = b.ackTimeout;
        lostAfter = b.lostAfter;
        commandTimeout = b.commandTimeout;
        waitTimeout = b.waitTimeout;
        defaultUnavailablePolicy = b.defaultUnavailablePolicy;
        idempotencyRetention = b.idempotencyRetention;
        maxSlotsPerAgent = b.maxSlotsPerAgent;
        defaultMaxAttempts = b.defaultMaxAttempts;
        restartBackoffBase = b.restartBackoffBase;
        restartBackoffMax = b.restartBackoffMax;
        maxInlineConfigBytes = b.maxInlineConfigBytes;
        maxMessageBytes = b.maxMessageBytes;
        monitorInterval = b.monitorInterval;
        engineGracePeriod = b.engineGracePeriod;
        engineHostLostAfter = b.engineHostLostAfter;
        autoscaleInterval = b.autoscaleInterval;
        minReplicas = b.minReplicas;
        maxReplicas = b.maxReplicas;
        poolsFile = b.poolsFile;
        dockerHost = b.dockerHost;
        dockerEnabled = b.dockerEnabled;
        advertisedAddress = b.advertisedAddress;
        logLevel = b.logLevel;
        shutdownGrace = b.shutdownGrace;
        engineMountRoots = java.util.List.copyOf(b.engineMountRoots);
        offlineAgentRetention = b.offlineAgentRetention;
        storeUrl = b.storeUrl;
        storeUser = b.storeUser;
        storePassword = b.storePassword;
        leaderCheckInterval = b.leaderCheckInterval;
        enginePortRange = b.enginePortRange;
        adminTokens = java.util.List.copyOf(b.adminTokens);
        generatedAdminToken = b.generatedAdminToken;
        adminAuthMode = b.adminAuthMode;
        openEndpoints = java.util.Set.copyOf(b.openEndpoints);
        adminRateLimitPerSecond = b.adminRateLimitPerSecond;
        adminRateLimitBurst = b.adminRateLimitBurst;
        maxStreamsPerConnection = b.maxStreamsPerConnection;
        webhooks = b.webhooks.build();
        tls = b.tls;
        engineCaFile = b.engineCaFile;
        engineClientCertFile = b.engineClientCertFile;
        engineClientKeyFile = b.engineClientKeyFile;
        engineHostAccess = b.engineHostAccess;
        logLimits = b.logs.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** TCP port for every protocol (PORT); 0 picks a free one. */
    public int port() { return port; }
    /** Where the embedded store lives (DATA_DIR). */
    public Path dataDir() { return dataDir; }
    /** The shared agent token (AGENT_TOKEN). */
    public String agentToken() { return agentToken; }
    /** True when no AGENT_TOKEN was given and one was generated at start-up. */
    public boolean agentTokenGenerated() { return agentTokenGenerated; }
    /** Tokens that only one agent id may use, by agent id (AGENT_TOKENS=id:token,...). */
    public Map<String, String> perAgentTokens() { return perAgentTokens; }
    public Duration heartbeatInterval() { return heartbeatInterval; }
    public Duration heartbeatTimeout() { return heartbeatTimeout; }
    public Duration stopGrace() { return stopGrace; }
    public Duration killAfter() { return killAfter; }
    /** How long an agent has to acknowledge an assignment (ACK_TIMEOUT_MS). */
    public Duration ackTimeout() { return ackTimeout; }
    /** How long the jobs of an offline agent wait for it before the restart policy decides (LOST_AFTER_MS). */
    public Duration lostAfter() { return lostAfter; }
    /** How long mute/unmute wait for the agent's ack (COMMAND_TIMEOUT_MS). */
    public Duration commandTimeout() { return commandTimeout; }
    /** Default bound on how long a job waits PENDING; zero waits forever (WAIT_TIMEOUT_S). */
    public Duration waitTimeout() { return waitTimeout; }
    public UnavailablePolicy defaultUnavailablePolicy() { return defaultUnavailablePolicy; }
    public Duration idempotencyRetention() { return idempotencyRetention; }
    public int maxSlotsPerAgent() { return maxSlotsPerAgent; }
    public int defaultMaxAttempts() { return defaultMaxAttempts; }
    public Duration restartBackoffBase() { return restartBackoffBase; }
    public Duration restartBackoffMax() { return restartBackoffMax; }
    public int maxInlineConfigBytes() { return maxInlineConfigBytes; }
    public int maxMessageBytes() { return maxMessageBytes; }
    public Duration monitorInterval() { return monitorInterval; }
    public Duration engineGracePeriod() { return engineGracePeriod; }
    /** A Docker host unreachable this long has its engines marked lost (ENGINE_HOST_LOST_AFTER_S). */
    public Duration engineHostLostAfter() { return engineHostLostAfter; }
    public Duration autoscaleInterval() { return autoscaleInterval; }
    /** Default minimum of FREE engines for pools that do not set one (MIN_REPLICAS). */
    public int minReplicas() { return minReplicas; }
    /** Default maximum of engines for pools that do not set one (MAX_REPLICAS). */
    public int maxReplicas() { return maxReplicas; }
    /** Optional JSON file of pools applied at start-up (POOLS_FILE); null when unset. */
    public Path poolsFile() { return poolsFile; }
    /** Docker endpoint (DOCKER_HOST), e.g. unix:///var/run/docker.sock. */
    public String dockerHost() { return dockerHost; }
    /** False turns the engine loops off (ENGINES_ENABLED=false). */
    public boolean dockerEnabled() { return dockerEnabled; }
    /** host:port that engine agents dial back to (BATON_ADVERTISED_ADDRESS); empty: 127.0.0.1:port. */
    public String advertisedAddress() { return advertisedAddress; }

    /** Level of Baton's own loggers (LOG_LEVEL): ERROR, WARN, INFO, DEBUG or TRACE. */
    public String logLevel() { return logLevel; }
    /** Host directories pool mounts may come from (ENGINE_MOUNT_ROOTS); empty: no host mounts. */
    public java.util.List<Path> engineMountRoots() { return engineMountRoots; }
    /** An OFFLINE agent holding no jobs is forgotten after this long (OFFLINE_AGENT_RETENTION_S). */
    public Duration offlineAgentRetention() { return offlineAgentRetention; }
    /** JDBC URL of a PostgreSQL store shared by several servers (STORE_URL); empty: SQLite in DATA_DIR. */
    public String storeUrl() { return storeUrl; }
    /** User for STORE_URL (STORE_USER); empty: the URL's or the driver's default. */
    public String storeUser() { return storeUser; }
    /** Password for STORE_URL (STORE_PASSWORD or the contents of STORE_PASSWORD_FILE). */
    public String storePassword() { return storePassword; }
    /** How often a standby tries to become leader and a leader checks its lock (LEADER_CHECK_MS). */
    public Duration leaderCheckInterval() { return leaderCheckInterval; }
    /** Host ports engines' named ports come from when a pool gives no range (ENGINE_PORT_RANGE). */
    public PortRange enginePortRange() { return enginePortRange; }
    /** How webhooks are delivered (WEBHOOK_*). */
    public WebhookSettings webhooks() { return webhooks; }
    /** TLS on the port (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE, AGENT_CLIENT_CERT); null: plaintext. */
    public TlsConfig tls() { return tls; }
    /**
     * The PEM file engines trust when they dial back over TLS (ENGINE_CA_FILE, else TLS_CERT_FILE, which
     * suits a self-signed certificate); null without TLS.
     */
    public Path engineTrustFile() { return tls == null ? null : engineCaFile != null ? engineCaFile : tls.certFile(); }
    /** The client certificate pool engines present (ENGINE_CLIENT_CERT_FILE); null: none. */
    public Path engineClientCertFile() { return engineClientCertFile; }
    /** Its private key (ENGINE_CLIENT_KEY_FILE); null: none. */
    public Path engineClientKeyFile() { return engineClientKeyFile; }
    /** What pools may ask of the host beyond an ordinary container (ENGINE_HOST_ACCESS); nothing by default. */
    public EngineHostAccess engineHostAccess() { return engineHostAccess; }
    /** Bounds on job logs (LOG_* settings). */
    public dev.baton.server.logs.LogLimits logLimits() { return logLimits; }
    /** How long SIGTERM waits for streams to close before exiting. */
    public Duration shutdownGrace() { return shutdownGrace; }
    /** Admin tokens (ADMIN_TOKENS, ADMIN_TOKENS_FILE and a generated one), as digests. */
    public java.util.List<AdminToken> adminTokens() { return adminTokens; }
    /** The admin token generated because none was configured, to print once; null otherwise. */
    public String generatedAdminToken() { return generatedAdminToken; }
    /** Who needs an admin token (ADMIN_AUTH): required with configured tokens, local without. */
    public AuthMode adminAuthMode() { return adminAuthMode; }
    /** Endpoints callers may use without a token (AUTH_OPEN_ENDPOINTS). */
    public java.util.Set<OpenEndpoint> openEndpoints() { return openEndpoints; }
    /** Admin requests per second per token (ADMIN_RATE_LIMIT_RPS); 0: no limit. */
    public int adminRateLimitPerSecond() { return adminRateLimitPerSecond; }
    /** Admin requests a token may make at once before the rate applies (ADMIN_RATE_LIMIT_BURST). */
    public int adminRateLimitBurst() { return adminRateLimitBurst; }
    /** Concurrent HTTP/2 streams (calls) one connection may have open (MAX_STREAMS_PER_CONNECTION). */
    public int maxStreamsPerConnection() { return maxStreamsPerConnection; }

    /** Builder with the seed's defaults. */
    public static final class Builder {
        private int port = 8080;
        private Path dataDir = Path.of("data");
        private String agentToken;
        private boolean agentTokenGenerated;
        private Map<String, String> perAgentTokens = Map.of();
        private Duration heartbeatInterval = Duration.ofMillis(3000);
        private Duration heartbeatTimeout = Duration.ofMillis(10000);
        private Duration stopGrace = Duration.ofMillis(10000);
        private Duration killAfter = Duration.ofMillis(5000);
        private Duration ackTimeout = Duration.ofMillis(5000);
        private Duration lostAfter = Duration.ofSeconds(60);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration waitTimeout = Duration.ofMinutes(10);
        private UnavailablePolicy defaultUnavailablePolicy = UnavailablePolicy.UNAVAILABLE_POLICY_WAIT;
        private Duration idempotencyRetention = Duration.ofHours(24);
        private int maxSlotsPerAgent = 256;
        private int defaultMaxAttempts = 5;
        private Duration restartBackoffBase = Duration.ofSeconds(1);
        private Duration restartBackoffMax = Duration.ofSeconds(60);
        private int maxInlineConfigBytes = 64 * 1024;
        private int maxMessageBytes = 4 * 1024 * 1024;
        private Duration monitorInterval = Duration.ofSeconds(10);
        private Duration engineGracePeriod = Duration.ofSeconds(30);
        private Duration engineHostLostAfter = Duration.ofSeconds(60);
        private Duration autoscaleInterval = Duration.ofSeconds(30);
        private int minReplicas = 0;
        private int maxReplicas = 10;
        private Path poolsFile;
        private String dockerHost = "unix:///var/run/docker.sock";
        private boolean dockerEnabled = true;
        private String advertisedAddress = "";
        private String logLevel = "INFO";
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private java.util.List<Path> engineMountRoots = java.util.List.of();
        private Duration offlineAgentRetention = Duration.ofHours(1);
        private String storeUrl = "";
        private String storeUser = "";
        private String storePassword = "";
        private Duration leaderCheckInterval = Duration.ofSeconds(1);
        private PortRange enginePortRange = new PortRange(19000, 19999);
        private final java.util.List<AdminToken> adminTokens = new java.util.ArrayList<>();
        private boolean adminTokensConfigured;
        private String generatedAdminToken;
        private AuthMode adminAuthMode;
        private java.util.Set<OpenEndpoint> openEndpoints = java.util.EnumSet.of(OpenEndpoint.HEALTHZ,
                                                                                  OpenEndpoint.METRICS);
        private int adminRateLimitPerSecond = 1000;
        private int adminRateLimitBurst = 1000;
        private int maxStreamsPerConnection = 1000;
        private final WebhookSettings.Builder webhooks = new WebhookSettings.Builder();
        private Path tlsCertFile;
        private Path tlsKeyFile;
        private Path tlsClientCaFile;
        private TlsConfig.AgentClientCert agentClientCert = TlsConfig.AgentClientCert.OPTIONAL;
        private TlsConfig tls;
        private Path engineCaFile;
        private Path engineClientCertFile;
        private Path engineClientKeyFile;
        private EngineHostAccess engineHostAccess = EngineHostAccess.none();
        private final dev.baton.server.logs.LogLimits.Builder logs = dev.baton.server.logs.LogLimits.builder();

        private Builder() {}

        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = requireNonNull(v, "dataDir"); return this; }
        public Builder agentToken(String v) { agentToken = v; agentTokenGenerated = false; return this; }
        public Builder generatedAgentToken(String v) { agentToken = v; agentTokenGenerated = true; return this; }
        public Builder perAgentTokens(Map<String, String> v) { perAgentTokens = requireNonNull(v, "perAgentTokens"); return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder heartbeatTimeout(Duration v) { heartbeatTimeout = v; return this; }
        public Builder stopGrace(Duration v) { stopGrace = v; return this; }
        public Builder killAfter(Duration v) { killAfter = v; return this; }
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        public Builder lostAfter(Duration v) { lostAfter = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder waitTimeout(Duration v) { waitTimeout = v; return this; }
        public Builder defaultUnavailablePolicy(UnavailablePolicy v) { defaultUnavailablePolicy = v; return this; }
        public Builder idempotencyRetention(Duration v) { idempotencyRetention = v; return this; }
        public Builder maxSlotsPerAgent(int v) { maxSlotsPerAgent = v; return this; }
        public Builder defaultMaxAttempts(int v) { defaultMaxAttempts = v; return this; }
        public Builder restartBackoffBase(Duration v) { restartBackoffBase = v; return this; }
        public Builder restartBackoffMax(Duration v) { restartBackoffMax = v; return this; }
        public Builder maxInlineConfigBytes(int v) { maxInlineConfigBytes = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder monitorInterval(Duration v) { monitorInterval = v; return this; }
        public Builder engineGracePeriod(Duration v) { engineGracePeriod = v; return this; }
        public Builder engineHostLostAfter(Duration v) { engineHostLostAfter = v; return this; }
        public Builder autoscaleInterval(Duration v) { autoscaleInterval = v; return this; }
        public Builder minReplicas(int v) { minReplicas = v; return this; }
        public Builder maxReplicas(int v) { maxReplicas = v; return this; }
        public Builder poolsFile(Path v) { poolsFile = v; return this; }
        public Builder dockerHost(String v) { dockerHost = v; return this; }
        public Builder dockerEnabled(boolean v) { dockerEnabled = v; return this; }
        public Builder advertisedAddress(String v) { advertisedAddress = requireNonNull(v, "advertisedAddress"); return this; }
        public Builder logLevel(String v) { logLevel = requireNonNull(v, "logLevel"); return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder storeUrl(String v) { storeUrl = requireNonNull(v, "storeUrl"); return this; }
        public Builder storeUser(String v) { storeUser = requireNonNull(v, "storeUser"); return this; }
        public Builder storePassword(String v) { storePassword = requireNonNull(v, "storePassword"); return this; }
        public Builder leaderCheckInterval(Duration v) { leaderCheckInterval = v; return this; }
        public Builder offlineAgentRetention(Duration v) { offlineAgentRetention = v; return this; }
        public Builder enginePortRange(PortRange v) { enginePortRange = requireNonNull(v, "enginePortRange"); return this; }
        public Builder logs(java.util.function.Consumer<dev.baton.server.logs.LogLimits.Builder> change) { change.accept(logs); return this; }
        public Builder engineMountRoots(java.util.List<Path> v) { engineMountRoots = requireNonNull(v, "engineMountRoots"); return this; }
        /** Adds configured admin tokens; with any, ADMIN_AUTH defaults to required. */
        public Builder adminTokens(java.util.List<AdminToken> v) {
            adminTokens.addAll(v);
            adminTokensConfigured |= !v.isEmpty();
            return this;
        }
        /** An admin token made at start-up because none was configured (printed once by Main). */
        public Builder generatedAdminToken(String v) {
            generatedAdminToken = requireNonNull(v, "generatedAdminToken");
            adminTokens.add(AdminToken.of("generated", Role.ADMIN, v));
            return this;
        }
        public Builder adminAuthMode(AuthMode v) { adminAuthMode = v; return this; }
        public Builder openEndpoints(java.util.Set<OpenEndpoint> v) { openEndpoints = requireNonNull(v, "openEndpoints"); return this; }
        public Builder adminRateLimitPerSecond(int v) { adminRateLimitPerSecond = v; return this; }
        public Builder adminRateLimitBurst(int v) { adminRateLimitBurst = v; return this; }
        public Builder maxStreamsPerConnection(int v) { maxStreamsPerConnection = v; return this; }
        /** The webhook settings, changed in place (checked by {@link #build()}). */
        public WebhookSettings.Builder webhooks() { return webhooks; }
        public Builder tlsCertFile(Path v) { tlsCertFile = v; return this; }
        public Builder tlsKeyFile(Path v) { tlsKeyFile = v; return this; }
        public Builder tlsClientCaFile(Path v) { tlsClientCaFile = v; return this; }
        public Builder engineCaFile(Path v) { engineCaFile = v; return this; }
        public Builder engineClientCertFile(Path v) { engineClientCertFile = v; return this; }
        public Builder engineClientKeyFile(Path v) { engineClientKeyFile = v; return this; }
        public Builder agentClientCert(TlsConfig.AgentClientCert v) { agentClientCert = requireNonNull(v, "agentClientCert"); return this; }
        public Builder engineHostAccess(EngineHostAccess v) { engineHostAccess = requireNonNull(v, "engineHostAccess"); return this; }

        /** Validates every value; a bad one throws {@link ConfigException} naming it. */
        public BatonConfig build() {
            check(port >= 0 && port <= 65535, "PORT", port, "an integer from 0 to 65535");
            check(agentToken != null && !agentToken.isBlank(), "AGENT_TOKEN", agentToken, "a non-empty token");
            positive("HEARTBEAT_INTERVAL_MS", heartbeatInterval);
            positive("HEARTBEAT_TIMEOUT_MS", heartbeatTimeout);
            check(heartbeatTimeout.compareTo(heartbeatInterval) > 0, "HEARTBEAT_TIMEOUT_MS",
                  heartbeatTimeout.toMillis(), "more than HEARTBEAT_INTERVAL_MS (" + heartbeatInterval.toMillis() + ")");
            notNegative("STOP_GRACE_MS", stopGrace);
            positive("KILL_AFTER_MS", killAfter);
            positive("ACK_TIMEOUT_MS", ackTimeout);
            notNegative("LOST_AFTER_MS", lostAfter);
            positive("COMMAND_TIMEOUT_MS", commandTimeout);
            notNegative("WAIT_TIMEOUT_S", waitTimeout);
            check(defaultUnavailablePolicy != UnavailablePolicy.UNAVAILABLE_POLICY_UNSPECIFIED
                  && defaultUnavailablePolicy != UnavailablePolicy.UNRECOGNIZED,
                  "UNAVAILABLE_POLICY", defaultUnavailablePolicy, "wait or fail_fast");
            positive("IDEMPOTENCY_RETENTION_S", idempotencyRetention);
            positive("OFFLINE_AGENT_RETENTION_S", offlineAgentRetention);
            check(maxSlotsPerAgent >= 1, "MAX_SLOTS_PER_AGENT", maxSlotsPerAgent, "an integer >= 1");
            check(defaultMaxAttempts >= 1, "MAX_ATTEMPTS", defaultMaxAttempts, "an integer >= 1");
            positive("RESTART_BACKOFF_BASE_MS", restartBackoffBase);
            check(restartBackoffMax.compareTo(restartBackoffBase) >= 0, "RESTART_BACKOFF_MAX_MS",
                  restartBackoffMax.toMillis(), ">= RESTART_BACKOFF_BASE_MS");
            check(maxInlineConfigBytes >= 1, "MAX_INLINE_CONFIG_BYTES", maxInlineConfigBytes, "an integer >= 1");
            check(maxMessageBytes >= 1024, "MAX_MESSAGE_BYTES", maxMessageBytes, "an integer >= 1024");
            positive("MONITOR_INTERVAL_S", monitorInterval);
            notNegative("ENGINE_GRACE_PERIOD_S", engineGracePeriod);
            positive("ENGINE_HOST_LOST_AFTER_S", engineHostLostAfter);
            positive("AUTOSCALE_INTERVAL_S", autoscaleInterval);
            check(minReplicas >= 0, "MIN_REPLICAS", minReplicas, "an integer >= 0");
            check(maxReplicas >= 1, "MAX_REPLICAS", maxReplicas, "an integer >= 1");
            check(maxReplicas >= minReplicas, "MAX_REPLICAS", maxReplicas, ">= MIN_REPLICAS (" + minReplicas + ")");
            requireNonNull(dataDir, "dataDir");
            check(storeUrl.isEmpty() || storeUrl.startsWith("jdbc:postgresql://"), "STORE_URL", storeUrl,
                  "empty (the embedded SQLite store) or jdbc:postgresql://host:port/database");
            positive("LEADER_CHECK_MS", leaderCheckInterval);
            try {
                AdminTokenParser.requireUnique(adminTokens);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ADMIN_TOKENS", e.getMessage());
            }
            if (adminAuthMode == null) {
                adminAuthMode = adminTokensConfigured ? AuthMode.REQUIRED : AuthMode.LOCAL;
            }
            check(adminAuthMode != AuthMode.REQUIRED || !adminTokens.isEmpty(), "ADMIN_AUTH", "required",
                  "at least one admin token (ADMIN_TOKENS or ADMIN_TOKENS_FILE) when every caller needs one");
            check(adminRateLimitPerSecond >= 0, "ADMIN_RATE_LIMIT_RPS", adminRateLimitPerSecond, "an integer >= 0");
            check(adminRateLimitBurst >= 1, "ADMIN_RATE_LIMIT_BURST", adminRateLimitBurst, "an integer >= 1");
            check(maxStreamsPerConnection >= 1, "MAX_STREAMS_PER_CONNECTION", maxStreamsPerConnection,
                  "an integer >= 1");
            for (Path root : engineMountRoots) {
                check(root.isAbsolute(), "ENGINE_MOUNT_ROOTS", root, "absolute directories separated by ':'");
            }
            // Last: the files are read only once every cheaper value is known to be good.
            tls = TlsFiles.load(tlsCertFile, tlsKeyFile, tlsClientCaFile, agentClientCert);
            if (engineCaFile != null) {
                TlsFiles.checkEngineCa(engineCaFile, tls != null);
            }
            TlsFiles.checkEngineClientCertificate(engineClientCertFile, engineClientKeyFile, tls != null);
            return new BatonConfig(this);
        }

        private static void positive(String name, Duration value) {
            check(value != null && !value.isNegative() && !value.isZero(), name, value, "a positive duration");
        }

        private static void notNegative(String name, Duration value) {
            check(value != null && !value.isNegative(), name, value, "zero or a positive duration");
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new ConfigException(name, String.valueOf(value), expected);
            }
        }
    }
}
