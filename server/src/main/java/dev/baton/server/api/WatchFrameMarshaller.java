package dev.baton.server.api;

import java.io.IOException;
import java.io.InputStream;

import com.google.protobuf.Message;

import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * The responses of the Watch method as any protobuf {@link Message}, so that the endpoint can send
 * {@link EncodedWatchEvent}s (bytes encoded once per event) where the generated marshaller would
 * take only WatchEvents and encode each again per stream. The bytes on the wire are those of a
 * WatchEvent: clients use the generated WatchService unchanged.
 */
final class WatchFrameMarshaller implements MethodDescriptor.PrototypeMarshaller<Message> {

    private static final WatchFrameMarshaller INSTANCE = new WatchFrameMarshaller();

    /** The generated Watch method with this marshaller for its responses; same name, same schema. */
    static final MethodDescriptor<WatchRequest, Message> WATCH_METHOD =
            WatchServiceGrpc.getWatchMethod().toBuilder(WatchServiceGrpc.getWatchMethod().getRequestMarshaller(),
                                                        INSTANCE).build();

    private WatchFrameMarshaller() {}

    /** A WatchEvent: what Armeria's JSON support registers and what a client would parse. */
    @Override
    public Message getMessagePrototype() {
        return WatchEvent.getDefaultInstance();
    }

    @Override
    public Class<Message> getMessageClass() {
        return Message.class;
    }

    @Override
    public InputStream stream(Message message) {
        return message.toByteString().newInput();
    }

    @Override
    public Message parse(InputStream stream) {
        try {
            return WatchEvent.parseFrom(stream);
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("invalid WatchEvent bytes: " + e.getMessage())
                                 .withCause(e).asRuntimeException();
        }
    }
}
