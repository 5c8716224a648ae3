package dev.baton.server.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.server.security.AccessDenied;
import dev.baton.server.security.AdminGate;
import dev.baton.server.security.MethodAccess;
import dev.baton.server.security.Role;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Admin auth for every gRPC method, whichever way it arrived: native gRPC, gRPC-Web, unframed JSON
 * and REST transcoding all end up as a gRPC call here. A refused call is closed with the gate's
 * status; the {@code www-authenticate} and {@code retry-after} trailers travel with it and REST
 * callers see them as headers (RestErrors copies them).
 */
final class AdminAuthInterceptor implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AdminGate gate;
    private final boolean reflectionOpen;

    AdminAuthInterceptor(AdminGate gate, boolean reflectionOpen) {
        this.gate = gate;
        this.reflectionOpen = reflectionOpen;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<Role> needed = MethodAccess.required(method);
        if (needed.isEmpty() || reflectionOpen && MethodAccess.REFLECTION_SERVICE.equals(call.getMethodDescriptor()
                                                                                              .getServiceName())) {
            return next.startCall(call, headers);
        }
        try {
            gate.admit(call.getMethodDescriptor().getBareMethodName(), needed.get(), headers.get(AUTHORIZATION),
                       remoteAddress(call));
        } catch (AccessDenied denied) {
            call.close(denied.toStatus(), DeniedHeaders.trailers(denied));
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private static InetAddress remoteAddress(ServerCall<?, ?> call) {
        SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (address == null) {
            ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
            address = ctx == null ? null : ctx.remoteAddress();
        }
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
