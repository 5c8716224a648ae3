package dev.baton.cli.connect;

import java.util.concurrent.atomic.AtomicReference;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Remembers the last method called, so that an error can name it. A server without a service answers HTTP 404,
 * which grpc-java reports as UNIMPLEMENTED with no word about which call it was.
 */
final class LastMethodInterceptor implements ClientInterceptor {

    private final AtomicReference<String> lastMethod = new AtomicReference<>("");

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions callOptions,
                                                 Channel next) {
        lastMethod.set(method.getFullMethodName());
        return next.newCall(method, callOptions);
    }

    String lastMethod() {
        return lastMethod.get();
    }
}
