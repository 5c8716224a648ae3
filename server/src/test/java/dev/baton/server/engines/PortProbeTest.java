package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.baton.proto.v1.HealthProbe;

/** Health checks against real listeners on 127.0.0.1: HTTP status classes, no redirects, TCP connect. */
class PortProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private HttpServer http;
    private final AtomicInteger redirectTargetHits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        http.createContext("/ok", exchange -> answer(exchange, 200));
        http.createContext("/broken", exchange -> answer(exchange, 503));
        http.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/target");
            answer(exchange, 302);
        });
        http.createContext("/target", exchange -> {
            redirectTargetHits.incrementAndGet();
            answer(exchange, 500);
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void httpPassesOn2xxAnd3xxWithoutFollowingRedirectsAndFailsOtherwise() {
        int port = http.getAddress().getPort();
        assertThat(PortProbe.check(path("/ok"), port, TIMEOUT)).isNull();
        assertThat(PortProbe.check(path("/moved"), port, TIMEOUT)).isNull();
        assertThat(redirectTargetHits).hasValue(0);
        assertThat(PortProbe.check(path("/broken"), port, TIMEOUT))
                .isEqualTo("GET http://127.0.0.1:" + port + "/broken answered 503");
        assertThat(PortProbe.check(path("/missing"), port, TIMEOUT)).endsWith("/missing answered 404");
    }

    @Test
    void tcpPassesWhenSomethingListensAndFailsWhenNothingDoes() throws Exception {
        int closed;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(PortProbe.check(HealthProbe.getDefaultInstance(), listener.getLocalPort(), TIMEOUT)).isNull();
            closed = listener.getLocalPort();
        }
        assertThat(PortProbe.check(HealthProbe.getDefaultInstance(), closed, TIMEOUT))
                .startsWith("TCP connect to 127.0.0.1:" + closed + " failed");
        assertThat(PortProbe.check(path("/ok"), closed, TIMEOUT))
                .startsWith("GET http://127.0.0.1:" + closed + "/ok failed");
    }

    private static HealthProbe path(String path) {
        return HealthProbe.newBuilder().setHttpPath(path).build();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status) throws java.io.IOException {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
