package dev.baton.server.jobs;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.ListJobsResponse;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;

/** Reading jobs and changing their metadata. Runs on the control loop. */
public final class JobQueries {

    private final ControlLoop loop;
    private final JobBook book;
    private final JobLifecycle lifecycle;
    private final BatonStore store;

    public JobQueries(ControlLoop loop, JobBook book, JobLifecycle lifecycle, BatonStore store) {
        this.loop = loop;
        this.book = book;
        this.lifecycle = lifecycle;
        this.store = store;
    }

    public Job get(String id) {
        return book.require(id).job();
    }

    /** Jobs in creation order, filtered, one page at a time (the token holds the last sequence). */
    public ListJobsResponse list(ListJobsRequest request) {
        int size = Validation.pageSize(request.getPageSize());
        String position = Validation.decodePageToken(request.getPageToken());
        long after;
        try {
            after = position == null ? 0 : Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw BatonException.invalidArgument("pageToken: not a page token from a previous response");
        }
        Set<Job.Status> statuses = EnumSet.noneOf(Job.Status.class);
        for (Job.Status status : request.getStatusList()) {
            if (status == Job.Status.UNRECOGNIZED || status == Job.Status.STATUS_UNSPECIFIED) {
                throw BatonException.invalidArgument("status: not a job status (expected: e.g. RUNNING, PENDING)");
            }
            statuses.add(status);
        }
        Map<String, String> selector = Validation.labelSelector(request.getLabelSelector());
        ListJobsResponse.Builder response = ListJobsResponse.newBuilder();
        JobRecord last = null;
        JobListFilter filter = new JobListFilter(statuses, request.getAgentId(), request.getTemplateId(), selector);
        for (JobRecord r : book.after(after)) {
            if (!filter.accepts(r)) {
                continue;
            }
            if (response.getJobsCount() == size) {
                response.setNextPageToken(Validation.encodePageToken(Long.toString(last.sequence())));
                break;
            }
            response.addJobs(r.job());
            last = r;
        }
        return response.build();
    }

    public StreamMetadata metadata(String id) {
        return book.require(id).job().getMetadata();
    }

    /** Merges the given fields; applied in memory only after the store has it. */
    public CompletableFuture<StreamMetadata> updateMetadata(String id, StreamMetadata patch) {
        JobRecord r = book.require(id);
        Validation.metadata(patch);
        Job job = r.job();
        StreamMetadata merged = job.getMetadata().toBuilder().mergeFrom(patch).build();
        Job next = job.toBuilder().setMetadata(merged)
                    .setUpdatedAt(Timestamps.fromMillis(loop.time().now().toEpochMilli())).build();
        return store.write(List.of(new StoreWrite.PutJob(next, r.sequence()))).thenApplyAsync(ignored -> {
            // Other changes may have landed meanwhile: merge the patch into the job as it is now.
            JobRecord current = book.require(id);
            Job currentJob = current.job();
            StreamMetadata now = currentJob.getMetadata().toBuilder().mergeFrom(patch).build();
            lifecycle.save(current, currentJob.toBuilder().setMetadata(now)
                                           .setUpdatedAt(next.getUpdatedAt()).build());
            return now;
        }, loop::execute);
    }
}
