package dev.baton.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Timestamp;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.RestartPolicy;

class NamesAndTimesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void enumNamesLoseTheirTypePrefix() {
        assertThat(Names.of(RestartPolicy.RESTART_POLICY_ON_FAILURE)).isEqualTo("ON_FAILURE");
        assertThat(Names.of(EntityKind.ENTITY_KIND_JOB)).isEqualTo("JOB");
        assertThat(Names.of(Job.Status.RUNNING)).isEqualTo("RUNNING");
        assertThat(Names.of(PoolStatus.Health.CIRCUIT_OPEN)).isEqualTo("CIRCUIT_OPEN");
        assertThat(Names.of(Agent.State.STATE_UNSPECIFIED)).isEmpty();
        assertThat(Names.of(Job.Status.UNRECOGNIZED)).isEqualTo("UNRECOGNIZED");
    }

    @Test
    void labelsAndCountsAreSortedByKey() {
        assertThat(Names.labels(Map.of("zone", "a", "gpu", "true"))).isEqualTo("gpu=true,zone=a");
        assertThat(Names.counts(Map.of("RUNNING", 2, "IDLE", 1))).isEqualTo("IDLE=1 RUNNING=2");
    }

    @Test
    void agesAreCoarse() {
        assertThat(Times.age(at(NOW.minusSeconds(42)), NOW)).isEqualTo("42s");
        assertThat(Times.age(at(NOW.minusSeconds(300)), NOW)).isEqualTo("5m");
        assertThat(Times.age(at(NOW.minusSeconds(3 * 3600)), NOW)).isEqualTo("3h");
        assertThat(Times.age(at(NOW.minusSeconds(4 * 86_400)), NOW)).isEqualTo("4d");
        assertThat(Times.age(Timestamp.getDefaultInstance(), NOW)).isEmpty();
    }

    @Test
    void instantsCarryTheirAge() {
        assertThat(Times.instantWithAge(at(NOW.minusSeconds(300)), NOW)).isEqualTo("2026-11-27T11:55:00Z (5m ago)");
        assertThat(Times.instantWithAge(at(NOW.plusSeconds(60)), NOW)).isEqualTo("2026-11-27T12:01:00Z (in 60s)");
    }

    @Test
    void durationsAreCompact() {
        assertThat(Times.duration(com.google.protobuf.Duration.newBuilder().setSeconds(90).build())).isEqualTo("1m30s");
        assertThat(Times.duration(com.google.protobuf.Duration.newBuilder().setNanos(250_000_000).build()))
                .isEqualTo("250ms");
        assertThat(Times.duration(com.google.protobuf.Duration.getDefaultInstance())).isEmpty();
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
