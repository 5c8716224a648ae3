package dev.baton.server.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.baton.proto.v1.PortSpec;
import dev.baton.proto.v1.PoolSpec;

/**
 * Engines that serve HTTP: busybox httpd on 127.0.0.1:$BATON_PORT_HTTP (index.html holds the engine
 * id, /health says ok), then the test agent. Each test class uses its own port range.
 */
final class HttpEngines {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpEngines() {}

    static PoolSpec.Builder spec(EngineDocker docker, PortSpec.Builder http) {
        PoolSpec.Builder spec = docker.agentSpec();
        List<String> agent = List.copyOf(spec.getCommandList());
        String script = "busybox mkdir -p /tmp/www && echo \"$BATON_ENGINE_ID\" > /tmp/www/index.html"
                        + " && echo ok > /tmp/www/health"
                        + " && busybox httpd -p 127.0.0.1:\"$BATON_PORT_HTTP\" -h /tmp/www && exec \"$@\"";
        return spec.clearCommand().addAllCommand(List.of("/bin/sh", "-c", script, "engine")).addAllCommand(agent)
                   .addPorts(http.setName("http"));
    }

    static PortSpec.Builder range(int first, int last) {
        return PortSpec.newBuilder().setFirstPort(first).setLastPort(last);
    }

    /** GET url; the body, or the failure as text (so assertions show it). */
    static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                                                                 .timeout(Duration.ofSeconds(5)).build(),
                                                      HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().trim() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
