package dev.baton.server.jobs;

import static dev.baton.proto.v1.Job.Status.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.baton.proto.v1.Job;

class JobStateMachineTest {

    static Stream<Arguments> transitions() {
        return Stream.of(
                Arguments.of(PENDING, ASSIGNED, true),
                Arguments.of(PENDING, RUNNING, false),
                Arguments.of(PENDING, CANCELED, true),
                Arguments.of(PENDING, FAILED, true),
                Arguments.of(ASSIGNED, ACCEPTED, true),
                Arguments.of(ASSIGNED, PENDING, true),
                Arguments.of(ASSIGNED, CANCELED, true),
                Arguments.of(ACCEPTED, RUNNING, true),
                Arguments.of(ACCEPTED, ASSIGNED, false),
                Arguments.of(RUNNING, STOPPING, true),
                Arguments.of(RUNNING, UNKNOWN, true),
                Arguments.of(RUNNING, PENDING, true),
                Arguments.of(RUNNING, CANCELED, false),
                Arguments.of(RUNNING, ASSIGNED, false),
                Arguments.of(STOPPING, STOPPED, true),
                Arguments.of(STOPPING, RUNNING, false),
                Arguments.of(STOPPING, PENDING, false),
                Arguments.of(UNKNOWN, RUNNING, true),
                Arguments.of(UNKNOWN, PENDING, true),
                Arguments.of(UNKNOWN, FAILED, true),
                Arguments.of(UNKNOWN, ASSIGNED, false),
                Arguments.of(STOPPED, RUNNING, false),
                Arguments.of(FAILED, PENDING, false),
                Arguments.of(CANCELED, PENDING, false));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("transitions")
    void transitionTable(Job.Status from, Job.Status to, boolean allowed) {
        assertThat(JobStateMachine.isAllowed(from, to)).isEqualTo(allowed);
        if (!allowed) {
            assertThatThrownBy(() -> JobStateMachine.check("j1", from, to))
                    .hasMessage("job j1: illegal transition " + from + " -> " + to);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Job.Status.class, names = {"STOPPED", "FAILED", "CANCELED"})
    void terminalStatusesGoNowhere(Job.Status terminal) {
        assertThat(JobStateMachine.isTerminal(terminal)).isTrue();
        for (Job.Status to : Job.Status.values()) {
            assertThat(JobStateMachine.isAllowed(terminal, to)).as(terminal + " -> " + to).isFalse();
        }
    }
}
