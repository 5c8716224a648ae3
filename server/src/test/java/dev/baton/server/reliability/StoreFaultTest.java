package dev.baton.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.server.store.SqliteStore;
import dev.baton.server.testing.FaultyStore;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/** A store whose writes fail (disk full, read-only): the API says UNAVAILABLE, nothing half-written. */
class StoreFaultTest {

    @Test
    void failingWritesAreUnavailableChangeNothingAndRecover(@TempDir Path dir) {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = TestBaton.start(dir, b -> { }, new VirtualTimeSource(),
                                               c -> store[0] = new FaultyStore(new SqliteStore(c.dataDir())))) {
            Rest rest = new Rest(baton.baseUrl());
            String kept = rest.post("/v1/jobs", "{\"inlineConfig\": {}}").json().get("id").asText();
            String before = rest.get("/v1/jobs").body() + rest.get("/v1/templates").body();

            store[0].fail("database or disk is full");
            Rest.Response submit = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"idempotencyKey\": \"during\"}");
            assertThat(submit.status()).isEqualTo(503);
            assertThat(submit.json().get("message").asText()).contains("disk is full");
            assertThat(rest.post("/v1/templates", "{\"id\": \"t\", \"config\": {}}").status()).isEqualTo(503);
            assertThat(rest.put("/v1/jobs/" + kept + "/metadata", "{\"title\": \"x\"}").status()).isEqualTo(503);
            Rest.Response health = rest.get("/healthz");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("disk is full");
            assertThat(rest.get("/v1/jobs").body() + rest.get("/v1/templates").body()).isEqualTo(before);

            store[0].fail(null);
            assertThat(rest.get("/healthz").status()).isEqualTo(200);
            Rest.Response retried = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"idempotencyKey\": \"during\"}");
            assertThat(retried.status()).as("the key was not kept by the failed submit").isEqualTo(201);
            assertThat(rest.put("/v1/jobs/" + kept + "/metadata", "{\"title\": \"x\"}").status()).isEqualTo(200);
        }
    }
}
