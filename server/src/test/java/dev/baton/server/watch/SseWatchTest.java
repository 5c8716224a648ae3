package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;

/** GET /v1/watch as Server-Sent Events: JSON events, ids that are safe resume points, Last-Event-ID. */
class SseWatchTest {

    private static TestBaton baton;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void snapshotAndLiveEventsArriveAsProtobufJsonWithRevisionIds() {
        Job before = submit("before the watch");
        try (SseClient sse = SseClient.get(baton.baseUrl() + "/v1/watch?kinds=job", null)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");

            SseClient.Event event = sse.nextChange();
            boolean sawEarlierJob = false;
            while (event.watchEvent().getType() == WatchEvent.Type.SNAPSHOT) {
                assertThat(event.id()).as("a SNAPSHOT is no resume point").isNull();
                if (event.watchEvent().getJob().getId().equals(before.getId())) {
                    sawEarlierJob = true;
                    assertThat(event.data()).contains("\"title\":\"before the watch\"");
                }
                event = sse.nextChange();
            }
            assertThat(sawEarlierJob).as("the job submitted before the watch is in the snapshot").isTrue();
            SseClient.Event end = event;
            assertThat(end.watchEvent().getType()).isEqualTo(WatchEvent.Type.SNAPSHOT_END);
            assertThat(end.id()).isEqualTo(Long.toString(end.watchEvent().getRevision()));

            Job after = submit("after the snapshot");
            SseClient.Event added = sse.nextChange();
            while (!added.watchEvent().getJob().getId().equals(after.getId())) {
                added = sse.nextChange();
            }
            assertThat(added.watchEvent().getType()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(Long.parseLong(added.id())).isGreaterThan(Long.parseLong(end.id()));

            // A stream gets a bookmark at the first tick after a whole tick interval without events.
            Duration interval = baton.server().controlPlane().hub().settings().bookmarkInterval();
            baton.advance(interval);
            baton.advance(interval);
            SseClient.Event previous = added;
            SseClient.Event next = sse.next();
            while (next.watchEvent().getType() != WatchEvent.Type.BOOKMARK) {
                previous = next;
                next = sse.next();
            }
            assertThat(next.id()).as("a bookmark carries the revision of the last change").isEqualTo(previous.id());
        }
    }

    @Test
    void lastEventIdResumesRightAfterThatRevision() {
        String lastId;
        try (SseClient sse = SseClient.get(baton.baseUrl() + "/v1/watch?kinds=job", null)) {
            SseClient.Event event = sse.nextChange();
            while (event.id() == null) {
                event = sse.nextChange();
            }
            lastId = event.id();
        }
        Job first = submit("missed while away 1");
        Job second = submit("missed while away 2");

        try (SseClient resumed = SseClient.get(baton.baseUrl() + "/v1/watch?kinds=job", lastId)) {
            SseClient.Event event = resumed.nextChange();
            assertThat(event.watchEvent().getType()).as("a replay, no snapshot").isNotEqualTo(WatchEvent.Type.SNAPSHOT);
            assertThat(Long.parseLong(event.id())).as("the revision right after Last-Event-ID")
                                                  .isEqualTo(Long.parseLong(lastId) + 1);
            List<String> added = new ArrayList<>();
            while (added.size() < 2) {
                if (event.watchEvent().getType() == WatchEvent.Type.ADDED) {
                    added.add(event.watchEvent().getJob().getId());
                }
                event = resumed.nextChange();
            }
            assertThat(added).containsExactly(first.getId(), second.getId());
        }
    }

    @Test
    void lastEventIdFromAnEarlierServerLifeGetsResetThenSnapshot() {
        Job job = submit("still here after a restart");
        try (SseClient sse = SseClient.get(baton.baseUrl() + "/v1/watch?ids=" + job.getId(), "42")) {
            SseClient.Event reset = sse.nextChange();
            assertThat(reset.watchEvent().getType()).isEqualTo(WatchEvent.Type.RESET);
            assertThat(reset.id()).as("RESET is no resume point").isNull();
            assertThat(sse.nextChange().watchEvent().getJob().getId()).isEqualTo(job.getId());
            SseClient.Event end = sse.nextChange();
            assertThat(end.watchEvent().getType()).isEqualTo(WatchEvent.Type.SNAPSHOT_END);
            assertThat(end.id()).isNotNull();
        }
    }

    @Test
    void fromRevisionQueryParameterResumesLikeLastEventId() {
        long from = baton.server().controlPlane().loop().call(baton.server().controlPlane().hub()::revision).join();
        Job job = submit("after fromRevision");
        try (SseClient sse = SseClient.get(baton.baseUrl() + "/v1/watch?kinds=agent,job&fromRevision=" + from, null)) {
            SseClient.Event event = sse.nextChange();
            assertThat(event.id()).isEqualTo(Long.toString(from + 1));
            while (!event.watchEvent().getJob().getId().equals(job.getId())) {
                event = sse.nextChange();
            }
            assertThat(event.watchEvent().getType()).isEqualTo(WatchEvent.Type.ADDED);
        }
    }

    @Test
    void badQueryIsRefusedWithTheRestErrorBody() {
        Rest rest = new Rest(baton.baseUrl());
        Rest.Response kinds = rest.get("/v1/watch?kinds=widgets");
        assertThat(kinds.status()).isEqualTo(400);
        assertThat(kinds.json().get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(kinds.json().get("message").asText()).contains("widgets").contains("agent, job, engine, pool");
        assertThat(kinds.json().get("status").asInt()).isEqualTo(400);

        Rest.Response revision = rest.get("/v1/watch?fromRevision=yesterday");
        assertThat(revision.status()).isEqualTo(400);
        assertThat(revision.json().get("message").asText()).contains("fromRevision").contains("yesterday");
    }

    private static Job submit(String title) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("run").build()))
                .setRequirements(JobRequirements.newBuilder().putLabels("suite", "sse"))
                .setMetadata(StreamMetadata.newBuilder().setTitle(title))
                .build()).getJob();
    }
}
