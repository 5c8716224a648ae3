package dev.baton.server.engines;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

import dev.baton.proto.v1.HealthProbe;

/**
 * One blocking health check of an engine port, always on 127.0.0.1 (engines share the host
 * network; a probe must never reach another host): an HTTP GET of the probe's path, where 2xx and 3xx
 * pass and redirects are not followed, or a TCP connect when the probe has no path.
 */
final class PortProbe {

    static final String HOST = "127.0.0.1";

    private PortProbe() {}

    /** Null when the port passed, otherwise why it failed. */
    static String check(HealthProbe probe, int port, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return probe.getHttpPath().isEmpty() ? tcp(port, millis) : http(probe.getHttpPath(), port, millis);
    }

    private static String tcp(int port, int millis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), millis);
            return null;
        } catch (IOException e) {
            return "TCP connect to " + HOST + ":" + port + " failed: " + e.getMessage();
        }
    }

    private static String http(String path, int port, int millis) {
        String url = "http://" + HOST + ":" + port + path;
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setUseCaches(false);
            int code = connection.getResponseCode();
            drain(connection);
            return code >= 200 && code < 400 ? null : "GET " + url + " answered " + code;
        } catch (IOException | RuntimeException e) {
            return "GET " + url + " failed: " + e.getMessage();
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void drain(HttpURLConnection connection) {
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream()
                                                                : connection.getErrorStream()) {
            if (in != null) {
                in.readNBytes(64 * 1024);
            }
        } catch (IOException ignored) {
            // the status decided already
        }
    }
}
