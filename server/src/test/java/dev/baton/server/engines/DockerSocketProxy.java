package dev.baton.server.engines;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unix socket in front of the real Docker socket that the test can cut and restore: Docker going away
 * for a while is the one fault the shared, real engine cannot be made to produce on demand. While cut,
 * open connections are closed and new ones are closed as soon as they are accepted.
 */
final class DockerSocketProxy implements AutoCloseable {

    private final Path path;
    private final Path target;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    DockerSocketProxy(Path path, Path target) throws IOException {
        this.path = path;
        this.target = target;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        daemon("docker-proxy-accept", this::acceptLoop);
    }

    /** The DOCKER_HOST value for the proxy. */
    String dockerHost() {
        return "unix://" + path;
    }

    void cut() {
        cut = true;
        open.forEach(this::closeQuietly);
    }

    void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                SocketChannel docker = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(docker);
                daemon("docker-proxy-up", () -> pump(client, docker));
                daemon("docker-proxy-down", () -> pump(docker, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException closed) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel channel) {
        open.remove(channel);
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
        Files.deleteIfExists(path);
    }
}
