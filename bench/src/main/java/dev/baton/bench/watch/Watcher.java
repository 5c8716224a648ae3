package dev.baton.bench.watch;

import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.baton.bench.harness.Samples;
import dev.baton.bench.load.JobClock;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One watch stream: waits for the snapshot to end, then checks that live revisions have no gaps
 * (when it watches everything), timestamps RUNNING jobs and generated progress events, and
 * records the stream's end. A stalled watcher takes one message and then stops reading until
 * {@link #resume}, so the server sees a client that does not keep up.
 */
public final class Watcher {

    private final WatchRequest request;
    private final boolean stalled;
    private final Set<String> watchedJobs;
    private final JobClock jobClock;
    private final EventClock eventClock;
    private final Samples eventLatency = new Samples();
    private final BitSet eventsSeen = new BitSet();
    private final CompletableFuture<Long> snapshotEnd = new CompletableFuture<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<WatchRequest> call;
    private volatile long lastRevision = -1;
    private volatile long liveEvents;
    private volatile long gaps;

    private Watcher(WatchRequest request, boolean stalled, Set<String> watchedJobs, JobClock jobClock,
                    EventClock eventClock) {
        this.request = request;
        this.stalled = stalled;
        this.watchedJobs = watchedJobs;
        this.jobClock = jobClock;
        this.eventClock = eventClock;
    }

    /**
     * Opens a watch. {@code watchedJobs} empty means every job (and then, with no kind filter, every
     * revision must arrive); either clock may be null.
     */
    public static Watcher open(ManagedChannel channel, WatchRequest request, boolean stalled, Set<String> watchedJobs,
                               JobClock jobClock, EventClock eventClock) {
        Watcher watcher = new Watcher(request, stalled, Set.copyOf(watchedJobs), jobClock, eventClock);
        WatchServiceGrpc.newStub(channel).watch(request, watcher.new Inbound());
        return watcher;
    }

    /** The revision of SNAPSHOT_END once the snapshot is complete. */
    public boolean awaitSnapshot(long timeoutMillis) {
        try {
            snapshotEnd.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A stalled watcher starts reading again (everything buffered, then the stream's end). */
    public void resume() {
        ClientCallStreamObserver<WatchRequest> c = call;
        if (c != null) {
            c.request(Integer.MAX_VALUE);
        }
    }

    public void cancel() {
        ClientCallStreamObserver<WatchRequest> c = call;
        if (c != null) {
            c.cancel("benchmark over", null);
        }
    }

    /** How the stream ended, or null while it is open. */
    public Status closedStatus() {
        return closed.getNow(null);
    }

    public Status awaitClosed(long timeoutMillis) {
        try {
            return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    public long lastRevision() {
        return lastRevision;
    }

    public long liveEvents() {
        return liveEvents;
    }

    /** Live revisions that did not follow the previous one (only meaningful when watching everything). */
    public long gaps() {
        return gaps;
    }

    public Samples eventLatency() {
        return eventLatency;
    }

    /** Whether generated event {@code n} arrived. */
    public synchronized boolean saw(int n) {
        return eventsSeen.get(n);
    }

    public boolean watches(String jobId) {
        return watchedJobs.isEmpty() || watchedJobs.contains(jobId);
    }

    private void onEvent(WatchEvent event) {
        long now = System.nanoTime();
        switch (event.getType()) {
            case SNAPSHOT -> { }
            case SNAPSHOT_END -> {
                lastRevision = event.getRevision();
                snapshotEnd.complete(event.getRevision());
            }
            case BOOKMARK -> { }
            case RESET -> lastRevision = -1;
            default -> live(event, now);
        }
        if (stalled) {
            return;
        }
        ClientCallStreamObserver<WatchRequest> c = call;
        if (c != null) {
            c.request(1);
        }
    }

    private void live(WatchEvent event, long now) {
        liveEvents++;
        long previous = lastRevision;
        if (previous >= 0 && event.getRevision() != previous + 1 && request.getKindsCount() == 0
            && request.getIdsCount() == 0) {
            gaps++;
        }
        lastRevision = event.getRevision();
        if (!event.hasJob()) {
            return;
        }
        Job job = event.getJob();
        if (jobClock != null && job.getStatus() == Job.Status.RUNNING) {
            jobClock.runningSeen(JobClock.seqOf(job.getConfig()), now);
        }
        if (eventClock != null && event.getType() == WatchEvent.Type.UPDATED) {
            Double n = job.getProgressMap().get(EventClock.GAUGE);
            if (n != null) {
                int number = n.intValue();
                long sent = eventClock.sentAt(number);
                synchronized (this) {
                    if (sent != 0 && !eventsSeen.get(number)) {
                        eventsSeen.set(number);
                        eventLatency.add(Math.max(0, now - sent));
                    }
                }
            }
        }
    }

    private final class Inbound implements ClientResponseObserver<WatchRequest, WatchEvent> {
        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(stalled ? 1 : 64);
        }

        @Override
        public void onNext(WatchEvent event) {
            onEvent(event);
        }

        @Override
        public void onError(Throwable t) {
            closed.complete(Status.fromThrowable(t));
            snapshotEnd.complete(-1L);
        }

        @Override
        public void onCompleted() {
            closed.complete(Status.OK);
            snapshotEnd.complete(-1L);
        }
    }
}
