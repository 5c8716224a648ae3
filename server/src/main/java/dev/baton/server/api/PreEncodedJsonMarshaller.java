package dev.baton.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor;

/**
 * gRPC JSON formats (gRPC-Web JSON) for services whose responses may be pre-encoded watch events:
 * an {@link EncodedWatchEvent} is written as its frame's shared JSON (the same bytes as SSE data); every other
 * message goes to the wrapped marshaller.
 */
final class PreEncodedJsonMarshaller implements GrpcJsonMarshaller {

    private final GrpcJsonMarshaller delegate;

    PreEncodedJsonMarshaller(GrpcJsonMarshaller delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream os)
            throws IOException {
        if (message instanceof EncodedWatchEvent encoded) {
            os.write(encoded.frame().jsonUtf8());
            return;
        }
        delegate.serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream is) throws IOException {
        return delegate.deserializeMessage(marshaller, is);
    }
}
