package dev.baton.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Timestamp;

import dev.baton.cli.output.JsonOutput;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.WatchEvent;

class EventLineTest {

    private static final Timestamp TIME =
            Timestamp.newBuilder().setSeconds(Instant.parse("2026-11-27T08:00:00Z").getEpochSecond()).build();

    @Test
    void jobEventShowsRevisionTimeTypeKindIdAndState() {
        WatchEvent event = WatchEvent.newBuilder().setRevision(1041).setType(WatchEvent.Type.UPDATED)
                                     .setKind(EntityKind.ENTITY_KIND_JOB).setTime(TIME)
                                     .setJob(Job.newBuilder().setId("j-1").setStatus(Job.Status.RUNNING)
                                                .setAgentId("agent-1").setAttempt(1))
                                     .build();

        assertThat(EventLine.of(event))
                .isEqualTo("1041   2026-11-27T08:00:00Z UPDATED      job    j-1                      "
                           + "RUNNING agent=agent-1 attempt=1");
    }

    @Test
    void pendingJobShowsWhy() {
        WatchEvent event = WatchEvent.newBuilder().setRevision(7).setType(WatchEvent.Type.SNAPSHOT).setTime(TIME)
                                     .setJob(Job.newBuilder().setId("j-2").setStatus(Job.Status.PENDING)
                                                .setStatusReason("no connected agent has label gpu=true"))
                                     .build();

        assertThat(EventLine.of(event)).endsWith("PENDING reason=\"no connected agent has label gpu=true\"");
    }

    @Test
    void agentAndPoolEventsSummariseTheirCounts() {
        WatchEvent agent = WatchEvent.newBuilder().setRevision(8).setType(WatchEvent.Type.ADDED).setTime(TIME)
                                     .setAgent(Agent.newBuilder().setId("agent-1").setState(Agent.State.IDLE)
                                                    .setSlots(2).setFreeSlots(2))
                                     .build();
        WatchEvent pool = WatchEvent.newBuilder().setRevision(9).setType(WatchEvent.Type.UPDATED).setTime(TIME)
                                    .setPool(Pool.newBuilder().setName("encoders").setStatus(
                                            PoolStatus.newBuilder().setHealth(PoolStatus.Health.HEALTHY)
                                                      .setFree(1).setUsed(2).setTotal(3).setDesired(3)))
                                    .build();

        assertThat(EventLine.of(agent)).endsWith("agent  agent-1                  IDLE free=2/2 jobs=0");
        assertThat(EventLine.of(pool))
                .endsWith("pool   encoders                 HEALTHY free=1 used=2 starting=0 total=3 desired=3");
    }

    @Test
    void markersHaveNoEntityColumns() {
        WatchEvent end = WatchEvent.newBuilder().setRevision(1040).setType(WatchEvent.Type.SNAPSHOT_END).build();

        assertThat(EventLine.of(end)).isEqualTo("1040   -                    SNAPSHOT_END");
    }

    @Test
    void jsonEventsAreOneLineEach() {
        WatchEvent event = WatchEvent.newBuilder().setRevision(3).setType(WatchEvent.Type.REMOVED)
                                     .setJob(Job.newBuilder().setId("j-3")).build();

        String json = JsonOutput.compact(event);

        assertThat(json).doesNotContain("\n").startsWith("{\"revision\":\"3\",\"type\":\"REMOVED\"");
    }
}
