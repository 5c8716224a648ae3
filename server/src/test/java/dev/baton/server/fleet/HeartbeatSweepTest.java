package dev.baton.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;

/**
 * A sweep whose timer fired late (the server was paused) ends no session; the next one judges. The
 * server's own monitor runs in virtual time and is never late; a second monitor on the same fleet is
 * handed the lateness directly, as its timer would measure it after a pause.
 */
class HeartbeatSweepTest {

    private TestBaton baton;
    private HeartbeatMonitor monitor;
    private SimulatedAgent agent;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.heartbeatTimeout(Duration.ofSeconds(10)));
        ControlPlane plane = baton.server().controlPlane();
        // The test's monitor times out after 5 s, the server's after 10 s: 6 s of silence is past the
        // first and never reaches the second, however late the server's own sweeps run.
        BatonConfig fiveSeconds = BatonConfig.builder().agentToken(TestBaton.TOKEN)
                                             .heartbeatTimeout(Duration.ofSeconds(5)).build();
        monitor = new HeartbeatMonitor(fiveSeconds, plane.loop(), plane.fleet(), plane.agentProtocol());
        agent = baton.agent("a1", 1);
        baton.advance(Duration.ofSeconds(6));
        assertThat(state()).isEqualTo(Agent.State.IDLE);
    }

    @AfterEach
    void stop() {
        monitor.stop();
        agent.close();
        baton.close();
    }

    private Agent.State state() {
        return baton.fleet().getAgent(GetAgentRequest.newBuilder().setId("a1").build()).getState();
    }

    private void sweepLateBy(Duration late) {
        baton.server().controlPlane().loop().call(() -> {
            monitor.sweep(late.toMillis());
            return null;
        }).join();
    }

    @Test
    void aSweepOnTimeEndsTheSilentSession() {
        sweepLateBy(Duration.ZERO);

        assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(state()).isEqualTo(Agent.State.OFFLINE);
    }

    @Test
    void aLateSweepEndsNoSessionAndTheNextSweepJudges() {
        sweepLateBy(Duration.ofSeconds(3));
        assertThat(state()).isEqualTo(Agent.State.IDLE);
        assertThat(agent.isClosed()).isFalse();

        sweepLateBy(Duration.ZERO);
        assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(state()).isEqualTo(Agent.State.OFFLINE);
    }

    @Test
    void onlyOneSweepInARowIsDeferredSoAnAlwaysLateServerStillEndsSilentSessions() {
        sweepLateBy(Duration.ofSeconds(3));
        assertThat(agent.isClosed()).isFalse();

        sweepLateBy(Duration.ofSeconds(3));
        assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aHeartbeatReadAfterTheDeferredSweepKeepsTheAgentOnline() {
        sweepLateBy(Duration.ofSeconds(3));
        long now = baton.time().now().toEpochMilli();
        agent.heartbeat();
        Eventually.await("heartbeat recorded", () -> Timestamps.toMillis(
                baton.fleet().getAgent(GetAgentRequest.newBuilder().setId("a1").build()).getLastSeenAt()) == now);

        sweepLateBy(Duration.ZERO);
        assertThat(state()).isEqualTo(Agent.State.IDLE);
        assertThat(agent.isClosed()).isFalse();
    }
}
