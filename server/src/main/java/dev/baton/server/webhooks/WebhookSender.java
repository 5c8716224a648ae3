package dev.baton.server.webhooks;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.baton.server.error.ErrorMapping;
import dev.baton.server.internal.Lazy;

/**
 * POSTs one delivery attempt. The JDK's HttpClient rather than Armeria's WebClient: it runs on its
 * own two threads, so a slow or hostile receiver can never occupy the event loops that serve agents
 * and API callers; redirects are off ({@code Redirect.NEVER}) and no proxy is used, so the host that
 * passed the allow-list is the host that is called.
 */
final class WebhookSender implements AutoCloseable {

    /** What one attempt came to: the HTTP status (0: none) and, unless it was a 2xx, why it failed. */
    record Outcome(int statusCode, String error, long latencyMillis) {
        boolean delivered() {
            return error.isEmpty();
        }
    }

    private final Duration timeout;
    private final ExecutorService executor;
    /** Made at the first delivery: building it loads the trust store, a good half second of a server's start. */
    private final Lazy<HttpClient> client;

    WebhookSender(Duration timeout) {
        this.timeout = timeout;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "baton-webhook-http");
            thread.setDaemon(true);
            return thread;
        });
        this.client = new Lazy<>(() -> HttpClient.newBuilder()
                                                  .version(HttpClient.Version.HTTP_1_1)
                                                  .followRedirects(HttpClient.Redirect.NEVER)
                                                  .proxy(HttpClient.Builder.NO_PROXY)
                                                  .connectTimeout(timeout)
                                                  .executor(executor)
                                                  .build());
    }

    CompletableFuture<Outcome> post(URI url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                                                 .header("Content-Type", "application/json")
                                                 .header("User-Agent", "Baton-Webhooks/1")
                                                 .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        long start = System.nanoTime();
        try {
            return client.get().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                         .handle((response, error) -> outcome(url, response, error, (System.nanoTime() - start) / 1_000_000));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(outcome(url, null, e, 0));
        }
    }

    private Outcome outcome(URI url, HttpResponse<Void> response, Throwable error, long latency) {
        if (error != null) {
            return new Outcome(0, describe(url, ErrorMapping.unwrap(error)), latency);
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return new Outcome(code, "", latency);
        }
        if (code >= 300 && code < 400) {
            String location = response.headers().firstValue("location").orElse("(no Location)");
            return new Outcome(code, "HTTP " + code + ": redirect to " + location
                                     + " not followed (expected: a 2xx from the URL itself)", latency);
        }
        return new Outcome(code, "HTTP " + code, latency);
    }

    private String describe(URI url, Throwable error) {
        if (error instanceof HttpTimeoutException) {
            return "no response within " + timeout.toMillis() + " ms";
        }
        if (error instanceof ConnectException) {
            int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
            return "cannot connect to " + url.getHost() + ":" + port
                   + (error.getMessage() == null ? "" : " (" + error.getMessage() + ")");
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
