package dev.baton.server.api;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.GetJobLogsRequest;
import dev.baton.proto.v1.GetJobLogsResponse;
import dev.baton.proto.v1.LogServiceGrpc;
import dev.baton.server.error.ErrorMapping;
import dev.baton.server.logs.JobLogs;
import dev.baton.server.logs.LogFollow;
import dev.baton.server.logs.LogFollowTransport;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * LogService over gRPC, gRPC-Web and REST (GetJobLogs only: streams are not transcoded). A follower
 * writes only while the call is ready, so a slow client never grows the server's outbound queue.
 */
public final class LogEndpoint extends LogServiceGrpc.LogServiceImplBase {

    private final JobLogs logs;

    public LogEndpoint(JobLogs logs) {
        this.logs = logs;
    }

    /** Decorates {@code GET /v1/jobs/{id}/logs}: non-numeric numbers get an error naming the parameter. */
    public static com.linecorp.armeria.common.HttpResponse checkQuery(
            com.linecorp.armeria.server.HttpService delegate, com.linecorp.armeria.server.ServiceRequestContext ctx,
            com.linecorp.armeria.common.HttpRequest req) throws Exception {
        return LogQueryParams.checked(delegate, ctx, req);
    }

    @Override
    public void getJobLogs(GetJobLogsRequest request, StreamObserver<GetJobLogsResponse> observer) {
        try {
            Replies.reply(logs.get(request), observer);
        } catch (RuntimeException e) {
            observer.onError(ErrorMapping.toException(e));
        }
    }

    @Override
    public void followLogs(FollowLogsRequest request, StreamObserver<FollowLogsResponse> observer) {
        ServerCallStreamObserver<FollowLogsResponse> call = (ServerCallStreamObserver<FollowLogsResponse>) observer;
        ServiceRequestContext ctx = ServiceRequestContext.current();
        // A follow lasts as long as the attempt runs: no timeout from the server's defaults.
        ctx.clearRequestTimeout();
        LogFollow follow = new LogFollow(new GrpcTransport(call), ctx.eventLoop());
        call.setOnReadyHandler(follow::wake);
        call.setOnCancelHandler(follow::cancel);
        try {
            logs.follow(request, follow).exceptionally(error -> {
                call.onError(ErrorMapping.toException(error));
                return null;
            });
        } catch (RuntimeException e) {
            call.onError(ErrorMapping.toException(e));
        }
    }

    private record GrpcTransport(ServerCallStreamObserver<FollowLogsResponse> call) implements LogFollowTransport {
        @Override
        public boolean isReady() {
            return call.isReady() && !call.isCancelled();
        }

        @Override
        public void send(FollowLogsResponse response) {
            call.onNext(response);
        }

        @Override
        public void complete() {
            call.onCompleted();
        }
    }
}
