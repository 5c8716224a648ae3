package dev.baton.server.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
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

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.server.error.BatonException;
import dev.baton.server.error.ErrorMapping;
import dev.baton.server.watch.WatchFrame;
import dev.baton.server.watch.WatchStream;
import dev.baton.server.watch.WatchStreams;
import dev.baton.server.watch.WatchTransport;
import io.netty.channel.EventLoop;

/**
 * The watch stream as Server-Sent Events: {@code GET /v1/watch?kinds=job,agent&ids=a,b&fromRevision=N}.
 * Each event's data is the WatchEvent as protobuf JSON (zero values included, as in the REST API);
 * its {@code id} is the revision, set only
 * where resuming is safe, so a browser's automatic reconnect ({@code Last-Event-ID}) never skips
 * part of a snapshot. A cut-off stream ends with an event named {@code fell-behind} or
 * {@code server-stopping} whose data is {"code","message"}; the browser then reconnects and resumes.
 */
public final class SseWatchService implements HttpService {

    /** Events written but not yet taken by the connection before the stream waits. */
    private static final int MAX_UNCONSUMED = 32;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WatchStreams streams;

    public SseWatchService(WatchStreams streams) {
        this.streams = streams;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        ctx.clearRequestTimeout();
        WatchRequest request;
        try {
            request = watchRequest(QueryParams.fromQueryString(ctx.query()),
                                   req.headers().get(HttpHeaderNames.LAST_EVENT_ID));
        } catch (BatonException e) {
            return RestErrors.response(e.code(), e.getMessage());
        }
        StreamWriter<ServerSentEvent> writer = StreamMessage.streaming();
        SseTransport transport = new SseTransport(writer, ctx.eventLoop());
        try {
            transport.stream = streams.open(request, "sse", transport, ctx.eventLoop());
        } catch (RuntimeException e) {
            var status = ErrorMapping.toStatus(e);
            return RestErrors.response(status.getCode(), status.getDescription());
        }
        writer.whenComplete().handle((unused, cause) -> {
            transport.stream.cancelled();
            return null;
        });
        ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                                                 .contentType(MediaType.EVENT_STREAM)
                                                 .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                                                 .build();
        return ServerSentEvents.fromPublisher(headers, writer);
    }

    /** Reads the query (and the browser's Last-Event-ID, which wins over fromRevision). */
    static WatchRequest watchRequest(QueryParams query, String lastEventId) {
        WatchRequest.Builder request = WatchRequest.newBuilder();
        for (String kind : commaSeparated(query.getAll("kinds"))) {
            request.addKinds(kind(kind));
        }
        request.addAllIds(commaSeparated(query.getAll("ids")));
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : query.get("fromRevision");
        if (from != null && !from.isBlank()) {
            try {
                request.setFromRevision(Long.parseLong(from.trim()));
            } catch (NumberFormatException e) {
                throw BatonException.invalidArgument(
                        "fromRevision (or Last-Event-ID): \"%s\" (expected: a revision number from an earlier event)",
                        from);
            }
        }
        return request.build();
    }

    private static List<String> commaSeparated(List<String> values) {
        return values.stream()
                     .flatMap(v -> Arrays.stream(v.split(",")))
                     .map(String::trim)
                     .filter(v -> !v.isEmpty())
                     .toList();
    }

    private static EntityKind kind(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n.startsWith("entity_kind_") ? n.substring("entity_kind_".length()) : n) {
            case "agent", "agents" -> EntityKind.ENTITY_KIND_AGENT;
            case "job", "jobs" -> EntityKind.ENTITY_KIND_JOB;
            case "engine", "engines" -> EntityKind.ENTITY_KIND_ENGINE;
            case "pool", "pools" -> EntityKind.ENTITY_KIND_POOL;
            default -> throw BatonException.invalidArgument(
                    "kinds: \"%s\" (expected: a comma-separated list of agent, job, engine, pool)", name);
        };
    }

    static ServerSentEvent toSse(WatchFrame frame) {
        var sse = ServerSentEvent.builder().data(frame.json());
        if (frame.isResumePoint()) {
            sse.id(Long.toString(frame.revision()));
        }
        return sse.build();
    }

    /** Paces on the response's consumption: writes up to a few events, then waits until they are taken. */
    private static final class SseTransport implements WatchTransport {

        private final StreamWriter<ServerSentEvent> writer;
        private final SsePacer pacer;
        private WatchStream stream;

        SseTransport(StreamWriter<ServerSentEvent> writer, EventLoop eventLoop) {
            this.writer = writer;
            this.pacer = new SsePacer(writer, eventLoop, MAX_UNCONSUMED);
        }

        @Override
        public boolean isReady() {
            return pacer.isReady(() -> stream.wake());
        }

        @Override
        public void send(WatchFrame frame) {
            pacer.write(toSse(frame));
        }

        @Override
        public void fellBehind(String message) {
            end("fell-behind", "RESOURCE_EXHAUSTED", message);
        }

        @Override
        public void serverStopping(String message) {
            end("server-stopping", "UNAVAILABLE", message);
        }

        private void end(String eventName, String code, String message) {
            var body = MAPPER.createObjectNode().put("code", code).put("message", message);
            writer.tryWrite(ServerSentEvent.builder().event(eventName).data(body.toString()).build());
            writer.close();
        }
    }
}
