package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.UpdateJobMetadataRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;
import io.grpc.Context;

/** Over the wire: a job that ends is held packed, answers as before, and a later change is kept. */
class FinishedJobsPackedTest {

    private static final SubmitJobRequest REQUEST = SubmitJobRequest.newBuilder().setIdempotencyKey("k1")
            .setInlineConfig(Struct.getDefaultInstance()).putLabels("team", "a").build();

    @Test
    void aJobThatEndsIsPackedAndEveryReadAnswersTheSame(@TempDir Path dir) throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        Job stopped;
        try (TestBaton baton = TestBaton.start(dir, b -> { }, time)) {
            stopped = runToTheEnd(baton);
            baton.sync();

            assertThat(packed(baton, stopped.getId())).isTrue();
            assertThat(baton.job(stopped.getId())).isEqualTo(stopped);
            assertThat(baton.jobs().listJobs(ListJobsRequest.newBuilder().setLabelSelector("team=a").build())
                            .getJobsList()).containsExactly(stopped);
            assertThat(baton.jobs().submitJob(REQUEST).getJob()).as("idempotent replay").isEqualTo(stopped);
            assertThat(snapshotJobs(baton)).as("watch snapshot").containsExactly(stopped);
            assertThat(packed(baton, stopped.getId())).as("reads keep nothing").isTrue();
        }

        try (TestBaton again = TestBaton.start(dir, b -> { }, time)) {
            assertThat(packed(again, stopped.getId())).as("loaded packed").isTrue();
            assertThat(again.job(stopped.getId())).isEqualTo(stopped);
            assertThat(again.jobs().listJobs(ListJobsRequest.newBuilder().addStatus(Job.Status.STOPPED).build())
                            .getJobsList()).containsExactly(stopped);
            assertThat(packed(again, stopped.getId())).isTrue();
        }
    }

    @Test
    void metadataChangedAfterTheEndIsKeptAndTheJobPackedAgain(@TempDir Path dir) {
        try (TestBaton baton = TestBaton.start(dir, b -> { }, new VirtualTimeSource())) {
            String id = runToTheEnd(baton).getId();
            baton.sync();

            baton.jobs().updateJobMetadata(UpdateJobMetadataRequest.newBuilder().setId(id)
                    .setMetadata(StreamMetadata.newBuilder().setTitle("after the end")).build());
            baton.sync();

            assertThat(packed(baton, id)).isTrue();
            Job job = baton.job(id);
            assertThat(job.getMetadata().getTitle()).isEqualTo("after the end");
            assertThat(job.getStatus()).isEqualTo(Job.Status.STOPPED);
        }
    }

    private static Job runToTheEnd(TestBaton baton) {
        SimulatedAgent agent = baton.agent("a1", 1);
        String id = baton.jobs().submitJob(REQUEST).getJob().getId();
        Assign assign = agent.acceptAndRun();
        baton.awaitStatus(id, Job.Status.RUNNING);
        agent.update(id, assign.getAttempt(), Job.Status.STOPPED);
        return baton.awaitStatus(id, Job.Status.STOPPED);
    }

    /** The jobs of an unfiltered watch snapshot, over gRPC. */
    private static List<Job> snapshotJobs(TestBaton baton) throws Exception {
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            return watch.call(() -> {
                List<Job> jobs = new ArrayList<>();
                Iterator<WatchEvent> events = WatchServiceGrpc.newBlockingStub(baton.channel())
                        .watch(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB).build());
                for (WatchEvent event = events.next(); event.getType() != WatchEvent.Type.SNAPSHOT_END;
                     event = events.next()) {
                    jobs.add(event.getJob());
                }
                return jobs;
            });
        } finally {
            watch.cancel(null);
        }
    }

    private static boolean packed(TestBaton baton, String id) {
        ControlPlane plane = baton.server().controlPlane();
        return plane.loop().call(() -> plane.book().isPacked(id)).join();
    }
}
