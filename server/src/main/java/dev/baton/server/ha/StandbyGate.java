package dev.baton.server.ha;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Until this server serves as leader, every Baton API call (agents' Connect, writes and reads alike)
 * is answered with UNAVAILABLE naming the leader, in the message and in the {@value #LEADER_HEADER}
 * trailer, so that the SDK and batonctl go there. Standbys hold no in-memory state to answer
 * reads from, and a redirect is never stale. Health checks and reflection stay local.
 *
 * <p>The gate runs before admin auth: the answer does not depend on who asks (nothing is served
 * here either way), and only the server that runs a call should judge its token and charge its
 * rate limit, so a client that follows the hint is authenticated and counted once, at the leader.
 * The leader's address is no secret: clients are told it to find the leader at all.
 */
public final class StandbyGate implements ServerInterceptor {

    /** Trailer with the leader's host:port on a standby's UNAVAILABLE. */
    public static final String LEADER_HEADER = "baton-leader";
    public static final Metadata.Key<String> LEADER_KEY = Metadata.Key.of(LEADER_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final BooleanSupplier serving;
    private final Supplier<String> leaderAddress;

    public StandbyGate(BooleanSupplier serving, Supplier<String> leaderAddress) {
        this.serving = serving;
        this.leaderAddress = leaderAddress;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (serving.getAsBoolean() || !call.getMethodDescriptor().getFullMethodName().startsWith("baton.v1.")) {
            return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        String leader = leaderAddress.get();
        if (!leader.isEmpty()) {
            trailers.put(LEADER_KEY, leader);
        }
        call.close(refusal(leader), trailers);
        return new ServerCall.Listener<>() {};
    }

    /** Null while this server serves; otherwise what a call is answered with now (GET /readyz says it too). */
    public Status refusalNow() {
        return serving.getAsBoolean() ? null : refusal(leaderAddress.get());
    }

    /** The status a standby answers with. */
    public static Status refusal(String leader) {
        return Status.UNAVAILABLE.withDescription(leader.isEmpty()
                ? "this server is not serving yet (starting, or waiting for a leader to be elected); retry shortly"
                : "this server is a standby; the leader is at " + leader + " (retry there)");
    }
}
