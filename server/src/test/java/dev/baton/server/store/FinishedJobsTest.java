package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.Job;
import dev.baton.server.jobs.JobStateMachine;

class FinishedJobsTest {

    @Test
    void finishedMeansTheStatesAJobNeverLeaves() {
        for (Job.Status status : Job.Status.values()) {
            if (status != Job.Status.UNRECOGNIZED) {
                assertThat(FinishedJobs.isFinished(status)).as(status.name()).isEqualTo(JobStateMachine.isTerminal(status));
            }
        }
    }

    @Test
    void theStatusReadWithoutParsingIsTheParsedOne() throws Exception {
        Job full = Job.newBuilder().setId("j1").setTemplateId("t")
                      .setConfig(Struct.newBuilder().putFields("cmd", Value.newBuilder().setStringValue("sleep").build()))
                      .setStatusReason("why").setAgentId("a1").setAttempt(2).putLabels("zone", "a")
                      .addAttempts(JobAttempt.newBuilder().setAttempt(1).setStatus(Job.Status.FAILED))
                      .build();
        for (Job.Status status : Job.Status.values()) {
            if (status == Job.Status.UNRECOGNIZED) {
                continue;
            }
            byte[] row = full.toBuilder().setStatus(status).build().toByteArray();
            assertThat(FinishedJobs.peekStatus(row)).isEqualTo(Job.parseFrom(row).getStatus());
        }
    }

    @Test
    void aStatusWrittenTwiceReadsAsTheLastAsInAFullParse() throws Exception {
        byte[] first = Job.newBuilder().setId("j1").setStatus(Job.Status.RUNNING).build().toByteArray();
        byte[] second = Job.newBuilder().setStatus(Job.Status.STOPPED).build().toByteArray();
        byte[] row = new byte[first.length + second.length];
        System.arraycopy(first, 0, row, 0, first.length);
        System.arraycopy(second, 0, row, first.length, second.length);

        assertThat(FinishedJobs.peekStatus(row)).isEqualTo(Job.Status.STOPPED).isEqualTo(Job.parseFrom(row).getStatus());
    }

    @Test
    void aRowWithoutStatusOrWithAnUnknownOneIsNotFinished() throws Exception {
        assertThat(FinishedJobs.peekStatus(Job.newBuilder().setId("j1").build().toByteArray()))
                .isEqualTo(Job.Status.STATUS_UNSPECIFIED);
        assertThat(FinishedJobs.peekStatus(Job.newBuilder().setId("j1").setStatusValue(99).build().toByteArray()))
                .isEqualTo(Job.Status.UNRECOGNIZED);
    }

    @Test
    void aTruncatedRowIsRefused() {
        byte[] row = Job.newBuilder().setId("j1").setStatusReason("a reason long enough").build().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(row, row.length - 3);

        assertThatThrownBy(() -> FinishedJobs.peekStatus(cut)).isInstanceOf(InvalidProtocolBufferException.class);
    }
}
