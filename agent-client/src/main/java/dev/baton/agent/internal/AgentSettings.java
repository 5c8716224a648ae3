package dev.baton.agent.internal;

import com.google.protobuf.Struct;
import dev.baton.agent.AgentTimer;
import dev.baton.agent.HeartbeatMetrics;
import dev.baton.agent.JobHandler;
import dev.baton.agent.ReconnectPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Everything an agent was built with; validated by {@code BatonAgent.Builder}.
 *
 * @param timer null for the agent's own scheduler
 * @param caFile null for the JVM's trust store
 * @param endpoints where the agent serves clients, name → URL, advertised in Hello
 * @param clientCertFile null to present no client certificate; set together with clientKeyFile
 */
public record AgentSettings(
        String target, boolean tls, Path caFile, Path clientCertFile, Path clientKeyFile, String token, String agentId, String name,
        String version, int slots, Map<String, String> labels, Struct capabilities, String engineId,
        JobHandler handler, ReconnectPolicy reconnectPolicy, AgentTimer timer, DoubleSupplier jitter,
        HeartbeatMetrics metrics, Duration drainTimeout, boolean exitWhenDrained,
        boolean drainOnShutdown, Duration helloTimeout, Duration defaultStopGrace,
        Duration closeTimeout, Map<String, String> endpoints) {}
