package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.error.BatonException;
import io.grpc.Status;

/**
 * What every {@link BatonStore} promises, run against each implementation on a real database
 * (a SQLite file; a PostgreSQL 15 server).
 */
abstract class StoreContractTest {

    private final List<BatonStore> opened = new ArrayList<>();
    private BatonStore store;

    /** Creates the backing database (a directory, a PostgreSQL database) for one test. */
    abstract void createDatabase() throws Exception;

    /** Opens a store (the first, or again after close) on this test's database, ready to write. */
    abstract BatonStore openStore();

    @BeforeEach
    void open() throws Exception {
        createDatabase();
        store = reopen();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(BatonStore::close);
    }

    BatonStore reopen() {
        BatonStore s = openStore();
        opened.add(s);
        return s;
    }

    static final Pool POOL = Pool.newBuilder().setName("p1")
            .setCreatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_700_000_000)).build();

    static Job job(String id, String name) {
        return Job.newBuilder().setId(id).setStatus(Job.Status.PENDING).setStatusReason(name).build();
    }

    static void write(BatonStore store, StoreWrite... writes) {
        store.write(List.of(writes)).join();
    }

    @Test
    void everythingWrittenIsLoadedBack() {
        Instant expiry = Instant.ofEpochMilli(1_900_000_000_000L);
        write(store, new StoreWrite.PutJob(job("j1", "one"), 1),
              new StoreWrite.PutTemplate(Template.newBuilder().setId("t1").setDescription("tmpl").build()),
              new StoreWrite.PutPool(POOL),
              new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("k1", "j1", "digest", expiry)));

        StoredState state = store.load();

        assertThat(state.jobs()).containsExactly(new StoredState.StoredJob(job("j1", "one"), 1));
        assertThat(state.templates()).extracting(Template::getDescription).containsExactly("tmpl");
        assertThat(state.pools()).containsExactly(POOL);
        assertThat(state.idempotencyKeys()).containsExactly(new IdempotencyRecord("k1", "j1", "digest", expiry));
    }

    @Test
    void dockerHostsArePutReplacedAndDeleted() {
        DockerHost b = DockerHost.newBuilder().setName("b").setEndpoint("tcp://10.0.0.2:2376").putLabels("zone", "b")
                                 .setState(DockerHost.State.ENABLED).build();
        DockerHost c = DockerHost.newBuilder().setName("c").setEndpoint("unix:///c.sock").build();
        write(store, new StoreWrite.PutDockerHost(b), new StoreWrite.PutDockerHost(c));
        DockerHost drained = b.toBuilder().setState(DockerHost.State.DRAINING).build();
        write(store, new StoreWrite.PutDockerHost(drained), new StoreWrite.DeleteDockerHost("c"));

        assertThat(store.load().dockerHosts()).containsExactly(drained);
    }

    @Test
    void finishedJobsLoadUnparsedWithTheirStatusAndMergeBackInCreationOrder() {
        Job stopped = job("b", "done").toBuilder().setStatus(Job.Status.STOPPED).putLabels("zone", "a")
                                      .setConfig(com.google.protobuf.Struct.newBuilder().putFields("cmd",
                                              com.google.protobuf.Value.newBuilder().setStringValue("x").build()))
                                      .build();
        Job failed = job("d", "broke").toBuilder().setStatus(Job.Status.FAILED).setAttempt(3).build();
        Job canceled = job("e", "called off").toBuilder().setStatus(Job.Status.CANCELED).build();
        write(store, new StoreWrite.PutJob(job("a", "waiting"), 1), new StoreWrite.PutJob(stopped, 2),
              new StoreWrite.PutJob(job("c", "running").toBuilder().setStatus(Job.Status.RUNNING).build(), 3),
              new StoreWrite.PutJob(failed, 4), new StoreWrite.PutJob(canceled, 5));

        StoredState state = reopen().load();

        assertThat(state.jobs()).extracting(j -> j.job().getId()).containsExactly("a", "c");
        FinishedJobs finished = state.finishedJobs();
        assertThat(finished.size()).isEqualTo(3);
        assertThat(List.of(finished.id(0), finished.id(1), finished.id(2))).containsExactly("b", "d", "e");
        assertThat(List.of(finished.sequence(0), finished.sequence(1), finished.sequence(2)))
                .containsExactly(2L, 4L, 5L);
        assertThat(List.of(finished.status(0), finished.status(1), finished.status(2)))
                .containsExactly(Job.Status.STOPPED, Job.Status.FAILED, Job.Status.CANCELED);
        Job running = job("c", "running").toBuilder().setStatus(Job.Status.RUNNING).build();
        assertThat(state.allJobs()).extracting(StoredState.StoredJob::job)
                                   .containsExactly(job("a", "waiting"), stopped, running, failed, canceled);
        assertThat(state.jobCount()).isEqualTo(5);
    }

    @Test
    void jobsLoadInCreationOrderNotWriteOrder() {
        write(store, new StoreWrite.PutJob(job("c", "third"), 30));
        write(store, new StoreWrite.PutJob(job("a", "first"), 10), new StoreWrite.PutJob(job("b", "second"), 20));
        write(store, new StoreWrite.PutJob(job("c", "third, updated"), 30));

        assertThat(store.load().jobs()).extracting(j -> j.job().getId()).containsExactly("a", "b", "c");
        assertThat(store.load().jobs().get(2).job().getStatusReason()).isEqualTo("third, updated");
    }

    @Test
    void putReplacesAndDeleteRemoves() {
        write(store, new StoreWrite.PutTemplate(Template.newBuilder().setId("t1").setDescription("v1").build()),
              new StoreWrite.PutTemplate(Template.newBuilder().setId("t2").setDescription("v1").build()),
              new StoreWrite.PutPool(POOL));
        write(store, new StoreWrite.PutTemplate(Template.newBuilder().setId("t1").setDescription("v2").build()),
              new StoreWrite.DeleteTemplate("t2"), new StoreWrite.DeletePool("p1"));

        StoredState state = store.load();
        assertThat(state.templates()).extracting(Template::getId, Template::getDescription)
                                     .containsExactly(org.assertj.core.groups.Tuple.tuple("t1", "v2"));
        assertThat(state.pools()).isEmpty();
    }

    @Test
    void writeBehindWritesApplyInOrderWithDurableOnesAndSurviveAReopen() {
        store.writeBehind(List.of(new StoreWrite.PutJob(job("j", "v1"), 1)));
        store.write(List.of(new StoreWrite.PutJob(job("j", "v2"), 1))).join();
        assertThat(store.load().jobs()).extracting(j -> j.job().getStatusReason()).containsExactly("v2");

        store.writeBehind(List.of(new StoreWrite.PutJob(job("j", "v3"), 1),
                                  new StoreWrite.PutJob(job("k", "other"), 2))).join();
        store.close();

        assertThat(reopen().load().jobs()).extracting(j -> j.job().getStatusReason()).containsExactly("v3", "other");
    }

    @Test
    void theLastSnapshotOfAJobInOneBatchWins() {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            writes.add(store.write(List.of(new StoreWrite.PutJob(job("j", "v" + i), 1))));
        }
        writes.forEach(CompletableFuture::join);

        assertThat(store.load().jobs()).extracting(j -> j.job().getStatusReason()).containsExactly("v49");
    }

    @Test
    void aBatchThatFailsLeavesNothingAndIsReportedUnavailable() {
        write(store, new StoreWrite.PutJob(job("before", "kept"), 1));
        // A null digest violates NOT NULL in both databases: a real failure in mid-transaction.
        CompletableFuture<Void> failing = store.write(List.of(
                new StoreWrite.PutJob(job("inside", "lost"), 2),
                new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("k", "inside", null, Instant.now()))));

        assertThatThrownBy(failing::join).hasCauseInstanceOf(BatonException.class)
                .cause().satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessageContaining("nothing was changed");
        assertThat(store.problem()).startsWith("store write failed");
        assertThat(store.load().jobs()).extracting(j -> j.job().getId()).containsExactly("before");
        assertThat(store.load().idempotencyKeys()).isEmpty();

        write(store, new StoreWrite.PutJob(job("after", "kept"), 3));
        assertThat(store.problem()).isNull();
        assertThat(store.load().jobs()).extracting(j -> j.job().getId()).containsExactly("before", "after");
    }

    @Test
    void aWriteThatCannotBeTurnedIntoRowsFailsItsBatchAndTheWriterCarriesOn() {
        write(store, new StoreWrite.PutJob(job("before", "kept"), 1));
        // No expiry: turning the key into a row throws a NullPointerException (a bug, not the database).
        CompletableFuture<Void> failing = store.write(List.of(
                new StoreWrite.PutJob(job("inside", "lost"), 2),
                new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("k", "inside", "d", null))));

        // Bounded: a writer thread that died of it would never answer.
        assertThatThrownBy(failing.orTimeout(30, TimeUnit.SECONDS)::join).hasCauseInstanceOf(BatonException.class)
                .cause().satisfies(e -> assertThat(((BatonException) e).code()).isEqualTo(Status.Code.INTERNAL))
                .hasMessageContaining("nothing was changed");
        assertThat(store.load().jobs()).extracting(j -> j.job().getId()).containsExactly("before");
        assertThat(store.queuedWrites()).isZero();

        write(store, new StoreWrite.PutJob(job("after", "kept"), 3));
        assertThat(store.load().jobs()).extracting(j -> j.job().getId()).containsExactly("before", "after");
    }

    @Test
    void expiringIdempotencyKeysForgetsOnlyThoseThatExpired() {
        Instant now = Instant.ofEpochMilli(1_800_000_000_000L);
        write(store, new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("old", "j1", "d", now.minusMillis(1))),
              new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("exact", "j2", "d", now)),
              new StoreWrite.PutIdempotencyKey(new IdempotencyRecord("new", "j3", "d", now.plusSeconds(60))));
        write(store, new StoreWrite.ExpireIdempotencyKeys(now));

        assertThat(store.load().idempotencyKeys()).extracting(IdempotencyRecord::key)
                                                  .containsExactlyInAnyOrder("exact", "new");
    }

    @Test
    void whatCompletedSurvivesCloseAndReopen() {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(store.write(List.of(new StoreWrite.PutJob(job("j" + i, "n"), i))));
        }
        writes.forEach(CompletableFuture::join);
        store.close();

        BatonStore again = reopen();
        assertThat(again.load().jobs()).hasSize(200);
        assertThat(again.load().jobs().get(199).job().getId()).isEqualTo("j199");
    }

    static Webhook webhook(String id, String url) {
        return Webhook.newBuilder().setId(id).setUrl(url).build();
    }

    static WebhookDelivery delivery(String id, String webhookId, WebhookDelivery.State state) {
        return WebhookDelivery.newBuilder().setId(id).setWebhookId(webhookId).setEventId("evt-" + id).setState(state)
                .build();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> texts(List<byte[]> batches) {
        return batches.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void webhooksAndDeliveriesArePutReplacedDeletedAndSurviveReopen() {
        write(store, new StoreWrite.PutWebhook(webhook("w1", "http://127.0.0.1/a"), "secret-1"),
              new StoreWrite.PutWebhook(webhook("w2", "http://127.0.0.1/b"), "secret-2"),
              new StoreWrite.PutWebhookDelivery(delivery("d1", "w1", WebhookDelivery.State.PENDING), 2, bytes("body-1")),
              new StoreWrite.PutWebhookDelivery(delivery("d2", "w1", WebhookDelivery.State.PENDING), 1, bytes("body-2")),
              new StoreWrite.PutWebhookDelivery(delivery("d3", "w2", WebhookDelivery.State.PENDING), 3, bytes("body-3")),
              new StoreWrite.PutWebhookDelivery(delivery("d4", "w1", WebhookDelivery.State.PENDING), 4, bytes("body-4")));
        write(store, new StoreWrite.PutWebhook(webhook("w1", "http://127.0.0.1/a2"), "secret-1b"),
              new StoreWrite.PutWebhookDelivery(delivery("d1", "w1", WebhookDelivery.State.DELIVERED), 2, bytes("body-1")),
              new StoreWrite.DeleteWebhookDelivery("d4"),
              new StoreWrite.DeleteWebhook("w2"));
        store.close();

        StoredState state = reopen().load();
        assertThat(state.webhooks()).containsExactly(
                new StoredState.StoredWebhook(webhook("w1", "http://127.0.0.1/a2"), "secret-1b"));
        assertThat(state.webhookDeliveries()).as("in sequence order; w2's went with it, d4 was deleted")
                .extracting(d -> d.delivery().getId(), StoredState.StoredDelivery::sequence, d -> d.delivery().getState())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d2", 1L, WebhookDelivery.State.PENDING),
                                 org.assertj.core.groups.Tuple.tuple("d1", 2L, WebhookDelivery.State.DELIVERED));
        assertThat(state.webhookDeliveries()).extracting(d -> new String(d.body(), StandardCharsets.UTF_8))
                                             .containsExactly("body-2", "body-1");
    }

    @Test
    void logBatchesAreReadPerAttemptInOrderTrimmedExpiredAndSurviveReopen() {
        Instant t1 = Instant.ofEpochMilli(1_800_000_000_000L);
        Instant t2 = t1.plusSeconds(60);
        Instant t3 = t2.plusSeconds(60);
        write(store, new StoreWrite.PutLogLines("j1", 1, 11, 20, bytes("j1/1 11-20"), t2),
              new StoreWrite.PutLogLines("j1", 1, 1, 10, bytes("j1/1 1-10"), t1),
              new StoreWrite.PutLogLines("j1", 1, 21, 25, bytes("j1/1 21-25"), t3),
              new StoreWrite.PutLogLines("j1", 2, 1, 5, bytes("j1/2 1-5"), t1),
              new StoreWrite.PutLogLines("j2", 1, 1, 3, bytes("j2/1 1-3"), t3));
        // A batch flushed again with the same first line replaces the earlier copy.
        write(store, new StoreWrite.PutLogLines("j1", 1, 21, 30, bytes("j1/1 21-30"), t3));

        assertThat(texts(store.readLogLines("j1", 1))).containsExactly("j1/1 1-10", "j1/1 11-20", "j1/1 21-30");
        assertThat(texts(store.readLogLines("j1", 2))).containsExactly("j1/2 1-5");
        assertThat(store.readLogLines("j1", 3)).isEmpty();
        assertThat(store.readLogLines("nope", 1)).isEmpty();

        write(store, new StoreWrite.TrimLogLines("j1", 1, 11));
        assertThat(texts(store.readLogLines("j1", 1))).as("batches ending before line 11 are gone")
                                                     .containsExactly("j1/1 11-20", "j1/1 21-30");
        assertThat(texts(store.readLogLines("j1", 2))).as("other attempts untouched").containsExactly("j1/2 1-5");

        write(store, new StoreWrite.ExpireLogLines(t3));
        store.close();

        BatonStore again = reopen();
        assertThat(texts(again.readLogLines("j1", 1))).containsExactly("j1/1 21-30");
        assertThat(again.readLogLines("j1", 2)).isEmpty();
        assertThat(texts(again.readLogLines("j2", 1))).containsExactly("j2/1 1-3");
    }

    @Test
    void writesAfterCloseAreRefused() {
        store.close();

        assertThatThrownBy(() -> write(store, new StoreWrite.PutJob(job("late", "x"), 1)))
                .hasMessageContaining("the store is closed");
    }
}
