package dev.baton.server.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.baton.proto.v1.Job;

/**
 * The JSON bodies Baton POSTs: {@code {"eventId", "type", "revision", "time", "job"}}, the job in the
 * same JSON shape as the REST API. Built once per event and stored, so every retry sends the same bytes.
 */
final class WebhookPayload {

    static final String TEST_TYPE = "webhook.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().includingDefaultValueFields();

    private WebhookPayload() {}

    /** "job.running", "job.failed", ...: the status the job entered. */
    static String type(Job.Status status) {
        return "job." + status.name().toLowerCase(Locale.ROOT);
    }

    static byte[] jobEvent(String eventId, long revision, Instant time, Job job) {
        ObjectNode body = envelope(eventId, type(job.getStatus()), revision, time);
        try {
            body.set("job", JSON.readTree(PRINTER.print(job)));
        } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a job always prints as JSON", e);
        }
        return bytes(body);
    }

    static byte[] testEvent(String eventId, Instant time, String webhookId) {
        ObjectNode body = envelope(eventId, TEST_TYPE, 0, time);
        body.putObject("webhook").put("id", webhookId);
        return bytes(body);
    }

    private static ObjectNode envelope(String eventId, String type, long revision, Instant time) {
        ObjectNode body = JSON.createObjectNode();
        body.put("eventId", eventId);
        body.put("type", type);
        body.put("revision", revision);
        body.put("time", time.toString());
        return body;
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
