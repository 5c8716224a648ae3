package dev.baton.bench.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a starting server: first GET /healthz 200 (the port answers; the process is alive),
 * then GET /v1/status 200 (the API serves). The two differ: /healthz answers as soon as the port
 * opens, while every Baton call is refused with 503 "not serving yet" until the stored state has
 * been recovered. Ready means the second; both are polled every 5 ms.
 */
final class Health {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Nanoseconds (System.nanoTime) at which each answered 200; 0 when it never did. */
    record Readiness(long healthyAt, long servingAt) {
        boolean serving() {
            return servingAt != 0;
        }
    }

    private Health() {}

    /** Polls until GET /v1/status answers 200, or {@code alive} turned false, or the deadline passed. */
    static Readiness await(int port, Duration timeout, BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long healthyAt = poll(request(port, "/healthz"), deadline, alive);
        if (healthyAt == 0) {
            return new Readiness(0, 0);
        }
        return new Readiness(healthyAt, poll(request(port, "/v1/status"), deadline, alive));
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                          .timeout(Duration.ofSeconds(2)).GET().build();
    }

    /** When {@code request} first answered 200, or 0. */
    private static long poll(HttpRequest request, long deadline, BooleanSupplier alive) {
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            sleepMillis(5);
        }
        return 0;
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
