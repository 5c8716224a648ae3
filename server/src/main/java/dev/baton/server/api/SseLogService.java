package dev.baton.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.sse.ServerSentEvent;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.streaming.ServerSentEvents;

import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.LogLine;
import dev.baton.server.error.BatonException;
import dev.baton.server.error.ErrorMapping;
import dev.baton.server.logs.JobLogs;
import dev.baton.server.logs.LogFollow;
import dev.baton.server.logs.LogFollowTransport;
import io.netty.channel.EventLoop;

/**
 * FollowLogs as Server-Sent Events: {@code GET /v1/jobs/{id}/logs/follow?attempt=&stream=&sinceSeq=&tail=}.
 * One event per line, its data the LogLine as protobuf JSON and its {@code id} the line's seq, so a
 * browser's reconnect ({@code Last-Event-ID}) resumes after the last line it got. When the attempt
 * ends, an event named {@code end} with {"attempt": N} closes the stream (clients should then stop
 * reconnecting). Errors before the first event are the usual JSON errors (400, 404).
 */
public final class SseLogService implements HttpService {

    private static final int MAX_UNCONSUMED = 64;
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace()
                                                                  .alwaysPrintFieldsWithNoPresence();

    private final JobLogs logs;

    public SseLogService(JobLogs logs) {
        this.logs = logs;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        ctx.clearRequestTimeout();
        FollowLogsRequest request;
        try {
            request = request(ctx.pathParam("id"), QueryParams.fromQueryString(ctx.query()),
                              req.headers().get(HttpHeaderNames.LAST_EVENT_ID));
        } catch (BatonException e) {
            return RestErrors.response(e.code(), e.getMessage());
        }
        StreamWriter<ServerSentEvent> writer = StreamMessage.streaming();
        SseTransport transport = new SseTransport(writer, ctx.eventLoop());
        LogFollow follow = new LogFollow(transport, ctx.eventLoop());
        transport.follow = follow;
        writer.whenComplete().handle((unused, cause) -> {
            follow.cancel();
            return null;
        });
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                                                 .contentType(MediaType.EVENT_STREAM)
                                                 .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                                                 .build();
        // Errors (unknown job, bad attempt) are known before the first line: answer them as JSON errors.
        return HttpResponse.of(logs.follow(request, follow).handle((unused, error) -> {
            if (error != null) {
                writer.abort();
                var status = ErrorMapping.toStatus(error);
                return RestErrors.response(status.getCode(), status.getDescription());
            }
            return ServerSentEvents.fromPublisher(headers, writer);
        }));
    }

    static FollowLogsRequest request(String id, QueryParams query, String lastEventId) {
        FollowLogsRequest.Builder request = FollowLogsRequest.newBuilder().setId(id == null ? "" : id);
        String stream = query.get("stream");
        if (stream != null) {
            request.setStream(stream);
        }
        Long attempt = LogQueryParams.number(query, "attempt");
        if (attempt != null) {
            request.setAttempt(Math.toIntExact(attempt));
        }
        Long tail = LogQueryParams.number(query, "tail");
        if (tail != null) {
            request.setTail(Math.toIntExact(tail));
        }
        Long since = lastEventId != null && !lastEventId.isBlank()
                     ? Long.valueOf(LogQueryParams.parse("Last-Event-ID", lastEventId, true))
                     : LogQueryParams.number(query, "sinceSeq");
        if (since != null) {
            request.setSinceSeq(since);
        }
        return request.build();
    }

    static ServerSentEvent toSse(LogLine line) {
        try {
            var event = ServerSentEvent.builder().data(JSON.print(line));
            if (line.getSeq() > 0) {
                event.id(Long.toString(line.getSeq()));
            }
            return event.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a LogLine that protobuf JSON cannot print: " + e.getMessage(), e);
        }
    }

    /** Paces on the response's consumption (a follow response carries up to 500 lines). */
    private static final class SseTransport implements LogFollowTransport {

        private final StreamWriter<ServerSentEvent> writer;
        private final SsePacer pacer;
        private LogFollow follow;

        SseTransport(StreamWriter<ServerSentEvent> writer, EventLoop eventLoop) {
            this.writer = writer;
            this.pacer = new SsePacer(writer, eventLoop, MAX_UNCONSUMED);
        }

        @Override
        public boolean isReady() {
            return pacer.isReady(() -> follow.wake());
        }

        @Override
        public void send(FollowLogsResponse response) {
            response.getLinesList().forEach(line -> pacer.write(toSse(line)));
            if (response.getAttemptEnded()) {
                writer.tryWrite(ServerSentEvent.builder().event("end")
                                               .data("{\"attempt\":" + response.getAttempt() + "}").build());
            }
        }

        @Override
        public void complete() {
            writer.close();
        }
    }
}
