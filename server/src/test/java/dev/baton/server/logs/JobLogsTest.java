package dev.baton.server.logs;

import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDERR;
import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDOUT;
import static dev.baton.server.logs.LogTraffic.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;

/** Agents' log lines over the real agent stream, read back over REST; limits on virtual time. */
class JobLogsTest {

    static final int TAIL_BYTES = 16 * 1024;
    static final int RATE = 64 * 1024;

    static TestBaton baton;
    static Rest rest;

    @BeforeAll
    static void start() {
        baton = TestBaton.start(b -> b.logs(l -> l.tailBytes(TAIL_BYTES).maxLineBytes(1024).agentBytesPerSecond(RATE)));
        rest = new Rest(baton.baseUrl());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void linesOfBothStreamsAreReadableInOrderWithFilters() {
        try (SimulatedAgent agent = baton.agent("order-agent", 1)) {
            Assign assign = runJob(agent);
            String id = assign.getJobId();
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "out 1", "out 2"));
            agent.send(chunk(id, 1, 2, LOG_STREAM_STDERR, "err 1"));
            agent.send(chunk(id, 1, 3, LOG_STREAM_STDOUT, "out 3"));
            JsonNode all = awaitLines(id, 4);

            assertThat(texts(all)).containsExactly("out 1", "out 2", "err 1", "out 3");
            assertThat(all.get("lines").get(2).get("stream").asText()).isEqualTo("LOG_STREAM_STDERR");
            assertThat(all.get("lines").get(3).get("seq").asLong()).isEqualTo(4);
            assertThat(all.get("attemptEnded").asBoolean()).isFalse();
            assertThat(texts(rest.get("/v1/jobs/" + id + "/logs?stream=stderr").json())).containsExactly("err 1");
            assertThat(texts(rest.get("/v1/jobs/" + id + "/logs?tail=2").json())).containsExactly("err 1", "out 3");
            assertThat(texts(rest.get("/v1/jobs/" + id + "/logs?sinceSeq=1&limit=2").json()))
                    .containsExactly("out 2", "err 1");
            assertThat(texts(rest.get("/v1/jobs/" + id + "/logs?attempt=1&stream=stdout").json()))
                    .containsExactly("out 1", "out 2", "out 3");

            agent.update(id, 1, Job.Status.STOPPED);
            baton.awaitStatus(id, Job.Status.STOPPED);
            JsonNode ended = rest.get("/v1/jobs/" + id + "/logs").json();
            assertThat(ended.get("attemptEnded").asBoolean()).isTrue();
            assertThat(texts(ended)).containsExactly("out 1", "out 2", "err 1", "out 3");
        }
    }

    @Test
    void aRepeatedChunkSequenceIsDroppedAsADuplicate() {
        try (SimulatedAgent agent = baton.agent("dup-agent", 1)) {
            String id = runJob(agent).getJobId();
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "first"));
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "first again (resent)"));
            agent.send(chunk(id, 1, 2, LOG_STREAM_STDOUT, "second"));

            assertThat(texts(awaitLines(id, 2))).containsExactly("first", "second");
        }
    }

    @Test
    void linesForAStaleAttemptOrAJobTheAgentDoesNotHoldAreRefused() {
        try (SimulatedAgent holder = baton.agent("holder", 1)) {
            String id = runJob(holder).getJobId();
            try (SimulatedAgent other = baton.agent("intruder", 1)) {
                other.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "not mine"));
                assertThat(other.next(ServerMessage.MsgCase.ERROR).getError().getCode()).isEqualTo("STALE_ATTEMPT");
                other.send(chunk("no-such-job", 1, 1, LOG_STREAM_STDOUT, "who?"));
                assertThat(other.next(ServerMessage.MsgCase.ERROR).getError().getCode()).isEqualTo("UNKNOWN_JOB");
            }
            holder.send(chunk(id, 2, 1, LOG_STREAM_STDOUT, "a future attempt"));
            assertThat(holder.next(ServerMessage.MsgCase.ERROR).getError().getCode()).isEqualTo("STALE_ATTEMPT");
            holder.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "mine"));

            assertThat(texts(awaitLines(id, 1))).containsExactly("mine");
        }
    }

    @Test
    void aFloodBeyondTheRateIsDroppedWithAMarkerAndTheTailStaysWithinItsCap() {
        double droppedBefore = LogTraffic.linesCounted(rest, "rate_limited");
        double storedBefore = LogTraffic.linesCounted(rest, "stored");
        try (SimulatedAgent agent = baton.agent("flood-agent", 1)) {
            String id = runJob(agent).getJobId();
            String payload = "x".repeat(100);
            int chunks = 40;
            int perChunk = 100; // 4,000 lines of 132 charged bytes: twice the 4-second burst of 256 KiB
            for (int c = 1; c <= chunks; c++) {
                int first = (c - 1) * perChunk;
                agent.send(chunk(id, 1, c, LOG_STREAM_STDOUT,
                                 IntStream.range(first, first + perChunk).mapToObj(i -> i + " " + payload)
                                          .toArray(String[]::new)));
            }
            long burst = 4L * RATE;
            long admitted = burst / (LogLimits.LINE_OVERHEAD_BYTES + 104); // "NNNN " + payload, mostly 104 bytes
            Eventually.await("every line of the flood counted", () -> LogTraffic.linesCounted(rest, "rate_limited")
                    - droppedBefore + LogTraffic.linesCounted(rest, "stored") - storedBefore == chunks * perChunk);
            JsonNode flooded = rest.get("/v1/jobs/" + id + "/logs").json();
            assertThat(flooded.get("retainedBytes").asLong()).isPositive().isLessThanOrEqualTo(TAIL_BYTES);

            // After a pause the agent's budget refills: the next line comes after a marker counting the loss.
            baton.advance(java.time.Duration.ofSeconds(10));
            agent.send(chunk(id, 1, chunks + 1, LOG_STREAM_STDOUT, "after the flood"));
            JsonNode after = Eventually.await("the line after the flood", () -> rest.get("/v1/jobs/" + id + "/logs").json(),
                                              json -> texts(json).contains("after the flood"));
            List<String> texts = texts(after);
            String marker = texts.get(texts.size() - 2);
            long dropped = (long) (LogTraffic.linesCounted(rest, "rate_limited") - droppedBefore);
            assertThat(marker).isEqualTo("… " + dropped + " lines dropped (the agent exceeded LOG_RATE_KIB_PER_S)");
            assertThat(after.get("lines").get(texts.size() - 2).get("stream").asText()).isEqualTo("LOG_STREAM_BATON");
            assertThat(after.get("retainedBytes").asLong()).isLessThanOrEqualTo(TAIL_BYTES);
            assertThat(dropped).isBetween((long) chunks * perChunk - admitted - 100, (long) chunks * perChunk - admitted + 100);
        }
    }

    @Test
    void longLinesAreCutAndInvalidUtf8IsReplaced() {
        try (SimulatedAgent agent = baton.agent("bytes-agent", 1)) {
            String id = runJob(agent).getJobId();
            byte[] invalid = {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF};
            byte[] longLine = ("é".repeat(600) + "end").getBytes(StandardCharsets.UTF_8); // 1,203 bytes
            agent.send(LogTraffic.bytesChunk(id, 1, 1, LOG_STREAM_STDOUT, List.of(invalid, longLine)));
            List<String> texts = texts(awaitLines(id, 2));

            assertThat(texts.get(0)).isEqualTo("ok \uFFFD( \uFFFD");
            assertThat(texts.get(1)).startsWith("é".repeat(512)).doesNotContain("end")
                                    .endsWith(" … [line cut: 179 more bytes]");
        }
    }

    @Test
    void unknownJobIs404AndBadParametersAre400NamingTheParameter() {
        assertThat(rest.get("/v1/jobs/nope/logs").status()).isEqualTo(404);
        try (SimulatedAgent agent = baton.agent("params-agent", 1)) {
            String id = runJob(agent).getJobId();
            assertError("/v1/jobs/" + id + "/logs?stream=stdin", "stream: \"stdin\" (expected: stdout or stderr)");
            assertError("/v1/jobs/" + id + "/logs?attempt=3", "attempt: 3 (expected: 1 to 1, the job's attempts)");
            assertError("/v1/jobs/" + id + "/logs?tail=-1", "tail: -1 (expected: 0 or more)");
            assertError("/v1/jobs/" + id + "/logs?tail=1&limit=1", "tail: 1, limit: 1 (expected: only one of them)");
            assertError("/v1/jobs/" + id + "/logs?tail=many", "tail: \"many\" (expected: a whole number)");
            assertError("/v1/jobs/" + id + "/logs?attempt=99999999999", "attempt: \"99999999999\" (expected: a whole number)");
        }
    }

    private static void assertError(String path, String message) {
        Rest.Response response = rest.get(path);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(response.json().get("message").asText()).isEqualTo(message);
    }

    static Assign runJob(SimulatedAgent agent) {
        String id = runJobOn(baton, rest, agent);
        return Assign.newBuilder().setJobId(id).setAttempt(1).build();
    }

    /** Submits a job and has {@code agent} (its only free agent) run it; the job's id. */
    static String runJobOn(TestBaton baton, Rest rest, SimulatedAgent agent) {
        String id = rest.post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"x\"]}}").json().get("id").asText();
        Assign assign = agent.acceptAndRun();
        assertThat(assign.getJobId()).isEqualTo(id);
        baton.awaitStatus(id, Job.Status.RUNNING);
        return id;
    }

    static JsonNode awaitLines(String id, int count) {
        return awaitLines(rest, id, count);
    }

    static JsonNode awaitLines(Rest rest, String id, int count) {
        return Eventually.await(count + " lines of job " + id, () -> rest.get("/v1/jobs/" + id + "/logs").json(),
                                json -> json.get("lines").size() >= count);
    }

    static List<String> texts(JsonNode response) {
        List<String> texts = new ArrayList<>();
        response.get("lines").forEach(line -> texts.add(line.get("text").asText()));
        return texts;
    }
}
