package dev.baton.server.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/** A gRPC watcher that reads everything the server sends, so a test can look at it in order. */
final class WatchClient implements AutoCloseable {

    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<WatchRequest> call;

    private WatchClient(WatchServiceGrpc.WatchServiceStub stub, WatchRequest request) {
        stub.watch(request, new ClientResponseObserver<WatchRequest, WatchEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                call = requestStream;
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

    static WatchClient open(Channel channel, WatchRequest request) {
        return new WatchClient(WatchServiceGrpc.newStub(channel), request);
    }

    /** Over any stub, e.g. Armeria's gRPC-Web client. */
    static WatchClient open(WatchServiceGrpc.WatchServiceStub stub, WatchRequest request) {
        return new WatchClient(stub, request);
    }

    static WatchClient open(Channel channel) {
        return open(channel, WatchRequest.getDefaultInstance());
    }

    static WatchClient resume(Channel channel, long fromRevision) {
        return open(channel, WatchRequest.newBuilder().setFromRevision(fromRevision).build());
    }

    /** The next event; fails after 20 s. */
    WatchEvent next() {
        try {
            WatchEvent event = events.poll(20, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no watch event within 20 s (stream closed: " + closed.getNow(null) + ")");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event that is not a BOOKMARK (bookmarks may come at any idle moment). */
    WatchEvent nextChange() {
        while (true) {
            WatchEvent event = next();
            if (event.getType() != WatchEvent.Type.BOOKMARK) {
                return event;
            }
        }
    }

    /** Every event up to and including SNAPSHOT_END. */
    List<WatchEvent> untilSnapshotEnd() {
        List<WatchEvent> result = new ArrayList<>();
        while (true) {
            WatchEvent event = nextChange();
            result.add(event);
            if (event.getType() == WatchEvent.Type.SNAPSHOT_END) {
                return result;
            }
        }
    }

    /** Events received and not read yet. */
    List<WatchEvent> received() {
        List<WatchEvent> result = new ArrayList<>();
        events.drainTo(result);
        return result;
    }

    Status awaitClosed() {
        try {
            return closed.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("watch stream not closed within 20 s", e);
        }
    }

    @Override
    public void close() {
        call.cancel("test done", null);
    }
}
