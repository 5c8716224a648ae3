package dev.baton.server.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Error;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import dev.baton.server.BatonVersion;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.jobs.JobLifecycle;
import dev.baton.server.jobs.JobScheduler;
import dev.baton.server.jobs.Validation;
import dev.baton.server.error.BatonException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The server side of the agent stream, on the control loop: Hello and sessions (a newer session
 * supersedes and fences the older one), every later message, Goodbye and closed streams.
 */
public final class AgentProtocol {

    private static final Logger log = LoggerFactory.getLogger(AgentProtocol.class);

    private final BatonConfig config;
    private final ControlLoop loop;
    private final Fleet fleet;
    private final JobLifecycle lifecycle;
    private final JobScheduler scheduler;
    private final FleetMetrics metrics;
    private final dev.baton.server.logs.JobLogs logs;
    /**
     * Every Welcome but its session id and rejected jobs. Armeria keeps a stream's first response
     * for the stream's whole life (for its request log), so each connected agent holds its Welcome:
     * built from this, its four durations are shared instead of copies per agent.
     */
    private final Welcome welcomeTemplate;

    public AgentProtocol(BatonConfig config, ControlLoop loop, Fleet fleet, JobLifecycle lifecycle,
                         JobScheduler scheduler, FleetMetrics metrics, dev.baton.server.logs.JobLogs logs) {
        this.config = config;
        this.loop = loop;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.logs = logs;
        this.welcomeTemplate = Welcome.newBuilder()
                                      .setHeartbeatInterval(Durations.fromMillis(config.heartbeatInterval().toMillis()))
                                      .setHeartbeatTimeout(Durations.fromMillis(config.heartbeatTimeout().toMillis()))
                                      .setStopGrace(Durations.fromMillis(config.stopGrace().toMillis()))
                                      .setKillAfter(Durations.fromMillis(config.killAfter().toMillis()))
                                      .setServerVersion(BatonVersion.VERSION)
                                      .build();
    }

    /**
     * Checks a Hello's token (constant time) and fields; any thread. Throws UNAUTHENTICATED or
     * INVALID_ARGUMENT; nothing is registered for a refused Hello.
     */
    public void checkHello(Hello hello) {
        String agentId = hello.getAgentId();
        String expected = config.perAgentTokens().getOrDefault(agentId, config.agentToken());
        boolean tokenOk = MessageDigest.isEqual(hello.getToken().getBytes(StandardCharsets.UTF_8),
                                                expected.getBytes(StandardCharsets.UTF_8));
        if (!tokenOk) {
            throw new BatonException(Status.Code.UNAUTHENTICATED,
                                     "invalid agent token for agent \"" + Validation.printable(agentId) + "\"");
        }
        if (agentId.isEmpty()) {
            throw BatonException.invalidArgument("hello.agentId: empty (expected: a stable id for this agent)");
        }
        Validation.id("hello.agentId", agentId);
        int slots = hello.getCapabilities().getSlots();
        if (slots < 0 || slots > config.maxSlotsPerAgent()) {
            throw BatonException.invalidArgument("hello.capabilities.slots: %d (expected: 0 to %d)", slots,
                                                 config.maxSlotsPerAgent());
        }
        Validation.labels("hello.capabilities.labels", hello.getCapabilities().getLabelsMap());
        AdvertisedEndpoints.check("hello.capabilities.endpoints", hello.getCapabilities().getEndpointsList());
    }

    /** Registers a checked Hello: supersedes an older session, answers Welcome, takes back running jobs. */
    public AgentSession hello(Hello hello, StreamObserver<ServerMessage> out) {
        Instant now = loop.time().now();
        AgentRecord agent = fleet.getOrCreate(hello.getAgentId());
        AgentSession previous = agent.session;
        AgentSession session = new AgentSession(UUID.randomUUID().toString(), agent.id, out);
        session.agent = agent;
        if (previous != null && !previous.isClosed()) {
            previous.close(Status.ABORTED.withDescription(
                    "session " + previous.id() + " superseded by a newer session " + session.id() + " of agent "
                    + agent.id));
            metrics.superseded();
            log.info("event=session-superseded agent={} old_session={} new_session={}", agent.id, previous.id(),
                     session.id());
        }
        agent.name = hello.getName();
        agent.version = hello.getVersion();
        agent.slots = Math.max(1, hello.getCapabilities().getSlots());
        agent.labels = Map.copyOf(hello.getCapabilities().getLabelsMap());
        agent.capabilities = hello.getCapabilities().getExtra();
        agent.engineId = hello.getEngineId();
        agent.advertisedEndpoints = AdvertisedEndpoints.check("hello.capabilities.endpoints",
                                                              hello.getCapabilities().getEndpointsList());
        agent.selfDrain = hello.getDrain();
        agent.session = session;
        agent.connectedAt = now;
        agent.lastSeenMillis = now.toEpochMilli();
        agent.disconnectedAt = null;
        fleet.topologyChanged(agent);
        Map<String, String> refused = lifecycle.refusedRunningJobs(agent, hello.getRunningJobsList());
        Welcome.Builder welcome = welcomeTemplate.toBuilder().setSessionId(session.id());
        if (!refused.isEmpty()) {
            // Only then: adding even none would give the Welcome a list of its own.
            welcome.addAllRejectedJobIds(refused.keySet());
        }
        session.send(ServerMessage.newBuilder().setWelcome(welcome).build());
        metrics.sessionOpened();
        log.info("event=agent-connected agent={} session={} slots={} running_jobs={} drain={}", agent.id, session.id(),
                 agent.slots, hello.getRunningJobsCount(), agent.drain());
        lifecycle.onAgentReturned(agent, hello.getRunningJobsList());
        if (agent.drain) {
            session.send(ServerMessage.newBuilder().setDrain(dev.baton.proto.v1.Drain.newBuilder().setDrain(true)).build());
        }
        fleet.publish(agent);
        scheduler.requestPass();
        return session;
    }

    /**
     * Records a plain heartbeat on the stream's own thread, without a hop to the control loop: it
     * changes only the agent's liveness (last seen, metrics), which the loop reads from volatile
     * fields. Returns false when the loop must handle the message instead: not a heartbeat, a drain
     * change, a session the loop does not know yet or has closed. The caller must call this only when
     * none of the stream's earlier messages is still queued for the loop, so that messages still
     * apply in order (the drain flag compared here is then the one the agent last sent).
     */
    public boolean heartbeatOffLoop(AgentSession session, AgentMessage message) {
        AgentRecord agent = session.agent;
        if (message.getMsgCase() != AgentMessage.MsgCase.HEARTBEAT || agent == null || session.isClosed()
            || message.getHeartbeat().getDrain() != agent.selfDrain) {
            return false;
        }
        long now = loop.time().millis();
        metrics.heartbeatGap(now - agent.lastSeenMillis);
        agent.lastSeenMillis = now;
        if (message.getHeartbeat().hasMetrics()) {
            agent.metrics = message.getHeartbeat().getMetrics();
        }
        return true;
    }

    /** Any message after Hello; a message of a superseded session is dropped (fencing). */
    public void message(AgentSession session, AgentMessage message) {
        AgentRecord agent = fleet.get(session.agentId());
        if (agent == null || agent.session != session || session.isClosed()) {
            metrics.fenced();
            log.debug("event=fenced-message agent={} session={}", session.agentId(), session.id());
            return;
        }
        long now = loop.time().millis();
        if (message.getMsgCase() == AgentMessage.MsgCase.HEARTBEAT) {
            metrics.heartbeatGap(now - agent.lastSeenMillis);
        }
        agent.lastSeenMillis = now;
        JobLifecycle.Refusal refusal = switch (message.getMsgCase()) {
            case HEARTBEAT -> {
                if (message.getHeartbeat().hasMetrics()) {
                    agent.metrics = message.getHeartbeat().getMetrics();
                }
                if (message.getHeartbeat().getDrain() != agent.selfDrain) {
                    agent.selfDrain = message.getHeartbeat().getDrain();
                    log.info("event=agent-self-drain agent={} drain={}", agent.id, agent.selfDrain);
                    fleet.topologyChanged(agent);
                    fleet.publish(agent);
                    scheduler.requestPass();
                }
                yield null;
            }
            case ASSIGN_ACK -> lifecycle.onAssignAck(agent, message.getAssignAck());
            case JOB_UPDATE -> lifecycle.onJobUpdate(agent, message.getJobUpdate());
            case JOB_LOG -> logs.receive(agent, message.getJobLog());
            case COMMAND_ACK -> {
                lifecycle.onCommandAck(agent, message.getCommandAck());
                yield null;
            }
            case GOODBYE -> {
                log.info("event=agent-goodbye agent={} reason=\"{}\"", agent.id, message.getGoodbye().getReason());
                session.close(Status.OK);
                gone(agent, "said goodbye");
                yield null;
            }
            default -> null;
        };
        if (refusal != null) {
            metrics.protocolError();
            log.info("event=agent-message-refused agent={} code={} job={} message=\"{}\"", agent.id, refusal.code(),
                     refusal.jobId(), refusal.message());
            session.send(ServerMessage.newBuilder().setError(Error.newBuilder().setCode(refusal.code())
                    .setMessage(refusal.message()).setJobId(refusal.jobId())).build());
        }
    }

    /** The stream ended (closed by the agent, broken, or ended by the server). */
    public void closed(AgentSession session, String why) {
        session.markClosed();
        AgentRecord agent = fleet.get(session.agentId());
        if (agent != null && agent.session == session) {
            gone(agent, why);
        }
    }

    /** Ends a session the server gives up on (heartbeat timeout, protocol violation). */
    public void end(AgentSession session, Status status, String why) {
        session.close(status);
        closed(session, why);
    }

    void gone(AgentRecord agent, String why) {
        agent.session = null;
        fleet.topologyChanged(agent);
        scheduler.requestPass();
        agent.disconnectedAt = loop.time().now();
        metrics.sessionClosed();
        log.info("event=agent-offline agent={} reason=\"{}\" jobs={}", agent.id, why, agent.jobIds.size());
        lifecycle.onAgentLost(agent, why);
        fleet.publish(agent);
    }
}
