package dev.baton.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.curioswitch.common.protobuf.json.MessageMarshaller;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * The JSON marshaller of every service (REST transcoding, unframed and gRPC-Web JSON): one for
 * all of them, built on a thread of its own once the services are known, not before the port
 * opens. Building one generates code for every message type it reaches; Armeria's default builds
 * one per service, so the types most services share (Job, Agent, their parts) were generated once
 * per service, and that was the largest part of start-up after the JVM's own. Native gRPC never
 * needs it; a JSON call that arrives before it is built waits for it.
 */
final class JsonMarshaller implements GrpcJsonMarshaller {

    private final List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    private final CompletableFuture<MessageMarshaller> built = new CompletableFuture<>();

    /** Registers {@code service}'s messages (Armeria asks while it builds the gRPC service) and answers this. */
    synchronized GrpcJsonMarshaller of(ServiceDescriptor service) {
        if (built.isDone()) {
            throw new IllegalStateException("JSON marshaller asked for " + service.getName() + " after it was built");
        }
        methods.addAll(service.getMethods());
        return this;
    }

    /** Builds it on a daemon thread from every service registered so far. */
    synchronized void buildInBackground() {
        List<MethodDescriptor<?, ?>> all = List.copyOf(methods);
        Thread thread = new Thread(() -> {
            try {
                built.complete(build(all));
            } catch (Throwable t) {
                built.completeExceptionally(t);
            }
        }, "baton-json-marshaller");
        thread.setDaemon(true);
        thread.start();
    }

    /** As Armeria's GrpcJsonMarshaller builds it (compact, unknown fields ignored), for all the methods at once. */
    private static MessageMarshaller build(List<MethodDescriptor<?, ?>> methods) {
        MessageMarshaller.Builder builder = MessageMarshaller.builder().omittingInsignificantWhitespace(true)
                                                             .ignoringUnknownFields(true)
                                                             // Every field shown, zero values included, so REST
                                                             // clients see a stable shape ("attempt": 0).
                                                             .includingDefaultValueFields(true);
        for (MethodDescriptor<?, ?> method : methods) {
            for (MethodDescriptor.Marshaller<?> marshaller : List.of(method.getRequestMarshaller(),
                                                                      method.getResponseMarshaller())) {
                if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> prototyped
                    && prototyped.getMessagePrototype() instanceof Message prototype) {
                    builder.register(prototype);
                }
            }
        }
        return builder.build();
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        built.join().writeValue((Message) message, os);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<T>) marshaller).getMessagePrototype();
        Message.Builder builder = prototype.newBuilderForType();
        built.join().mergeValue(is, builder);
        return (T) builder.build();
    }
}
