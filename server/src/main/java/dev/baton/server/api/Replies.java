package dev.baton.server.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.ErrorMapping;
import io.grpc.stub.StreamObserver;

/** Bridges domain calls on the control loop to unary gRPC replies, mapping errors in one place. */
final class Replies {

    private Replies() {}

    /** Runs {@code call} on the loop and answers with its result or its mapped error. */
    static <T> void onLoop(ControlLoop loop, StreamObserver<T> observer, Supplier<T> call) {
        reply(loop.call(call), observer);
    }

    /** Like {@link #onLoop} for calls whose answer arrives later (a durable write, an agent's ack). */
    static <T> void onLoopAsync(ControlLoop loop, StreamObserver<T> observer, Supplier<CompletableFuture<T>> call) {
        reply(loop.callAsync(call), observer);
    }

    static <T> void reply(CompletableFuture<T> result, StreamObserver<T> observer) {
        result.whenComplete((value, error) -> {
            if (error != null) {
                observer.onError(ErrorMapping.toException(error));
            } else {
                observer.onNext(value);
                observer.onCompleted();
            }
        });
    }
}
