package dev.baton.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;

/**
 * A service's JSON marshaller (REST transcoding, unframed and gRPC-Web JSON), built on another
 * thread instead of before the port opens. Building one generates code for every message type of
 * the service; for Baton's services that was the largest part of start-up after the JVM's own.
 * Native gRPC never needs it; the first JSON call waits until it is built.
 */
final class DeferredJsonMarshaller implements GrpcJsonMarshaller {

    private final CompletableFuture<GrpcJsonMarshaller> built;

    DeferredJsonMarshaller(Supplier<GrpcJsonMarshaller> build, Executor executor) {
        CompletableFuture<GrpcJsonMarshaller> future;
        try {
            future = CompletableFuture.supplyAsync(build, executor);
        } catch (RejectedExecutionException e) {
            future = CompletableFuture.completedFuture(build.get()); // asked for after start-up: build it here
        }
        this.built = future;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        built.join().serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        return built.join().deserializeMessage(marshaller, is);
    }
}
