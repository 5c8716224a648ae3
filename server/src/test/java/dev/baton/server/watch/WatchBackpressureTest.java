package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.TestBaton;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * A watcher that stops reading is cut off with RESOURCE_EXHAUSTED once its bounded queue is full,
 * while the control loop and the other watchers carry on; a stopping server ends watches with a
 * way to resume.
 */
class WatchBackpressureTest {

    private static final int QUEUE = 20;
    private static TestBaton baton;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
        WatchHub hub = baton.server().controlPlane().hub();
        hub.settings(hub.settings().toBuilder().watcherQueueCapacity(QUEUE).build());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void stalledWatcherIsCutOffWhileAnotherKeepsReceiving() {
        // A small HTTP/2 window and no reads: the server soon sees the call not ready.
        ManagedChannel tight = NettyChannelBuilder.forAddress("127.0.0.1", baton.port()).usePlaintext()
                                                  .flowControlWindow(32 * 1024).build();
        WatchHub hub = baton.server().controlPlane().hub();
        int others = hub.watcherCount(); // the server's own watchers (e.g. the engines' agent follower)
        StalledWatcher stalled = new StalledWatcher(tight);
        try (WatchClient healthy = WatchClient.open(baton.channel())) {
            stalled.firstEvent();
            healthy.untilSnapshotEnd();
            Eventually.await("both watchers subscribed", () -> hub.watcherCount() == others + 2);

            Set<String> submitted = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                submitted.add(submitLargeJob(i));
            }
            Eventually.await("the stalled watcher cut off, the healthy one still subscribed",
                             () -> hub.watcherCount() == others + 1);

            Set<String> seenByHealthy = new HashSet<>();
            while (!seenByHealthy.containsAll(submitted)) {
                WatchEvent event = healthy.nextChange();
                if (event.getType() == WatchEvent.Type.ADDED) {
                    seenByHealthy.add(event.getJob().getId());
                }
            }

            stalled.readEverything();
            Status status = stalled.awaitClosed();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("more than " + QUEUE + " events");
            long resumeFrom = resumeRevision(status.getDescription());
            assertThat(resumeFrom).as("the revision of the last event the client received")
                                  .isEqualTo(stalled.lastRevision());

            try (WatchClient resumed = WatchClient.resume(baton.channel(), resumeFrom)) {
                assertThat(resumed.nextChange().getRevision()).isEqualTo(resumeFrom + 1);
            }
        } finally {
            tight.shutdownNow();
        }
    }

    @Test
    void stoppingServerEndsWatchesWithUnavailableAndTheRevisionToResumeFrom() {
        TestBaton stopping = TestBaton.start();
        ManagedChannel own = NettyChannelBuilder.forAddress("127.0.0.1", stopping.port()).usePlaintext().build();
        try {
            WatchClient watch = WatchClient.open(own);
            List<WatchEvent> snapshot = watch.untilSnapshotEnd();
            long revision = snapshot.get(snapshot.size() - 1).getRevision();
            stopping.server().close();
            Status status = watch.awaitClosed();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("server shutting down")
                                               .contains("fromRevision=" + revision);
        } finally {
            own.shutdownNow();
            stopping.close();
        }
    }

    private static String submitLargeJob(int i) {
        // About 2 KiB per event, so a few dozen events fill the client's flow-control window.
        Struct config = Struct.newBuilder()
                              .putFields("padding", Value.newBuilder().setStringValue("x".repeat(2048)).build())
                              .build();
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(config)
                .setRequirements(JobRequirements.newBuilder().putLabels("suite", "nobody-" + i)).build())
                    .getJob().getId();
    }

    private static long resumeRevision(String message) {
        Matcher m = Pattern.compile("fromRevision=(\\d+)").matcher(message);
        assertThat(m.find()).as("a revision to resume from in: %s", message).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Asks for one message, then reads nothing until told to. */
    private static final class StalledWatcher {
        private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> closed = new CompletableFuture<>();
        private volatile ClientCallStreamObserver<WatchRequest> call;
        private long lastRevision = -1;

        StalledWatcher(ManagedChannel channel) {
            WatchServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(),
                                                    new ClientResponseObserver<WatchRequest, WatchEvent>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                    call = requestStream;
                    requestStream.disableAutoRequestWithInitial(1);
                }

                @Override
                public void onNext(WatchEvent event) {
                    events.add(event);
                }

                @Override
                public void onError(Throwable t) {
                    closed.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    closed.complete(Status.OK);
                }
            });
        }

        void firstEvent() {
            try {
                assertThat(events.poll(20, TimeUnit.SECONDS)).as("first event").isNotNull();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void readEverything() {
            call.request(Integer.MAX_VALUE);
        }

        Status awaitClosed() {
            Status status = closed.orTimeout(20, TimeUnit.SECONDS).join();
            for (WatchEvent event : events) {
                if (event.getType() != WatchEvent.Type.SNAPSHOT && event.getType() != WatchEvent.Type.RESET) {
                    lastRevision = event.getRevision();
                }
            }
            return status;
        }

        long lastRevision() {
            return lastRevision;
        }
    }
}
