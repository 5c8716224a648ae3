package dev.baton.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.curioswitch.common.protobuf.json.MessageMarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * The JSON marshaller of every service (REST transcoding, unframed and gRPC-Web JSON): one for
 * all of them, built on a thread of its own once JSON is in real use ({@value #BUILD_AFTER} messages),
 * not on the start-up path and not for a readiness probe (a server only agents talk to never builds
 * it; on two cores the build, about half a second of CPU, slowed the first answers after a start
 * down). Building one generates code for every message type it reaches; Armeria's default builds
 * one per service, so the types most services share (Job, Agent, their parts) were generated once
 * per service, and that was the largest part of start-up after the JVM's own. Native gRPC never
 * needs it. A JSON call that arrives before it is built (or if building failed) goes through
 * protobuf's own JSON printer and parser instead, with the same options: slower per message, but
 * nothing to build, so the API answers JSON from the moment the port opens instead of waiting a
 * second or two for code generation on a busy start-up.
 */
final class JsonMarshaller implements GrpcJsonMarshaller {

    private static final Logger log = LoggerFactory.getLogger(JsonMarshaller.class);

    /** The generated marshaller's output: compact, every field without presence printed (zero values too). */
    private static final JsonFormat.Printer FALLBACK_PRINTER =
            JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser FALLBACK_PARSER = JsonFormat.parser().ignoringUnknownFields();

    /** JSON messages written or read with protobuf's JSON format before the generated marshaller is built. */
    static final int BUILD_AFTER = 64;

    private final List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    private final CompletableFuture<MessageMarshaller> built = new CompletableFuture<>();
    private final Executor builder;
    private final AtomicInteger beforeBuild = new AtomicInteger();
    private boolean building;

    /** Builds on a daemon thread of its own. */
    JsonMarshaller() {
        this(task -> {
            Thread thread = new Thread(task, "baton-json-marshaller");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Builds on {@code builder} (tests hold the build back to see the fallback answer). */
    JsonMarshaller(Executor builder) {
        this.builder = builder;
    }

    /** Registers {@code service}'s messages (Armeria asks while it builds the gRPC service) and answers this. */
    synchronized GrpcJsonMarshaller of(ServiceDescriptor service) {
        if (building) {
            throw new IllegalStateException("JSON marshaller asked for " + service.getName() + " after it was built");
        }
        methods.addAll(service.getMethods());
        return this;
    }

    /** Builds it on a daemon thread from every service registered so far (once; later calls do nothing). */
    synchronized void buildInBackground() {
        if (building) {
            return;
        }
        building = true;
        List<MethodDescriptor<?, ?>> all = List.copyOf(methods);
        builder.execute(() -> {
            try {
                built.complete(build(all));
            } catch (Throwable t) {
                log.warn("event=json-marshaller-build-failed: JSON calls keep using protobuf's JSON format", t);
                built.completeExceptionally(t);
            }
        });
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

    /** True once the generated marshaller serves; the {@value #BUILD_AFTER}th message without it starts building it. */
    boolean ready() {
        if (built.isDone()) {
            return !built.isCompletedExceptionally();
        }
        if (beforeBuild.incrementAndGet() >= BUILD_AFTER) {
            buildInBackground();
        }
        return false;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        if (ready()) {
            built.join().writeValue((Message) message, os);
        } else {
            os.write(FALLBACK_PRINTER.print((Message) message).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<T>) marshaller).getMessagePrototype();
        Message.Builder builder = prototype.newBuilderForType();
        if (ready()) {
            built.join().mergeValue(is, builder);
        } else {
            FALLBACK_PARSER.merge(new InputStreamReader(is, StandardCharsets.UTF_8), builder);
        }
        return (T) builder.build();
    }
}
