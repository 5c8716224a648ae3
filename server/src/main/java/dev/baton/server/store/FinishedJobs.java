package dev.baton.server.store;

import java.util.Arrays;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import dev.baton.proto.v1.Job;

/**
 * The finished jobs (STOPPED, FAILED, CANCELED) of a loaded store, in creation order, as their
 * stored bytes: a long-lived store is mostly finished jobs that nothing reads again, and parsing
 * every one of them was most of a restart. Only each row's status is read at load (it is counted
 * by status); the job book keeps the bytes as they are and parses a job when something asks for it.
 */
public final class FinishedJobs {

    private static final FinishedJobs NONE = new FinishedJobs(new String[0], new long[0], new Job.Status[0],
                                                               new byte[0][], 0);

    private final String[] ids;
    private final long[] sequences;
    private final Job.Status[] statuses;
    private final byte[][] rows;
    private final int size;

    private FinishedJobs(String[] ids, long[] sequences, Job.Status[] statuses, byte[][] rows, int size) {
        this.ids = ids;
        this.sequences = sequences;
        this.statuses = statuses;
        this.rows = rows;
        this.size = size;
    }

    public static FinishedJobs none() {
        return NONE;
    }

    public int size() {
        return size;
    }

    public String id(int index) {
        return ids[index];
    }

    /** Creation order; ascending with the index. */
    public long sequence(int index) {
        return sequences[index];
    }

    public Job.Status status(int index) {
        return statuses[index];
    }

    /** The job as stored; fails only if the row was corrupted after it was loaded (its status did read). */
    public Job parse(int index) {
        try {
            return Job.parseFrom(rows[index]);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored job " + ids[index] + " does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The statuses a job never leaves (JobStateMachine's terminal ones; the store does not depend
     * on the jobs package, and a test keeps the two in agreement).
     */
    public static boolean isFinished(Job.Status status) {
        return status == Job.Status.STOPPED || status == Job.Status.FAILED || status == Job.Status.CANCELED;
    }

    /** Job {@code index}'s stored bytes, shared: callers must not change them. */
    public byte[] row(int index) {
        return rows[index];
    }

    /** The status field of a stored job, read without parsing the rest (its config, attempts, labels). */
    static Job.Status peekStatus(byte[] row) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(row);
        try {
            int status = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == Job.STATUS_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                    status = in.readEnum(); // the last occurrence wins, as in a full parse
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            Job.Status known = Job.Status.forNumber(status);
            return known == null ? Job.Status.UNRECOGNIZED : known;
        } catch (java.io.IOException e) {
            throw e instanceof InvalidProtocolBufferException invalid ? invalid
                    : new InvalidProtocolBufferException(e.getMessage());
        }
    }

    /** Collects rows in creation order. */
    static final class Builder {
        private String[] ids = new String[1024];
        private long[] sequences = new long[1024];
        private Job.Status[] statuses = new Job.Status[1024];
        private byte[][] rows = new byte[1024][];
        private int size;

        void add(String id, long sequence, Job.Status status, byte[] row) {
            if (size == ids.length) {
                int grown = size * 2;
                ids = Arrays.copyOf(ids, grown);
                sequences = Arrays.copyOf(sequences, grown);
                statuses = Arrays.copyOf(statuses, grown);
                rows = Arrays.copyOf(rows, grown);
            }
            ids[size] = id;
            sequences[size] = sequence;
            statuses[size] = status;
            rows[size] = row;
            size++;
        }

        FinishedJobs build() {
            return size == 0 ? NONE : new FinishedJobs(ids, sequences, statuses, rows, size);
        }
    }
}
