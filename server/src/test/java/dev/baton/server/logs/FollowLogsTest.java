package dev.baton.server.logs;

import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDERR;
import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDOUT;
import static dev.baton.server.logs.LogTraffic.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.LogServiceGrpc;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.watch.SseClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** FollowLogs over gRPC and as Server-Sent Events: the retained tail, then live lines, then the end. */
class FollowLogsTest {

    static TestBaton baton;
    static Rest rest;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
        rest = new Rest(baton.baseUrl());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void grpcFollowerGetsTheTailThenLiveLinesInOrderAndEndsWithTheAttempt() throws Exception {
        try (SimulatedAgent agent = baton.agent("grpc-follow", 1)) {
            String id = JobLogsTest.runJobOn(baton, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "before 1", "before 2"));
            JobLogsTest.awaitLines(rest, id, 2);
            Follower follower = new Follower();
            LogServiceGrpc.newStub(baton.channel()).followLogs(FollowLogsRequest.newBuilder().setId(id).build(),
                                                                follower);
            assertThat(follower.nextTexts()).containsExactly("before 1", "before 2");

            List<String> live = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                agent.send(chunk(id, 1, 1 + i, i % 2 == 0 ? LOG_STREAM_STDOUT : LOG_STREAM_STDERR, "live " + i));
                live.add("live " + i);
            }
            List<String> received = new ArrayList<>();
            while (received.size() < live.size()) {
                received.addAll(follower.nextTexts());
            }
            assertThat(received).containsExactlyElementsOf(live);

            agent.update(id, 1, Job.Status.STOPPED);
            FollowLogsResponse last = follower.next();
            assertThat(last.getAttemptEnded()).isTrue();
            assertThat(last.getAttempt()).isEqualTo(1);
            assertThat(follower.completed.get(20, TimeUnit.SECONDS)).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void followingAnEndedAttemptSendsItsTailAndEnds() throws Exception {
        try (SimulatedAgent agent = baton.agent("ended-follow", 1)) {
            String id = JobLogsTest.runJobOn(baton, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDERR, "boom"));
            agent.fail(id, 1, "crashed", 2);
            baton.awaitStatus(id, Job.Status.FAILED);
            Follower follower = new Follower();
            LogServiceGrpc.newStub(baton.channel()).followLogs(
                    FollowLogsRequest.newBuilder().setId(id).setStream("stderr").build(), follower);

            assertThat(follower.nextTexts()).containsExactly("boom");
            assertThat(follower.next().getAttemptEnded()).isTrue();
            assertThat(follower.completed.get(20, TimeUnit.SECONDS)).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void followingAnUnknownJobFailsWithNotFound() throws Exception {
        Follower follower = new Follower();
        LogServiceGrpc.newStub(baton.channel()).followLogs(FollowLogsRequest.newBuilder().setId("nope").build(),
                                                            follower);
        assertThat(follower.completed.get(20, TimeUnit.SECONDS)).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void sseFollowerGetsLinesWithTheirSeqAsEventIdsAndAnEndEvent() {
        try (SimulatedAgent agent = baton.agent("sse-follow", 1)) {
            String id = JobLogsTest.runJobOn(baton, rest, agent);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "one", "two"));
            JobLogsTest.awaitLines(rest, id, 2);
            try (SseClient sse = SseClient.get(baton.baseUrl() + "/v1/jobs/" + id + "/logs/follow?tail=1", null)) {
                assertThat(sse.status()).isEqualTo(200);
                SseClient.Event two = sse.next();
                assertThat(two.id()).isEqualTo("2");
                assertThat(text(two)).isEqualTo("two");

                agent.send(chunk(id, 1, 2, LOG_STREAM_STDOUT, "three"));
                SseClient.Event three = sse.next();
                assertThat(three.id()).isEqualTo("3");
                assertThat(text(three)).isEqualTo("three");

                agent.update(id, 1, Job.Status.STOPPED);
                SseClient.Event end = sse.next();
                assertThat(end.name()).isEqualTo("end");
                assertThat(end.data()).isEqualTo("{\"attempt\":1}");
            }
            // A browser's reconnect resumes after the last event it got.
            try (SseClient resumed = SseClient.get(baton.baseUrl() + "/v1/jobs/" + id + "/logs/follow", "2")) {
                assertThat(text(resumed.next())).isEqualTo("three");
                assertThat(resumed.next().name()).isEqualTo("end");
            }
        }
    }

    @Test
    void sseErrorsAreJsonWithTheMatchingStatus() {
        Rest.Response missing = rest.get("/v1/jobs/nope/logs/follow");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).isEqualTo("job \"nope\" not found");
        Rest.Response bad = rest.get("/v1/jobs/nope/logs/follow?tail=x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).isEqualTo("tail: \"x\" (expected: a whole number)");
    }

    private static String text(SseClient.Event event) {
        try {
            return new ObjectMapper().readTree(event.data()).get("text").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Collects a FollowLogs stream. */
    static final class Follower implements StreamObserver<FollowLogsResponse> {
        final BlockingQueue<FollowLogsResponse> responses = new LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<Status.Code> completed = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void onNext(FollowLogsResponse value) {
            responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
            completed.complete(Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            completed.complete(Status.Code.OK);
        }

        FollowLogsResponse next() throws InterruptedException {
            FollowLogsResponse response = responses.poll(20, TimeUnit.SECONDS);
            if (response == null) {
                throw new AssertionError("no FollowLogs message within 20 s (ended: " + completed.getNow(null) + ")");
            }
            return response;
        }

        List<String> nextTexts() throws InterruptedException {
            return next().getLinesList().stream().map(dev.baton.proto.v1.LogLine::getText).toList();
        }
    }
}
