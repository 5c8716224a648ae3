package dev.baton.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP/1.1 JSON client, as any REST caller would use. */
public final class Rest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final String base;
    private final String authorization;

    /** A response: status, body, the body parsed as JSON (null when it is not JSON) and the headers. */
    public record Response(int status, String body, JsonNode json, java.net.http.HttpHeaders headers) {
        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Rest(String base) {
        this(base, (String) null);
    }

    private Rest(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The same client sending {@code authorization: Bearer token} on every request. */
    public Rest withToken(String token) {
        return new Rest(base, "Bearer " + token);
    }

    /** The same client sending {@code authorization: value} as given (to test malformed headers). */
    public Rest withAuthorization(String value) {
        return new Rest(base, value);
    }


    /** An https:// client trusting what {@code tls} trusts. */
    public Rest(String base, javax.net.ssl.SSLContext tls) {
        this.base = base;
        this.authorization = null;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                               .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST the way curl -d sends it: whatever content type the caller gives (null: none). */
    public Response postAs(String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                                                 .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return send(request);
    }

    public Response put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", "application/json")
                               .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(20)).build(),
                                                         HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // left null
            }
            return new Response(response.statusCode(), response.body(), json, response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
