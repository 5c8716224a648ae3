package dev.baton.bench.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.ServerStatus;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;

/** Asks the server what it thinks: counts of jobs by status and agents by state (SystemService.GetStatus). */
public final class ServerProbe {

    private final ManagedChannel channel;

    public ServerProbe(ManagedChannel channel) {
        this.channel = channel;
    }

    public ServerStatus status() {
        return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                                .getStatus(GetStatusRequest.getDefaultInstance());
    }

    public Map<String, Integer> jobs() {
        return status().getJobsByStatusMap();
    }

    public int jobs(String status) {
        return jobs().getOrDefault(status, 0);
    }

    /** Polls every 50 ms until {@code condition} holds; returns the last status either way. */
    public ServerStatus await(Predicate<ServerStatus> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ServerStatus status = status();
        while (!condition.test(status) && System.nanoTime() - deadline < 0) {
            sleepMillis(50);
            status = status();
        }
        return status;
    }

    /** False when the server answers UNIMPLEMENTED to a watch (the stream is not on this build). */
    public boolean watchAvailable() {
        java.util.concurrent.CompletableFuture<Boolean> answer = new java.util.concurrent.CompletableFuture<>();
        WatchServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).watch(
                WatchRequest.getDefaultInstance(),
                new io.grpc.stub.ClientResponseObserver<WatchRequest, dev.baton.proto.v1.WatchEvent>() {
                    private io.grpc.stub.ClientCallStreamObserver<WatchRequest> call;

                    @Override
                    public void beforeStart(io.grpc.stub.ClientCallStreamObserver<WatchRequest> requestStream) {
                        call = requestStream;
                    }

                    @Override
                    public void onNext(dev.baton.proto.v1.WatchEvent value) {
                        answer.complete(true);
                        call.cancel("probe done", null);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.complete(Status.fromThrowable(t).getCode() != Status.Code.UNIMPLEMENTED);
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(true);
                    }
                });
        try {
            return answer.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
