package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.grpc.Status;

class ExitCodesTest {

    @Test
    void statusesMapToTheDocumentedCodes() {
        assertThat(ExitCodes.forStatus(Status.Code.NOT_FOUND)).isEqualTo(3);
        assertThat(ExitCodes.forStatus(Status.Code.ALREADY_EXISTS)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(Status.Code.ABORTED)).isEqualTo(4);
        assertThat(ExitCodes.forStatus(Status.Code.UNAVAILABLE)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(5);
        assertThat(ExitCodes.forStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(1);
        assertThat(ExitCodes.forStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(1);
        assertThat(ExitCodes.forStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(1);
        assertThat(ExitCodes.forStatus(Status.Code.INTERNAL)).isEqualTo(1);
    }
}
