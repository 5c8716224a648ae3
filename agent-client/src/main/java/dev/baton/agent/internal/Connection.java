package dev.baton.agent.internal;

import static dev.baton.agent.internal.AgentCore.log;

import dev.baton.agent.AgentTimer;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentMetrics;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Heartbeat;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.RejectedExecutionException;

/**
 * The agent's link to the server, on the event loop: one {@link Session} at a time, Hello and
 * Welcome, heartbeats, and reconnecting with backoff when a session ends.
 */
final class Connection {

    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

    private final AgentCore core;
    private final AgentSettings settings;
    private final Backoff backoff;
    private final ServerTargets targets;
    /** True after following a leader hint without backing off; the next refusal backs off. */
    private boolean followedHint;
    private volatile boolean connected;
    private volatile String sessionId = "";

    private Session session;
    private long sessions;
    private AgentTimer.Cancellable reconnect;
    private AgentMetrics latestMetrics;
    private boolean collectingMetrics;

    Connection(AgentCore core) {
        this.core = core;
        this.settings = core.settings;
        this.backoff = new Backoff(settings.reconnectPolicy(), settings.jitter());
        this.targets = new ServerTargets(settings.target());
    }

    boolean connected() {
        return connected;
    }

    String sessionId() {
        return sessionId;
    }

    /** The current session, if the server has welcomed it. */
    Session welcomed() {
        return session != null && session.welcomed() ? session : null;
    }

    /** The stop grace of the server's Welcome, or the builder's default while not welcomed. */
    Duration stopGrace() {
        Session current = welcomed();
        return current == null
               ? settings.defaultStopGrace()
               : ProtoTime.positiveOr(current.welcome.hasStopGrace(), current.welcome.getStopGrace(),
                                      settings.defaultStopGrace());
    }

    void connect() {
        reconnect = null;
        if (core.departure.terminating()) {
            return;
        }
        Session opened = Session.open(++sessions, core, core.channels.newChannel(targets.current()),
                                      AgentMessage.newBuilder().setHello(hello()).build());
        session = opened;
        opened.helloTimeout = core.after(settings.helloTimeout(), () -> {
            if (session == opened && opened.welcome == null) {
                end(opened, Status.DEADLINE_EXCEEDED.withDescription(
                        "no Welcome within " + settings.helloTimeout()), true);
            }
        });
        log.debug("connecting agent={} server={} attempt={}", settings.agentId(), targets.current(),
                  backoff.failures() + 1);
    }

    private Hello hello() {
        return Hello.newBuilder()
                .setToken(settings.token())
                .setAgentId(settings.agentId())
                .setName(settings.name())
                .setVersion(settings.version())
                .setCapabilities(Capabilities.newBuilder()
                        .setSlots(settings.slots())
                        .putAllLabels(settings.labels())
                        .setExtra(settings.capabilities())
                        .addAllEndpoints(settings.endpoints().entrySet().stream().map(e -> Endpoint.newBuilder()
                                .setName(e.getKey()).setUrl(e.getValue()).build()).toList()))
                .setDrain(core.departure.draining())
                .addAllRunningJobs(core.jobs.runningJobs())
                .setEngineId(settings.engineId())
                .build();
    }

    void onServerMessage(Session from, ServerMessage message) {
        if (from != session) {
            return; // a superseded stream: its messages describe a session that is gone
        }
        switch (message.getMsgCase()) {
            case WELCOME -> onWelcome(from, message.getWelcome());
            case ASSIGN -> core.jobs.onAssign(from, message.getAssign());
            case STOP -> core.commands.onStop(message.getStop());
            case KILL -> core.commands.onKill(message.getKill());
            case MUTE -> core.commands.onMute(message.getMute());
            case UNMUTE -> core.commands.onUnmute(message.getUnmute());
            case DRAIN -> core.departure.onDrain(message.getDrain());
            case ERROR -> log.warn("server refused a message agent={} code={} job={} message={}",
                    settings.agentId(), message.getError().getCode(), message.getError().getJobId(),
                    message.getError().getMessage());
            default -> log.warn("unknown server message agent={} case={}", settings.agentId(),
                                message.getMsgCase());
        }
    }

    private void onWelcome(Session from, Welcome welcome) {
        if (from.welcome != null) {
            log.warn("second Welcome ignored agent={}", settings.agentId());
            return;
        }
        from.welcome = welcome;
        from.helloTimeout.cancel();
        backoff.reset();
        followedHint = false;
        connected = true;
        sessionId = welcome.getSessionId();
        log.info("connected agent={} session={} server={} heartbeat_interval={} jobs={}",
                 settings.agentId(), welcome.getSessionId(), targets.current(),
                 heartbeatInterval(welcome), core.jobs.size());
        core.jobs.onWelcome(new HashSet<>(welcome.getRejectedJobIdsList()));
        collectMetrics();
        scheduleHeartbeat(from);
        core.departure.maybeFinish();
    }

    void onSessionEnded(Session ended, Status status, io.grpc.Metadata trailers) {
        if (ended == session) {
            end(ended, status, false, trailers);
        }
    }

    private void end(Session ended, Status status, boolean fromHere) {
        end(ended, status, fromHere, null);
    }

    private void end(Session ended, Status status, boolean fromHere, io.grpc.Metadata trailers) {
        if (fromHere) {
            ended.close(status.getDescription());
        } else {
            ended.release();
        }
        session = null;
        connected = false;
        if (!core.departure.reconnectAfterSessionEnd()) {
            return;
        }
        String tried = targets.current();
        boolean hinted = targets.afterSessionEnded(status, trailers);
        if (hinted && !followedHint) {
            followedHint = true;
            log.info("following the leader agent={} refused_by={} leader={}", settings.agentId(), tried,
                     targets.current());
            reconnect = core.after(Duration.ZERO, this::connect);
            return;
        }
        followedHint = false;
        if (backoff.exhausted()) {
            log.error("giving up reconnecting agent={} attempts={} last_status={}",
                      settings.agentId(), backoff.failures(), describe(status));
            core.departure.giveUp("gave up reconnecting to " + targets + " after "
                                  + backoff.failures() + " failed attempts; last status " + describe(status));
            return;
        }
        Duration delay = backoff.nextDelay();
        if (ended.welcome != null) {
            log.info("disconnected agent={} status={} reconnect_in={}ms", settings.agentId(),
                     describe(status), delay.toMillis());
        } else {
            logFailedAttempt(tried, status, delay);
        }
        reconnect = core.after(delay, this::connect);
    }

    private void logFailedAttempt(String tried, Status status, Duration delay) {
        Status.Code code = status.getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED
            || code == Status.Code.INVALID_ARGUMENT) {
            // Configuration the operator must fix; retrying keeps the agent ready once they do.
            log.error("server refused the agent agent={} status={} reconnect_in={}ms",
                      settings.agentId(), describe(status), delay.toMillis());
        } else {
            log.info("cannot connect agent={} server={} status={} failures={} reconnect_in={}ms",
                     settings.agentId(), tried, describe(status), backoff.failures(),
                     delay.toMillis());
        }
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                                               : status.getCode() + " (" + status.getDescription() + ')';
    }

    /** Ends everything for good: no reconnect, and the current session (if any) is closed. */
    Session shutdown(String why) {
        connected = false;
        if (reconnect != null) {
            reconnect.cancel();
        }
        Session last = session;
        session = null;
        if (last != null) {
            last.close(why);
        }
        return last;
    }

    // ---- Heartbeats ----

    private static Duration heartbeatInterval(Welcome welcome) {
        return ProtoTime.positiveOr(welcome.hasHeartbeatInterval(), welcome.getHeartbeatInterval(),
                                    DEFAULT_HEARTBEAT);
    }

    private void scheduleHeartbeat(Session of) {
        of.nextHeartbeat = core.after(heartbeatInterval(of.welcome), () -> heartbeat(of));
    }

    private void heartbeat(Session of) {
        if (of != session || !of.welcomed()) {
            return;
        }
        // The drain flag tells the server to stop offering jobs while this agent winds down.
        Heartbeat.Builder beat = Heartbeat.newBuilder().setDrain(core.departure.draining());
        if (latestMetrics != null) {
            beat.setMetrics(latestMetrics);
        }
        of.send(AgentMessage.newBuilder().setHeartbeat(beat).build());
        collectMetrics();
        scheduleHeartbeat(of);
    }

    /** Collects off the loop, so a slow collector delays no heartbeat (it just sends older metrics). */
    private void collectMetrics() {
        if (collectingMetrics) {
            return;
        }
        collectingMetrics = true;
        try {
            core.jobPool.execute(() -> {
                AgentMetrics metrics = null;
                try {
                    metrics = settings.metrics().collect();
                } catch (RuntimeException e) {
                    log.warn("heartbeat metrics failed agent={} error={}", settings.agentId(), e.toString());
                }
                AgentMetrics collected = metrics;
                core.post(() -> {
                    collectingMetrics = false;
                    if (collected != null) {
                        latestMetrics = collected;
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            collectingMetrics = false;
        }
    }
}
