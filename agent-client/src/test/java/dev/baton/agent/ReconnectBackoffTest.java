package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.testing.ScriptedAgentServer;
import dev.baton.agent.testing.ScriptedAgentServer.Connection;
import dev.baton.agent.testing.VirtualTimer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's reconnect schedule, run in virtual time against real refused connections. */
class ReconnectBackoffTest {

    private static final Duration HELLO_TIMEOUT = Duration.ofHours(1); // told apart from backoff delays
    private static final Duration REAL_WAIT = Duration.ofSeconds(10);

    @Test
    void refusedConnectionsAreRetriedOnGrpcsStandardScheduleInVirtualTime() throws Exception {
        VirtualTimer timer = new VirtualTimer();
        try (BatonAgent agent = agent(closedPort(), timer, ReconnectPolicy.standard())) {
            agent.start();

            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                Duration delay = timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT);
                delays.add(delay.toMillis());
                timer.advance(delay); // the next attempt: a real connect, refused at once
            }

            assertThat(delays).containsExactly(1000L, 1600L, 2560L, 4096L, 6553L, 10485L, 16777L,
                                               26843L, 42949L, 68719L, 109951L, 120000L, 120000L);
            assertThat(agent.isConnected()).isFalse();
        }
    }

    @Test
    void aWelcomeStartsTheScheduleAgain() throws Exception {
        VirtualTimer timer = new VirtualTimer();
        try (ScriptedAgentServer server = ScriptedAgentServer.start();
             BatonAgent agent = agent(server.port(), timer, ReconnectPolicy.standard())) {
            agent.start();
            Connection first = server.nextConnection();
            first.next();
            first.fail(io.grpc.Status.UNAVAILABLE); // never welcomed: a failed attempt
            assertThat(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
            timer.advance(Duration.ofSeconds(1));
            Connection second = server.nextConnection();
            second.next();
            second.fail(io.grpc.Status.UNAVAILABLE);
            assertThat(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT)).isEqualTo(Duration.ofMillis(1600));
            timer.advance(Duration.ofMillis(1600));

            Connection third = server.nextConnection();
            third.next();
            third.welcome(Duration.ofHours(2));
            assertThat(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT)).isEqualTo(Duration.ofHours(2));
            third.fail(io.grpc.Status.UNAVAILABLE);

            assertThat(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void anAgentWithBoundedAttemptsTerminatesWhenTheyAreUsedUp() throws Exception {
        VirtualTimer timer = new VirtualTimer();
        ReconnectPolicy twice = ReconnectPolicy.of(Duration.ofSeconds(1), 2, 0, Duration.ofSeconds(10), 2);
        try (BatonAgent agent = agent(closedPort(), timer, twice)) {
            agent.start();
            timer.advance(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT));
            timer.advance(timer.nextRequested(REAL_WAIT, HELLO_TIMEOUT));

            assertThat(agent.whenTerminated()).failsWithin(REAL_WAIT)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("gave up reconnecting to 127.0.0.1:")
                    .withMessageContaining("after 2 failed attempts; last status UNAVAILABLE");
        }
    }

    private static BatonAgent agent(int port, VirtualTimer timer, ReconnectPolicy policy) {
        return BatonAgent.builder().server("127.0.0.1", port).token("t").agentId("backoff-agent")
                         .handler(job -> { }).timer(timer).jitterSource(() -> 0.5)
                         .reconnectPolicy(policy).helloTimeout(HELLO_TIMEOUT)
                         .metrics(HeartbeatMetrics.none()).drainOnShutdown(false).build();
    }

    /** A loopback port nothing listens on: connecting is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
