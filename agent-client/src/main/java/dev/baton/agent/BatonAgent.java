package dev.baton.agent;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import dev.baton.agent.internal.AgentCore;
import dev.baton.agent.internal.AgentIds;
import dev.baton.agent.internal.AgentSettings;
import dev.baton.agent.internal.Structs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Baton agent: it dials the server, says Hello, heartbeats, runs the jobs it is assigned through
 * a {@link JobHandler}, and keeps doing so across disconnects until it is drained or closed.
 * <pre>{@code
 * BatonAgent agent = BatonAgent.builder()
 *         .server("baton.example.com:8080")
 *         .token(System.getenv("BATON_TOKEN"))
 *         .handler(job -> { job.running(); doTheWork(job.config()); })
 *         .build()
 *         .start();
 * agent.awaitTermination();  // returns once drained (SIGTERM or the server's Drain) or closed
 * }</pre>
 *
 * <p>Connection: one {@code Connect} stream; when it breaks the agent reconnects with exponential
 * backoff and jitter ({@link ReconnectPolicy#standard()} by default, forever). Jobs keep running
 * while disconnected; the next Hello lists them, and their ends are delivered after the Welcome.
 *
 * <p>Threads: the agent owns a scheduler thread, one network I/O thread and a pool of job
 * threads; {@link #close()} ends them all. Every method is thread-safe.
 */
public final class BatonAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatonAgent.class);

    private final AgentSettings settings;
    private final AgentCore core;
    private Thread shutdownHook; // guarded by this
    private boolean started; // guarded by this

    private BatonAgent(AgentSettings settings) {
        this.settings = settings;
        this.core = new AgentCore(settings);
    }

    /** A builder; {@link Builder#server}, {@link Builder#token} and {@link Builder#handler} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects in the background and returns at once. With {@link Builder#drainOnShutdown} (the
     * default) a JVM shutdown (SIGTERM) drains the agent before the JVM exits.
     */
    public synchronized BatonAgent start() {
        if (started) {
            throw new IllegalStateException("agent " + settings.agentId() + " is already started");
        }
        started = true;
        if (settings.drainOnShutdown()) {
            shutdownHook = new Thread(this::drainOnShutdown, "baton-agent-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        core.terminated().whenComplete((ok, error) -> removeShutdownHook());
        log.info("starting agent={} server={} slots={} labels={}", settings.agentId(),
                 settings.target(), settings.slots(), settings.labels());
        core.start();
        return this;
    }

    /**
     * Drains: refuses new assignments, lets running jobs finish for up to {@code timeout}, then
     * stops them (with the server's stop grace, then kills them), delivers their ends, says
     * Goodbye and terminates.
     *
     * @return completes when the agent has terminated
     */
    public CompletableFuture<Void> drain(Duration timeout) {
        requireNonNull(timeout, "timeout");
        return core.drain(timeout);
    }

    /** Drains with the builder's {@link Builder#drainTimeout}. */
    public CompletableFuture<Void> drain() {
        return drain(settings.drainTimeout());
    }

    /**
     * Stops at once: kills running jobs (waiting for them at most the close timeout), says
     * Goodbye if connected, and releases every thread the agent started. Blocks until done.
     */
    @Override
    public void close() {
        awaitQuietly(core.close());
        try {
            core.awaitReleased(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes when the agent has terminated (drained, closed, or out of reconnect attempts). */
    public CompletableFuture<Void> whenTerminated() {
        return core.terminated();
    }

    /** Blocks until the agent has terminated. */
    public void awaitTermination() throws InterruptedException {
        try {
            core.terminated().get();
        } catch (ExecutionException e) {
            log.warn("agent terminated with an error agent={}", settings.agentId(), e.getCause());
        }
    }

    /** This agent's id, as sent in its Hello. */
    public String agentId() {
        return settings.agentId();
    }

    /** True while a session is welcomed by the server. */
    public boolean isConnected() {
        return core.connected();
    }

    /** The id of the last welcomed session, empty before the first. */
    public String sessionId() {
        return core.sessionId();
    }

    private void drainOnShutdown() {
        log.info("shutdown signal, draining agent={} timeout={}", settings.agentId(),
                 settings.drainTimeout());
        awaitQuietly(drain());
    }

    private void awaitQuietly(CompletableFuture<Void> done) {
        Duration bound = settings.drainTimeout().plus(settings.closeTimeout()).multipliedBy(2)
                                 .plus(Duration.ofSeconds(30));
        try {
            done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("agent did not terminate cleanly agent={} error={}", settings.agentId(), e.toString());
        }
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running or about to, and is harmless.
        }
        shutdownHook = null;
    }

    /** Builds a {@link BatonAgent}. Each setter validates its argument. */
    public static final class Builder {

        private String target;
        private boolean tls;
        private Path caFile;
        private Path clientCertFile;
        private Path clientKeyFile;
        private String token;
        private String agentId;
        private String name;
        private String version = defaultVersion();
        private int slots = 1;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Struct capabilities = Struct.getDefaultInstance();
        private String engineId = "";
        private final Map<String, String> endpoints = new LinkedHashMap<>();
        private JobHandler handler;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.standard();
        private AgentTimer timer;
        private DoubleSupplier jitter = new SecureRandom()::nextDouble;
        private HeartbeatMetrics metrics = HeartbeatMetrics.system();
        private Duration drainTimeout = Duration.ofSeconds(30);
        private boolean exitWhenDrained = true;
        private boolean drainOnShutdown = true;
        private Duration helloTimeout = Duration.ofSeconds(30);
        private Duration defaultStopGrace = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /**
         * The server's address, {@code host:port} (or any gRPC target, e.g. {@code dns:///host:port});
         * several separated by commas when Baton runs with standbys (see {@link #servers}).
         */
        public Builder server(String target) {
            requireNonNull(target, "target");
            checkArgument(!target.replace(",", "").isBlank(), "server: blank (expected: host:port)");
            this.target = target.trim();
            return this;
        }

        /**
         * Every Baton server of a highly available installation. The agent connects to whichever
         * leads: a standby's refusal names the leader and the agent goes there; when a server goes
         * away the agent tries the next one in the list.
         */
        public Builder servers(java.util.List<String> targets) {
            requireNonNull(targets, "targets");
            checkArgument(!targets.isEmpty(), "servers: empty (expected: at least one host:port)");
            for (String t : targets) {
                checkArgument(t != null && !t.isBlank() && !t.contains(","),
                              "servers: \"" + t + "\" (expected: host:port)");
            }
            return server(String.join(",", targets));
        }

        /** The server's address. */
        public Builder server(String host, int port) {
            requireNonNull(host, "host");
            checkArgument(port > 0 && port < 65536, "port: " + port + " (expected: 1..65535)");
            return server(host + ':' + port);
        }

        /** Connect with TLS, trusting the JVM's trust store (default: plaintext). */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Connect with TLS, trusting the certificates of this PEM file. */
        public Builder caFile(Path caFile) {
            requireNonNull(caFile, "caFile");
            checkArgument(Files.isReadable(caFile), "caFile: " + caFile + " (expected: a readable PEM file)");
            this.caFile = caFile;
            this.tls = true;
            return this;
        }

        /**
         * Connect with TLS and present this client certificate (PEM chain) and its PKCS#8 PEM key: for a
         * server with AGENT_CLIENT_CERT=required, the certificate must chain to its TLS_CLIENT_CA_FILE.
         */
        public Builder clientCertificate(Path certFile, Path keyFile) {
            requireNonNull(certFile, "certFile");
            requireNonNull(keyFile, "keyFile");
            checkArgument(Files.isReadable(certFile), "clientCertificate: " + certFile
                                                      + " (expected: a readable PEM certificate file)");
            checkArgument(Files.isReadable(keyFile), "clientKey: " + keyFile + " (expected: a readable PEM key file)");
            this.clientCertFile = certFile;
            this.clientKeyFile = keyFile;
            this.tls = true;
            return this;
        }

        /** The agent token (the server's AGENT_TOKEN, or this agent's own). */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token");
            return this;
        }

        /**
         * The agent's stable id. Default: the engine id if set, else the host name plus a suffix
         * stable for this host, user and working directory.
         */
        public Builder agentId(String agentId) {
            requireNonNull(agentId, "agentId");
            checkArgument(!agentId.isBlank(), "agentId: blank (expected: a stable id)");
            this.agentId = agentId.trim();
            return this;
        }

        /** A human-readable name (default: the agent id). */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** The agent software's version (default: this SDK's). */
        public Builder version(String version) {
            this.version = requireNonNull(version, "version");
            return this;
        }

        /** How many jobs run at once (default 1). */
        public Builder slots(int slots) {
            checkArgument(slots >= 1, "slots: " + slots + " (expected: >= 1)");
            this.slots = slots;
            return this;
        }

        /** Adds labels jobs can require, e.g. {@code gpu=true}. */
        public Builder labels(Map<String, String> labels) {
            requireNonNull(labels, "labels");
            labels.forEach(this::label);
            return this;
        }

        /** Adds one label. */
        public Builder label(String key, String value) {
            requireNonNull(key, "key");
            requireNonNull(value, "value");
            checkArgument(!key.isBlank(), "label key: blank (expected: a name)");
            labels.put(key, value);
            return this;
        }

        /** Free-form capabilities shown to operators, e.g. {@code maxResolution=1080p}. */
        public Builder capabilities(Map<String, ?> capabilities) {
            requireNonNull(capabilities, "capabilities");
            this.capabilities = Structs.toStruct(capabilities);
            return this;
        }

        /** Free-form capabilities, as a Struct. */
        public Builder capabilities(Struct capabilities) {
            this.capabilities = requireNonNull(capabilities, "capabilities");
            return this;
        }

        /**
         * Advertises where this agent serves clients, e.g. {@code endpoint("http", "http://10.0.0.5:8080")}:
         * Baton shows it on the agent and on the jobs it runs ({@code GET /v1/jobs/{id}/endpoint}).
         */
        public Builder endpoint(String name, String url) {
            requireNonNull(name, "name");
            requireNonNull(url, "url");
            checkArgument(name.matches("[a-z][a-z0-9_]{0,31}"),
                          "endpoint name: '" + name + "' (expected: lower-case letters, digits and '_')");
            checkArgument(!url.isBlank(), "endpoint url: blank (expected: an absolute URL)");
            endpoints.put(name, url);
            return this;
        }

        /** Advertises several endpoints, name → URL. */
        public Builder endpoints(Map<String, String> endpoints) {
            requireNonNull(endpoints, "endpoints");
            endpoints.forEach(this::endpoint);
            return this;
        }

        /** The engine this agent runs in (set inside Baton engine containers, from BATON_ENGINE_ID). */
        public Builder engineId(String engineId) {
            this.engineId = requireNonNull(engineId, "engineId");
            return this;
        }

        /** What to do with jobs. */
        public Builder handler(JobHandler handler) {
            this.handler = requireNonNull(handler, "handler");
            return this;
        }

        /** How to retry the connection (default: {@link ReconnectPolicy#standard()}). */
        public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
            this.reconnectPolicy = requireNonNull(reconnectPolicy, "reconnectPolicy");
            return this;
        }

        /** The timer for backoff, heartbeats and deadlines (default: the agent's own); for tests. */
        public Builder timer(AgentTimer timer) {
            this.timer = requireNonNull(timer, "timer");
            return this;
        }

        /** The source of backoff jitter, uniform in [0, 1) (default: random); for tests. */
        public Builder jitterSource(DoubleSupplier jitter) {
            this.jitter = requireNonNull(jitter, "jitter");
            return this;
        }

        /** Metrics attached to heartbeats (default: {@link HeartbeatMetrics#system()}). */
        public Builder metrics(HeartbeatMetrics metrics) {
            this.metrics = requireNonNull(metrics, "metrics");
            return this;
        }

        /** How long a drain lets jobs finish before stopping them (default 30 s). */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = nonNegative(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * Whether a Drain from the server ends the agent once its jobs are done (default true, so
         * engine containers exit and are replaced). With false the agent stays connected, taking
         * no jobs, until the server undrains it.
         */
        public Builder exitWhenDrained(boolean exitWhenDrained) {
            this.exitWhenDrained = exitWhenDrained;
            return this;
        }

        /** Whether a JVM shutdown (SIGTERM) drains the agent first (default true). */
        public Builder drainOnShutdown(boolean drainOnShutdown) {
            this.drainOnShutdown = drainOnShutdown;
            return this;
        }

        /** How long to wait for the Welcome before trying again (default 30 s). */
        public Builder helloTimeout(Duration helloTimeout) {
            this.helloTimeout = positive(helloTimeout, "helloTimeout");
            return this;
        }

        /** The stop grace when neither the Stop nor the Welcome gives one (default 10 s). */
        public Builder defaultStopGrace(Duration defaultStopGrace) {
            this.defaultStopGrace = positive(defaultStopGrace, "defaultStopGrace");
            return this;
        }

        /** How long close() (and a drain past its kills) waits for jobs to end (default 5 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = nonNegative(closeTimeout, "closeTimeout");
            return this;
        }

        /** Validates and builds; the agent is not connected until {@link BatonAgent#start()}. */
        public BatonAgent build() {
            checkArgument(target != null, "server: not set (expected: host:port)");
            checkArgument(token != null, "token: not set (expected: the agent token)");
            checkArgument(handler != null, "handler: not set (expected: a JobHandler)");
            // Engine containers on host networking share the host's name: their engine id is what
            // tells them apart.
            String id = agentId != null ? agentId
                        : !engineId.isBlank() ? engineId : AgentIds.defaultAgentId();
            return new BatonAgent(new AgentSettings(
                    target, tls, caFile, clientCertFile, clientKeyFile, token, id, name != null ? name : id, version, slots,
                    Map.copyOf(labels), capabilities, engineId, handler, reconnectPolicy, timer,
                    jitter, metrics, drainTimeout, exitWhenDrained, drainOnShutdown, helloTimeout,
                    defaultStopGrace, closeTimeout,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints))));
        }

        private static String defaultVersion() {
            String version = BatonAgent.class.getPackage().getImplementationVersion();
            return version != null ? version : "dev";
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            checkArgument(!value.isNegative() && !value.isZero(), name + ": " + value + " (expected: > 0)");
            return value;
        }

        private static Duration nonNegative(Duration value, String name) {
            requireNonNull(value, name);
            checkArgument(!value.isNegative(), name + ": " + value + " (expected: >= 0)");
            return value;
        }

        private static void checkArgument(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
