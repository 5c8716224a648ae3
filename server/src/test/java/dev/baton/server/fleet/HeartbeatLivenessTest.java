package dev.baton.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/**
 * What a heartbeat records (last seen, the gap metric) and what operators see of it, in virtual
 * time: a plain heartbeat is recorded on the stream's thread as epoch milliseconds.
 */
class HeartbeatLivenessTest {

    private static Agent agent(TestBaton baton, String id) {
        return baton.fleet().getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    @Test
    void lastSeenIsTheLastHeartbeatAndTheAgeCountsVirtualTimeSinceIt(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        try (TestBaton baton = TestBaton.start(dir, b -> { }, time);
             SimulatedAgent a = baton.agent("a1", 1)) {
            long welcomedAt = time.now().toEpochMilli();
            assertThat(Timestamps.toMillis(agent(baton, "a1").getLastSeenAt())).isEqualTo(welcomedAt);

            baton.advance(Duration.ofMillis(2_500));
            Agent silent = agent(baton, "a1");
            assertThat(Timestamps.toMillis(silent.getLastSeenAt())).isEqualTo(welcomedAt);
            assertThat(Durations.toMillis(silent.getHeartbeatAge())).isEqualTo(2_500);

            a.heartbeat();
            long heartbeatAt = time.now().toEpochMilli();
            Agent seen = Eventually.await("heartbeat recorded", () -> agent(baton, "a1"),
                                          x -> Timestamps.toMillis(x.getLastSeenAt()) == heartbeatAt);
            assertThat(Durations.toMillis(seen.getHeartbeatAge())).isZero();
            assertThat(seen.getState()).isEqualTo(Agent.State.IDLE);
        }
    }

    @Test
    void theHeartbeatGapIsExportedAsCountSumAndMaxWithoutQuantiles(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        try (TestBaton baton = TestBaton.start(dir, b -> { }, time);
             SimulatedAgent a = baton.agent("a1", 1)) {
            Rest rest = new Rest(baton.baseUrl());
            baton.advance(Duration.ofSeconds(3));
            heartbeatSeen(baton, a);
            baton.advance(Duration.ofSeconds(2));
            heartbeatSeen(baton, a);

            List<String> gap = gapLines(rest);
            assertThat(value(gap, "baton_agent_heartbeat_gap_seconds_count")).isEqualTo(2.0);
            assertThat(value(gap, "baton_agent_heartbeat_gap_seconds_sum")).isEqualTo(5.0);
            assertThat(value(gap, "baton_agent_heartbeat_gap_seconds_max")).isEqualTo(3.0);
            assertThat(gap).noneMatch(line -> line.contains("quantile"));
        }
    }

    @Test
    void anAgentKnownOnlyFromAStoredJobHasNoLastSeenUntilItsHello(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        String jobId;
        try (TestBaton first = TestBaton.start(dir, b -> { }, time);
             SimulatedAgent a = first.agent("a1", 1)) {
            jobId = first.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                           .build()).getJob().getId();
            a.acceptAndRun();
            first.awaitStatus(jobId, Job.Status.RUNNING);
        }
        time.advance(Duration.ofSeconds(1));
        try (TestBaton second = TestBaton.start(dir, b -> { }, time)) {
            Agent unseen = agent(second, "a1");
            assertThat(unseen.getState()).isEqualTo(Agent.State.OFFLINE);
            assertThat(unseen.hasLastSeenAt()).isFalse();
            assertThat(unseen.hasHeartbeatAge()).isFalse();

            try (SimulatedAgent back = second.agent("a1", 1)) {
                assertThat(Timestamps.toMillis(agent(second, "a1").getLastSeenAt()))
                        .isEqualTo(time.now().toEpochMilli());
            }
        }
    }

    /** Sends a heartbeat and waits until the server recorded it at the current virtual time. */
    private static void heartbeatSeen(TestBaton baton, SimulatedAgent a) {
        long now = baton.time().now().toEpochMilli();
        a.heartbeat();
        Eventually.await("heartbeat of " + a.id() + " recorded",
                         () -> Timestamps.toMillis(agent(baton, a.id()).getLastSeenAt()) == now);
    }

    private static double value(List<String> lines, String name) {
        return lines.stream().filter(line -> line.startsWith(name + " ")).findFirst()
                    .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
                    .orElseThrow(() -> new AssertionError(name + " not exported; got " + lines));
    }

    private static List<String> gapLines(Rest rest) {
        return rest.get("/metrics").body().lines().filter(line -> line.startsWith("baton_agent_heartbeat_gap")).toList();
    }
}
