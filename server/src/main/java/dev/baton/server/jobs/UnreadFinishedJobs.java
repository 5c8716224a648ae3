package dev.baton.server.jobs;

import java.util.HashMap;
import java.util.Map;

import dev.baton.proto.v1.Job;
import dev.baton.server.store.FinishedJobs;

/**
 * The finished jobs loaded at start-up that nothing has read since: kept as their stored bytes
 * until the first read parses one and the {@link JobBook} takes it over as a record. Owned by the
 * control loop.
 */
final class UnreadFinishedJobs {

    private final FinishedJobs stored;
    private final boolean[] taken;
    private int remaining;
    /** Built on the first lookup by id: many restarts never look one up. */
    private Map<String, Integer> byId;

    UnreadFinishedJobs(FinishedJobs stored) {
        this.stored = stored;
        this.taken = new boolean[stored.size()];
        this.remaining = stored.size();
    }

    int remaining() {
        return remaining;
    }

    /** The index of the unread job {@code id}, or -1. */
    int indexOf(String id) {
        if (remaining == 0) {
            return -1;
        }
        if (byId == null) {
            byId = new HashMap<>(stored.size() * 4 / 3 + 1);
            for (int i = 0; i < stored.size(); i++) {
                byId.put(stored.id(i), i);
            }
        }
        Integer index = byId.get(id);
        return index == null || taken[index] ? -1 : index;
    }

    /** The first unread job created after {@code sequence}, or -1. */
    int firstAfter(long sequence) {
        int low = 0;
        int high = stored.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (stored.sequence(mid) <= sequence) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return nextUnread(low);
    }

    /** The first unread index at or after {@code index}, or -1. */
    int nextUnread(int index) {
        if (remaining == 0) {
            return -1;
        }
        for (int i = index; i < taken.length; i++) {
            if (!taken[i]) {
                return i;
            }
        }
        return -1;
    }

    long sequence(int index) {
        return stored.sequence(index);
    }

    Job.Status status(int index) {
        return stored.status(index);
    }

    /** Parses job {@code index} and forgets it here: from now on the caller's record is the job. */
    JobRecord take(int index) {
        JobRecord record = new JobRecord(stored.parse(index), stored.sequence(index));
        stored.release(index);
        taken[index] = true;
        remaining--;
        if (byId != null) {
            byId.remove(record.id());
        }
        return record;
    }

    /** The highest sequence among them (0 when none). */
    long lastSequence() {
        return stored.size() == 0 ? 0 : stored.sequence(stored.size() - 1);
    }

    /** Counts by status of the unread jobs. */
    Map<Job.Status, Integer> counts() {
        Map<Job.Status, Integer> counts = new HashMap<>();
        for (int i = 0; i < stored.size(); i++) {
            if (!taken[i]) {
                counts.merge(stored.status(i), 1, Integer::sum);
            }
        }
        return counts;
    }
}
