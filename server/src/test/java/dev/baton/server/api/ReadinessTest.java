package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.server.store.BatonStore;
import dev.baton.server.store.SqliteStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/** The port opens before the stored state is recovered: /healthz says alive, /readyz says whether calls are served. */
class ReadinessTest {

    @Test
    void readyzAnswers503WhileTheStoreLoadsAnd200OnceTheApiServes(@TempDir Path dir) throws Exception {
        int port = freePort();
        CountDownLatch loaded = new CountDownLatch(1);
        CompletableFuture<TestBaton> starting = CompletableFuture.supplyAsync(() -> TestBaton.start(
                dir, b -> b.port(port), new VirtualTimeSource(), c -> new HeldLoad(new SqliteStore(c.dataDir()), loaded)));
        Rest rest = new Rest("http://127.0.0.1:" + port);
        try {
            Eventually.await("the port answers /healthz", () -> {
                try {
                    return rest.get("/healthz").status() == 200;
                } catch (UncheckedIOException notListeningYet) {
                    return false;
                }
            });

            Rest.Response notYet = rest.get("/readyz");
            assertThat(notYet.status()).isEqualTo(503);
            assertThat(notYet.json().get("status").asText()).isEqualTo("NOT_SERVING");
            assertThat(notYet.json().get("message").asText()).contains("not serving yet");
            assertThat(rest.get("/v1/status").status()).isEqualTo(503);
        } finally {
            loaded.countDown();
        }
        try (TestBaton baton = starting.join()) {
            Rest.Response ready = rest.get("/readyz");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("status").asText()).isEqualTo("SERVING");
            assertThat(rest.get("/v1/status").status()).isEqualTo(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A real store whose load waits until the test lets it finish: the server is started but not yet serving. */
    private record HeldLoad(BatonStore store, CountDownLatch loaded) implements BatonStore {
        @Override
        public StoredState load() {
            try {
                loaded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.load();
        }

        @Override
        public CompletableFuture<Void> write(List<StoreWrite> writes) {
            return store.write(writes);
        }

        @Override
        public int queuedWrites() {
            return store.queuedWrites();
        }

        @Override
        public String problem() {
            return store.problem();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
