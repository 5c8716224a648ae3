package dev.baton.server.watch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.baton.proto.v1.WatchEvent;

/** Reads Server-Sent Events over plain HTTP/1.1, as a browser's EventSource would. */
public final class SseClient implements AutoCloseable {

    /** One event: its id (null when the server set none), its name (null: "message") and its data. */
    public record Event(String id, String name, String data) {
        WatchEvent watchEvent() {
            WatchEvent.Builder builder = WatchEvent.newBuilder();
            try {
                JsonFormat.parser().merge(data, builder);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a WatchEvent: " + data, e);
            }
            return builder.build();
        }
    }

    private static final Event END = new Event(null, null, null);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient get(String url, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    /** The body of a response that is not a stream (an error). */
    public String body() {
        return String.join("\n", (Iterable<String>) response.body()::iterator);
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try {
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException closed) {
            // the test closed the stream
        } finally {
            events.add(END);
        }
    }

    /** The next event; fails after 20 s or when the stream ended. */
    public Event next() {
        try {
            Event event = events.poll(20, TimeUnit.SECONDS);
            if (event == null || event == END) {
                throw new AssertionError(event == null ? "no SSE event within 20 s" : "the SSE stream ended");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next event that is not a bookmark. */
    Event nextChange() {
        while (true) {
            Event event = next();
            if (!event.data().contains("\"BOOKMARK\"")) {
                return event;
            }
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
