package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.SqliteStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;

/**
 * A book loaded from a real store, with jobs that end after the load: finished jobs are held packed,
 * and no read can tell them from live ones.
 */
class JobBookPackedJobsTest {

    /** Commands "after the current one", run when the test says so. */
    private final List<Runnable> afterCommand = new ArrayList<>();
    private final JobBook book = new JobBook(afterCommand::add);

    @BeforeEach
    void load(@TempDir Path dir) {
        try (SqliteStore store = new SqliteStore(dir)) {
            store.write(List.of(put("f1", Job.Status.STOPPED, 1), put("r2", Job.Status.RUNNING, 2),
                                put("f3", Job.Status.FAILED, 3), put("p4", Job.Status.PENDING, 4),
                                put("f5", Job.Status.CANCELED, 5))).join();
            StoredState state = store.load();
            book.addFinished(JobBook.index(state.finishedJobs()));
            state.jobs().forEach(stored -> JobRecordLoader.load(book, stored.job(), stored.sequence()));
        }
    }

    @Test
    void finishedJobsLoadPackedAndCountAndListInCreationOrderAmongTheOthers() {
        assertThat(book.isPacked("f1")).isTrue();
        assertThat(book.isPacked("f3")).isTrue();
        assertThat(book.isPacked("r2")).isFalse();
        assertThat(book.size()).isEqualTo(5);
        assertThat(book.countsByStatus()).containsAllEntriesOf(Map.of(Job.Status.STOPPED, 1, Job.Status.FAILED, 1,
                Job.Status.CANCELED, 1, Job.Status.RUNNING, 1, Job.Status.PENDING, 1));
        assertThat(book.statusOf("f3")).isEqualTo(Job.Status.FAILED);
        assertThat(ids(book.after(0))).containsExactly("f1", "r2", "f3", "p4", "f5");
        assertThat(ids(book.after(2))).containsExactly("f3", "p4", "f5");
        assertThat(book.all()).extracting(JobRecord::id).containsExactly("f1", "r2", "f3", "p4", "f5");
        assertThat(book.nextSequence()).isEqualTo(6);
    }

    @Test
    void aPackedJobReadsAsStoredAndStaysPacked() {
        JobRecord read = book.get("f3");

        assertThat(read.job()).isEqualTo(job("f3", Job.Status.FAILED));
        assertThat(read.job()).isEqualTo(read.job());
        assertThat(read.status()).isEqualTo(Job.Status.FAILED);
        assertThat(read.sequence()).isEqualTo(3);
        assertThat(book.require("f3")).isSameAs(read);
        assertThat(book.isPacked("f3")).as("a read keeps nothing").isTrue();
        assertThat(book.all()).extracting(JobRecord::job).containsExactly(job("f1", Job.Status.STOPPED),
                job("r2", Job.Status.RUNNING), job("f3", Job.Status.FAILED), job("p4", Job.Status.PENDING),
                job("f5", Job.Status.CANCELED));
        assertThat(book.isPacked("f1")).isTrue();
    }

    @Test
    void aJobThatEndsIsPackedAfterTheCommandAndReadsTheSame() {
        JobRecord r2 = book.get("r2");
        Job stopped = richJob("r2", Job.Status.STOPPED);

        book.update(r2, stopped);
        assertThat(book.isPacked("r2")).as("the command that ended it may still change it").isFalse();
        assertThat(afterCommand).hasSize(1);
        runAfterCommand();

        assertThat(book.isPacked("r2")).isTrue();
        assertThat(book.get("r2")).isSameAs(r2);
        assertThat(r2.job()).isEqualTo(stopped);
        assertThat(r2.status()).isEqualTo(Job.Status.STOPPED);
        assertThat(r2.slots()).isEqualTo(2);
        assertThat(book.statusOf("r2")).isEqualTo(Job.Status.STOPPED);
        assertThat(book.countsByStatus()).containsEntry(Job.Status.STOPPED, 2).containsEntry(Job.Status.RUNNING, 0);
        assertThat(book.after(1)).extracting(JobRecord::job).first().isEqualTo(stopped);
    }

    @Test
    void aPackedJobChangedAgainIsLiveUntilTheNextCommandThenPackedAgain() {
        JobRecord f1 = book.get("f1");
        Job muted = f1.job().toBuilder().setStatusReason("changed after it ended").build();

        book.update(f1, muted);

        assertThat(book.isPacked("f1")).isFalse();
        assertThat(f1.job()).isSameAs(muted);
        assertThat(book.countsByStatus()).containsEntry(Job.Status.STOPPED, 1);
        runAfterCommand();
        assertThat(book.isPacked("f1")).isTrue();
        assertThat(book.require("f1").job()).isEqualTo(muted);
        assertThat(book.countsByStatus()).containsEntry(Job.Status.STOPPED, 1);
    }

    @Test
    void anEndedJobWithATimerArmedStaysLive() {
        JobRecord p4 = book.get("p4");
        p4.lostTimer = () -> { };

        book.update(p4, job("p4", Job.Status.FAILED));
        runAfterCommand();

        assertThat(book.isPacked("p4")).isFalse();
        assertThat(p4.job()).isEqualTo(job("p4", Job.Status.FAILED));
    }

    @Test
    void aBookWithoutALoopPacksAJobAsItEnds() {
        JobBook alone = new JobBook();
        JobRecord record = new JobRecord(job("j1", Job.Status.RUNNING), alone.nextSequence());
        alone.add(record);

        alone.update(record, richJob("j1", Job.Status.FAILED));

        assertThat(alone.isPacked("j1")).isTrue();
        assertThat(record.job()).isEqualTo(richJob("j1", Job.Status.FAILED));
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertThat(book.get("nope")).isNull();
        assertThat(book.isPacked("nope")).isFalse();
        assertThat(book.statusOf("nope")).isEqualTo(Job.Status.STATUS_UNSPECIFIED);
        assertThatThrownBy(() -> book.require("nope")).isInstanceOf(BatonException.class).hasMessageContaining("nope");
    }

    private void runAfterCommand() {
        List<Runnable> commands = new ArrayList<>(afterCommand);
        afterCommand.clear();
        commands.forEach(Runnable::run);
    }

    @Test
    void anIndexMadeOffTheLoopIsTakenWholeByAnEmptyBookAndAddedOneByOneToAnother(@TempDir Path dir) throws Exception {
        StoredState state;
        try (SqliteStore store = new SqliteStore(dir)) {
            store.write(List.of(put("g1", Job.Status.STOPPED, 10), put("g2", Job.Status.CANCELED, 11))).join();
            state = store.load();
        }
        JobBook.FinishedIndex index = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> JobBook.index(state.finishedJobs())).get();
        JobBook empty = new JobBook();
        empty.addFinished(index);
        assertThat(empty.all()).extracting(JobRecord::id).containsExactly("g1", "g2");
        assertThat(empty.countsByStatus()).containsEntry(Job.Status.STOPPED, 1).containsEntry(Job.Status.CANCELED, 1);
        assertThat(empty.isPacked("g2")).isTrue();
        assertThat(empty.nextSequence()).isEqualTo(12);
        assertThatThrownBy(() -> new JobBook().addFinished(index)).isInstanceOf(IllegalStateException.class);

        book.addFinished(JobBook.index(state.finishedJobs())); // the book loaded in load(): not empty
        assertThat(ids(book.all())).containsExactly("f1", "r2", "f3", "p4", "f5", "g1", "g2");
        assertThat(book.countsByStatus()).containsEntry(Job.Status.STOPPED, 2).containsEntry(Job.Status.CANCELED, 2);
        assertThat(book.get("g1").job().getStatusReason()).isEqualTo("reason of g1");
        assertThat(book.nextSequence()).isEqualTo(12);
    }

    private static List<String> ids(Iterable<JobRecord> records) {
        List<String> ids = new ArrayList<>();
        records.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static StoreWrite put(String id, Job.Status status, long sequence) {
        return new StoreWrite.PutJob(job(id, status), sequence);
    }

    private static Job job(String id, Job.Status status) {
        return Job.newBuilder().setId(id).setStatus(status).setStatusReason("reason of " + id).putLabels("k", id).build();
    }

    /** A job with the parts that made finished jobs costly: timestamps, attempts, maps. */
    private static Job richJob(String id, Job.Status status) {
        Timestamp at = Timestamp.newBuilder().setSeconds(1_700_000_000).setNanos(5_000_000).build();
        return job(id, status).toBuilder().setCreatedAt(at).setUpdatedAt(at).setEndedAt(at).setAttempt(1)
                .setRequirements(dev.baton.proto.v1.JobRequirements.newBuilder().setSlots(2))
                .putProgress("step", 3.0).putLabels("team", "a")
                .addAttempts(JobAttempt.newBuilder().setAttempt(1).setAgentId("a1").setStatus(status)
                                       .setAssignedAt(at).setEndedAt(at).setReason("done"))
                .build();
    }
}
