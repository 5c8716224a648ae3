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

import dev.baton.proto.v1.Job;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.SqliteStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;

/** A book loaded from a real store: finished jobs stay unread until asked for, and no read can tell. */
class JobBookUnreadJobsTest {

    private final JobBook book = new JobBook();

    @BeforeEach
    void load(@TempDir Path dir) {
        try (SqliteStore store = new SqliteStore(dir)) {
            store.write(List.of(put("f1", Job.Status.STOPPED, 1), put("r2", Job.Status.RUNNING, 2),
                                put("f3", Job.Status.FAILED, 3), put("p4", Job.Status.PENDING, 4),
                                put("f5", Job.Status.CANCELED, 5))).join();
            StoredState state = store.load();
            book.addUnread(state.finishedJobs());
            state.jobs().forEach(stored -> JobRecordLoader.load(book, stored.job(), stored.sequence()));
        }
    }

    @Test
    void unreadJobsCountAndListInCreationOrderAmongTheOthers() {
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
    void aReadJobIsTheStoredOneAndStaysTheSameRecord() {
        JobRecord read = book.get("f3");

        assertThat(read.job()).isEqualTo(job("f3", Job.Status.FAILED));
        assertThat(read.sequence()).isEqualTo(3);
        assertThat(book.require("f3")).isSameAs(read);
        assertThat(book.all()).extracting(JobRecord::id).containsExactly("f1", "r2", "f3", "p4", "f5");
        assertThat(book.all()).filteredOn(r -> r.id().equals("f3")).singleElement().isSameAs(read);
        assertThat(book.size()).isEqualTo(5);
        assertThat(book.countsByStatus().get(Job.Status.FAILED)).isEqualTo(1);
    }

    @Test
    void aStatusFilterPassesOverUnreadJobsItRejects() {
        assertThat(ids(book.after(0, status -> status == Job.Status.CANCELED))).containsExactly("r2", "p4", "f5");
        assertThat(ids(book.after(0))).containsExactly("f1", "r2", "f3", "p4", "f5");
    }

    @Test
    void unreadJobsAreReadASliceAtATimeAfterAnyAlreadyRead() {
        JobRecord f3 = book.get("f3");
        assertThat(book.unreadCount()).isEqualTo(2);

        assertThat(book.readUnread(1)).as("f1 read, f5 left").isEqualTo(1);
        assertThat(book.readUnread(10)).isZero();
        assertThat(book.readUnread(10)).isZero();

        assertThat(book.require("f3")).isSameAs(f3);
        assertThat(book.require("f5").job()).isEqualTo(job("f5", Job.Status.CANCELED));
        assertThat(book.all()).extracting(JobRecord::id).containsExactly("f1", "r2", "f3", "p4", "f5");
        assertThat(book.size()).isEqualTo(5);
        assertThat(book.countsByStatus()).containsAllEntriesOf(Map.of(Job.Status.STOPPED, 1, Job.Status.FAILED, 1,
                Job.Status.CANCELED, 1, Job.Status.RUNNING, 1, Job.Status.PENDING, 1));
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertThat(book.get("nope")).isNull();
        assertThat(book.statusOf("nope")).isEqualTo(Job.Status.STATUS_UNSPECIFIED);
        assertThatThrownBy(() -> book.require("nope")).isInstanceOf(BatonException.class).hasMessageContaining("nope");
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
}
