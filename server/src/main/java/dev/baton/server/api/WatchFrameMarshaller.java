package dev.baton.server.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.watch.WatchFrame;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Writes a watch event's protobuf bytes that were encoded once for all the streams sending it,
 * where the generated marshaller would encode the whole WatchEvent again for every stream. The
 * bytes on the wire are those of a WatchEvent: clients see the generated WatchService unchanged.
 *
 * <p>Not a {@code PrototypeMarshaller} on purpose: Armeria then copies the stream's bytes instead of
 * encoding the message itself (and its JSON formats go through {@link PreEncodedJsonMarshaller}).
 */
final class WatchFrameMarshaller implements MethodDescriptor.Marshaller<WatchFrame> {

    static final WatchFrameMarshaller INSTANCE = new WatchFrameMarshaller();

    /** The generated Watch method with this marshaller for its responses; same name, same schema. */
    static final MethodDescriptor<WatchRequest, WatchFrame> WATCH_METHOD =
            WatchServiceGrpc.getWatchMethod().toBuilder(WatchServiceGrpc.getWatchMethod().getRequestMarshaller(),
                                                        INSTANCE).build();

    private WatchFrameMarshaller() {}

    @Override
    public InputStream stream(WatchFrame frame) {
        return new ByteArrayInputStream(frame.protobuf());
    }

    @Override
    public WatchFrame parse(InputStream stream) {
        try {
            return WatchFrame.of(WatchEvent.parseFrom(stream));
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("invalid WatchEvent bytes: " + e.getMessage())
                                 .withCause(e).asRuntimeException();
        }
    }
}
