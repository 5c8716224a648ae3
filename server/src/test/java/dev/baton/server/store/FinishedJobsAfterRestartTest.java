package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.ListJobsResponse;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/**
 * After a restart, finished jobs are held as their stored bytes and parsed by each read (JobBook):
 * every read must answer exactly what the server answered before the restart.
 */
class FinishedJobsAfterRestartTest {

    private static final SubmitJobRequest DONE = SubmitJobRequest.newBuilder().setIdempotencyKey("k-done")
            .setInlineConfig(Struct.newBuilder().putFields("cmd", Value.newBuilder().setStringValue("run").build()))
            .putLabels("team", "a").build();

    @Test
    void finishedJobsReadAfterARestartAreAnsweredAsBefore(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        Map<String, Job> before = new LinkedHashMap<>();
        List<ListJobsRequest> queries = List.of(
                ListJobsRequest.newBuilder().setPageSize(1000).build(),
                ListJobsRequest.newBuilder().addStatus(Job.Status.STOPPED).addStatus(Job.Status.CANCELED).build(),
                ListJobsRequest.newBuilder().setLabelSelector("team=a").build(),
                ListJobsRequest.newBuilder().setAgentId("a1").addStatus(Job.Status.FAILED).build());
        List<ListJobsResponse> listed = new ArrayList<>();
        List<Job> paged;
        Map<String, Integer> counts;
        try (TestBaton first = TestBaton.start(dir, b -> { }, time)) {
            SimulatedAgent agent = first.agent("a1", 1);
            String done = submitAndStop(first, agent).getId();
            submit(first, "b", "nowhere"); // stays PENDING between finished jobs
            String failed = submit(first, "b", "");
            Assign second = agent.acceptAndRun();
            first.awaitStatus(failed, Job.Status.RUNNING);
            agent.fail(failed, second.getAttempt(), "exit 3", 3);
            first.awaitStatus(failed, Job.Status.FAILED);
            String canceled = submit(first, "a", "nowhere");
            first.jobs().stopJob(StopJobRequest.newBuilder().setId(canceled).build());
            first.awaitStatus(canceled, Job.Status.CANCELED);
            for (String id : List.of(done, failed, canceled)) {
                before.put(id, first.job(id));
            }
            queries.forEach(q -> listed.add(comparable(first.jobs().listJobs(q))));
            paged = listInPagesOfTwo(first);
            counts = statusCounts(first);
        }

        try (TestBaton again = TestBaton.start(dir, b -> { }, time)) {
            assertThat(statusCounts(again)).isEqualTo(counts);
            // Lists first: the first reads of the jobs loaded packed.
            for (int i = 0; i < queries.size(); i++) {
                assertThat(comparable(again.jobs().listJobs(queries.get(i)))).as(queries.get(i).toString())
                        .isEqualTo(listed.get(i));
            }
            assertThat(listInPagesOfTwo(again)).isEqualTo(paged);
            before.forEach((id, job) -> assertThat(again.job(id)).isEqualTo(job));
            assertThat(new Rest(again.baseUrl()).get("/v1/jobs/" + before.keySet().iterator().next()).status())
                    .isEqualTo(200);
            assertThat(statusCounts(again)).isEqualTo(counts);
        }
    }

    @Test
    void aFinishedJobIsFoundByIdAndItsIdempotencyKeyReplaysItAfterARestart(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        Job done;
        try (TestBaton first = TestBaton.start(dir, b -> { }, time)) {
            done = submitAndStop(first, first.agent("a1", 1));
        }

        try (TestBaton again = TestBaton.start(dir, b -> { }, time)) {
            // The replay is the first read of the job since the restart.
            SubmitJobResponse replay = again.jobs().submitJob(DONE);
            assertThat(replay.getReplayed()).isTrue();
            assertThat(replay.getJob()).isEqualTo(done);
            assertThat(again.job(done.getId())).isEqualTo(done);
            assertThat(again.jobs().listJobs(ListJobsRequest.getDefaultInstance()).getJobsList()).containsExactly(done);
        }
    }

    /** Submits {@link #DONE}; {@code agent} runs it and reports it STOPPED. */
    private static Job submitAndStop(TestBaton baton, SimulatedAgent agent) {
        String id = baton.jobs().submitJob(DONE).getJob().getId();
        Assign assign = agent.acceptAndRun();
        baton.awaitStatus(id, Job.Status.RUNNING);
        agent.update(id, assign.getAttempt(), Job.Status.STOPPED);
        return baton.awaitStatus(id, Job.Status.STOPPED);
    }

    private static String submit(TestBaton baton, String team, String needs) {
        SubmitJobRequest.Builder request = SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                           .putLabels("team", team);
        if (!needs.isEmpty()) {
            request.setRequirements(JobRequirements.newBuilder().putLabels("site", needs));
        }
        return baton.jobs().submitJob(request.build()).getJob().getId();
    }

    private static List<Job> listInPagesOfTwo(TestBaton baton) {
        List<Job> jobs = new ArrayList<>();
        String token = "";
        do {
            ListJobsResponse page = baton.jobs().listJobs(ListJobsRequest.newBuilder().setPageSize(2)
                                                                         .setPageToken(token).build());
            jobs.addAll(comparable(page).getJobsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return jobs;
    }

    /** The list with the unfinished job reduced to id and status: its waiting reason names the agents connected. */
    private static ListJobsResponse comparable(ListJobsResponse response) {
        ListJobsResponse.Builder result = response.toBuilder().clearJobs();
        for (Job job : response.getJobsList()) {
            result.addJobs(FinishedJobs.isFinished(job.getStatus()) ? job
                    : Job.newBuilder().setId(job.getId()).setStatus(job.getStatus()).build());
        }
        return result.build();
    }

    private static Map<String, Integer> statusCounts(TestBaton baton) {
        return SystemServiceGrpc.newBlockingStub(baton.channel()).getStatus(GetStatusRequest.getDefaultInstance())
                                .getJobsByStatusMap();
    }
}
