package dev.baton.bench.load;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * An open-loop submitter: job {@code i} is due at {@code start + i / rate} whether or not earlier
 * submits were answered, and its latency is measured from that due time (so a stalled server shows
 * up as latency, not as a politely lowered load). The calls go round robin over several
 * connections, as from concurrent clients. In-flight calls are capped to bound memory; when the cap
 * is hit the submitter waits, which {@link Result#stalls} counts.
 */
public final class Submitter {

    /** What a submit phase did. */
    public record Result(long issued, long acked, long failed, long stalls, Duration elapsed,
                         Map<String, Long> failures) {
        public double offeredPerSecond() {
            return issued / (elapsed.toNanos() / 1e9);
        }
    }

    private final Channels channels;
    private final JobClock clock;
    private final double rate;
    private final int maxInFlight;

    public Submitter(Channels channels, JobClock clock, double rate, int maxInFlight) {
        this.channels = requireNonNull(channels, "channels");
        this.clock = requireNonNull(clock, "clock");
        if (rate <= 0) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: > 0)");
        }
        this.rate = rate;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Submits jobs {@code from} to {@code to} (exclusive) at the rate, those from {@code holdFrom} on
     * marked to run until stopped, then waits up to {@code drain} for the last answers.
     */
    public Result run(int from, int to, int holdFrom, Duration drain) {
        if (to > clock.capacity()) {
            throw new IllegalArgumentException("to: " + to + " (expected: <= clock capacity " + clock.capacity() + ")");
        }
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        long stalls = 0;
        long start = System.nanoTime();
        double gap = 1e9 / rate;
        for (int seq = from; seq < to; seq++) {
            long due = start + (long) ((seq - from) * gap);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            if (inFlight.get() >= maxInFlight) {
                stalls++;
                long stallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (inFlight.get() >= maxInFlight && System.nanoTime() - stallDeadline < 0) {
                    LockSupport.parkNanos(100_000);
                }
            }
            long seqFinal = seq;
            clock.submitted(seq, due);
            inFlight.incrementAndGet();
            SubmitJobRequest request = SubmitJobRequest.newBuilder()
                    .setInlineConfig(JobClock.config(seq, seq >= holdFrom)).build();
            JobServiceGrpc.newStub(channels.get(seq)).withDeadlineAfter(60, TimeUnit.SECONDS)
                          .submitJob(request, new StreamObserver<>() {
                              @Override
                              public void onNext(SubmitJobResponse value) {
                                  clock.acked(seqFinal, System.nanoTime());
                                  acked.incrementAndGet();
                              }

                              @Override
                              public void onError(Throwable t) {
                                  failed.incrementAndGet();
                                  failures.merge(Status.fromThrowable(t).getCode().name(), 1L, Long::sum);
                                  inFlight.decrementAndGet();
                              }

                              @Override
                              public void onCompleted() {
                                  inFlight.decrementAndGet();
                              }
                          });
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long drainDeadline = System.nanoTime() + drain.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() - drainDeadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        return new Result(to - from, acked.get(), failed.get(), stalls, elapsed, Map.copyOf(failures));
    }
}
