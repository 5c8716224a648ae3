package dev.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.testing.TestBaton;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * MAX_STREAMS_PER_CONNECTION: the server advertises it as HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS, so one
 * connection cannot hold more calls open at once; a further call waits for a free stream (it is not
 * refused), and other connections are not affected.
 */
class StreamsPerConnectionTest {

    @Test
    void aConnectionHoldsAtMostTheConfiguredNumberOfOpenCalls() throws Exception {
        try (TestBaton baton = TestBaton.start(b -> b.maxStreamsPerConnection(2))) {
            Context.CancellableContext first = Context.current().withCancellation();
            Context.CancellableContext second = Context.current().withCancellation();
            CountDownLatch open = new CountDownLatch(2);
            first.run(() -> watch(baton, open));
            second.run(() -> watch(baton, open));
            assertThat(open.await(20, TimeUnit.SECONDS)).as("both watches hold a stream").isTrue();

            assertThatThrownBy(() -> status(baton.channel(), 1))
                    .as("a third call on the same connection waits for a free stream")
                    .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                            .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            ManagedChannel other = ManagedChannelBuilder.forAddress("127.0.0.1", baton.port()).usePlaintext().build();
            try {
                assertThat(status(other, 20).getVersion()).as("another connection is not affected").isNotEmpty();
            } finally {
                other.shutdownNow();
            }

            first.cancel(null);
            assertThat(status(baton.channel(), 20).getVersion()).as("once a stream is free").isNotEmpty();
            second.cancel(null);
        }
    }

    /** Opens a watch; {@code open} counts down once its snapshot arrived, so the stream is held. */
    private static void watch(TestBaton baton, CountDownLatch open) {
        WatchServiceGrpc.newStub(baton.channel()).watch(WatchRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(WatchEvent event) {
                if (event.getType() == WatchEvent.Type.SNAPSHOT_END) {
                    open.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        });
    }

    private static dev.baton.proto.v1.ServerStatus status(ManagedChannel channel, int seconds) {
        return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(seconds, TimeUnit.SECONDS)
                                .getStatus(GetStatusRequest.getDefaultInstance());
    }
}
