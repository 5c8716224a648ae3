package dev.baton.server.logs;

import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDERR;
import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDOUT;
import static dev.baton.server.logs.LogTraffic.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.RunningJob;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/** Tails live in SQLite: they survive a restart of Baton, and a running attempt continues its numbering. */
class LogTailRestartTest {

    @Test
    void theTailOfAFailedJobIsStillThereAfterARestart(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        String id;
        try (TestBaton first = TestBaton.start(dir, b -> { }, time);
             SimulatedAgent agent = first.agent("a1", 1)) {
            Rest rest = new Rest(first.baseUrl());
            id = JobLogsTest.runJobOn(first, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "opening input"));
            agent.send(chunk(id, 1, 2, LOG_STREAM_STDERR, "cannot open input", "giving up"));
            JobLogsTest.awaitLines(rest, id, 3);
            agent.fail(id, 1, "exit code 3", 3);
            first.awaitStatus(id, Job.Status.FAILED);
        }
        try (TestBaton second = TestBaton.start(dir, b -> { }, time)) {
            JsonNode logs = new Rest(second.baseUrl()).get("/v1/jobs/" + id + "/logs").json();

            assertThat(JobLogsTest.texts(logs)).containsExactly("opening input", "cannot open input", "giving up");
            assertThat(logs.get("attemptEnded").asBoolean()).isTrue();
            assertThat(logs.get("lastSeq").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aRunningAttemptFlushedPeriodicallyContinuesItsSeqAfterARestart(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        String id;
        try (TestBaton first = TestBaton.start(dir, b -> b.logs(l -> l.flushInterval(Duration.ofSeconds(2))), time);
             SimulatedAgent agent = first.agent("a1", 1)) {
            Rest rest = new Rest(first.baseUrl());
            id = JobLogsTest.runJobOn(first, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "line 1", "line 2"));
            JobLogsTest.awaitLines(rest, id, 2);
            first.advanceKeepingAlive(Duration.ofSeconds(3), agent);
        }
        try (TestBaton second = TestBaton.start(dir, b -> { }, time);
             SimulatedAgent agent = second.agent("a1", 1, java.util.Map.of(), RunningJob.newBuilder().setJobId(id)
                     .setAttempt(1).setStatus(Job.Status.RUNNING).build())) {
            Rest rest = new Rest(second.baseUrl());
            second.awaitStatus(id, Job.Status.RUNNING);
            agent.send(chunk(id, 1, 2, LOG_STREAM_STDOUT, "line 3"));
            JsonNode logs = JobLogsTest.awaitLines(rest, id, 3);

            assertThat(JobLogsTest.texts(logs)).containsExactly("line 1", "line 2", "line 3");
            assertThat(logs.get("lines").get(2).get("seq").asLong()).isEqualTo(3);
        }
    }

    @Test
    void storedTailsOlderThanTheRetentionAreDeleted(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        try (TestBaton baton = TestBaton.start(dir, b -> b.logs(l -> l.retention(Duration.ofMinutes(5))), time);
             SimulatedAgent agent = baton.agent("a1", 1)) {
            Rest rest = new Rest(baton.baseUrl());
            String id = JobLogsTest.runJobOn(baton, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "soon forgotten"));
            JobLogsTest.awaitLines(rest, id, 1);
            agent.update(id, 1, Job.Status.STOPPED);
            baton.awaitStatus(id, Job.Status.STOPPED);
            assertThat(JobLogsTest.texts(rest.get("/v1/jobs/" + id + "/logs").json())).containsExactly("soon forgotten");

            // Past the retention and a sweep. The ended attempt's last batch is written behind, so it
            // may reach the store after a sweep ran: every poll moves past one more sweep.
            JsonNode expired = dev.baton.server.testing.Eventually.await("the tail expired", () -> {
                baton.advance(Duration.ofMinutes(11));
                return rest.get("/v1/jobs/" + id + "/logs").json();
            }, json -> json.get("lines").isEmpty());
            assertThat(expired.get("attemptEnded").asBoolean()).isTrue();
        }
    }
}
