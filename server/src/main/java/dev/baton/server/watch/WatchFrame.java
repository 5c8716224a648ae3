package dev.baton.server.watch;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.baton.proto.v1.WatchEvent;

/**
 * One event on its way to watch streams, with its wire forms encoded at most once and shared: a
 * published job event carries the whole Job (config, labels, attempts), and a thousand streams
 * encoding the same event a thousand times cost more than sending it. Each form is encoded by the
 * first stream that needs it, on that stream's thread; two streams racing encode the same bytes
 * twice, which is harmless, so there is no lock.
 */
public final class WatchFrame {

    /**
     * The JSON form (SSE data, gRPC-Web JSON): protobuf JSON, every field printed, zero values
     * included, as in the REST API.
     */
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace()
                                                              .alwaysPrintFieldsWithNoPresence();

    private final WatchEvent event;
    private volatile byte[] protobuf;
    private volatile String json;
    private volatile byte[] jsonUtf8;

    private WatchFrame(WatchEvent event) {
        this.event = event;
    }

    public static WatchFrame of(WatchEvent event) {
        return new WatchFrame(requireNonNull(event, "event"));
    }

    public WatchEvent event() {
        return event;
    }

    public long revision() {
        return event.getRevision();
    }

    /** The protobuf encoding of the event (gRPC, gRPC-Web). Callers must not change the array. */
    public byte[] protobuf() {
        byte[] bytes = protobuf;
        if (bytes == null) {
            bytes = event.toByteArray();
            protobuf = bytes;
        }
        return bytes;
    }

    /** The event as protobuf JSON on one line (SSE data). */
    public String json() {
        String text = json;
        if (text == null) {
            try {
                text = JSON.print(event);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a WatchEvent that protobuf JSON cannot print: " + e.getMessage(), e);
            }
            json = text;
        }
        return text;
    }

    /** {@link #json()} as UTF-8 (gRPC-Web JSON). Callers must not change the array. */
    public byte[] jsonUtf8() {
        byte[] bytes = jsonUtf8;
        if (bytes == null) {
            bytes = json().getBytes(StandardCharsets.UTF_8);
            jsonUtf8 = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return event.getType() + "@" + event.getRevision();
    }
}
