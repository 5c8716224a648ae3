package dev.baton.server.jobs;

import dev.baton.proto.v1.Job;

/** Rebuilds job records from the store at start-up. */
public final class JobRecordLoader {

    private JobRecordLoader() {}

    public static JobRecord load(JobBook book, Job job, long sequence) {
        JobRecord record = new JobRecord(job, sequence);
        book.add(record);
        book.sequenceAtLeast(sequence);
        return record;
    }

    /** A stored PENDING (or CREATED) job goes back to the placement queue. */
    public static void requeue(JobLifecycle lifecycle, JobRecord record) {
        if (record.status() == Job.Status.CREATED) {
            lifecycle.transition(record, Job.Status.PENDING, b -> { });
        }
        lifecycle.enqueue(record);
    }
}
