package dev.baton.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.GcPauses;
import dev.baton.bench.harness.PeriodicScrape;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Samples;
import dev.baton.bench.load.Channels;
import dev.baton.bench.load.JobClock;
import dev.baton.bench.load.Submitter;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerTarget;
import dev.baton.bench.watch.Watcher;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.WatchRequest;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 2, dispatch latency. (a) One job at a time on an otherwise idle server; (b) an open-loop
 * 1,000 jobs/s. Submit → RUNNING is measured two ways, which bracket the truth: when the simulated
 * agent sends RUNNING (a lower bound: the server still has to read and apply it) and when a watcher
 * receives the server's RUNNING event (an upper bound: it includes the watch delivery).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
         description = "Scenario 2: submit → RUNNING and submit-ack latency, idle and at a steady rate.")
public final class LatencyScenario implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--agents", defaultValue = "1000")
    int agents;

    @Option(names = "--sequential", defaultValue = "2000", description = "jobs submitted one at a time (part a)")
    int sequential;

    @Option(names = "--sequential-warmup", defaultValue = "5000",
            description = "jobs submitted one at a time before part a, not measured: going from a steady rate to one job "
                          + "at a time sets both JVMs' JIT compilers to work for a second or two (docs/benchmarks.md, session "
                          + "12) (default ${DEFAULT-VALUE})")
    int sequentialWarmup;

    @Option(names = "--rate", defaultValue = "1000", description = "offered jobs/s (part b)")
    int rate;

    @Option(names = "--duration", defaultValue = "20", description = "seconds at the rate (part b)")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "3", description = "first seconds at the rate left out")
    int warmupSeconds;

    @Option(names = "--warmup-jobs", defaultValue = "60000",
            description = "jobs run at the rate before part a, not measured, as on a server that has been up a while: "
                          + "its JIT compiles for about a minute after a start (docs/benchmarks.md); 0 for a cold "
                          + "server (default ${DEFAULT-VALUE})")
    int warmupJobs;

    @Option(names = "--job-ms", defaultValue = "50")
    int jobMillis;

    @Option(names = "--timeline-dir", description = "also write each part's jobs, one CSV line each (when each was "
                                                     + "submitted, and its latencies), to this directory")
    Path timelineDir;

    @Option(names = "--no-watch", description = "do not time the server's RUNNING event through a watch stream")
    boolean noWatch;

    @Override
    public Integer call() {
        Report report = new Report("Dispatch latency", Main.commandLine());
        String[] parts = {"idle, one at a time", "at " + rate + " jobs/s"};
        for (String part : parts) {
            boolean idle = part.startsWith("idle");
            report.metric(part + ": submit → RUNNING sent by agent p50", "ms", idle ? Report.Target.atMost(2) : null);
            report.metric(part + ": submit → RUNNING sent by agent p90", "ms", null);
            report.metric(part + ": submit → RUNNING sent by agent p99", "ms",
                          idle ? Report.Target.atMost(5) : Report.Target.atMost(20));
            report.metric(part + ": submit → RUNNING event at watcher p50", "ms", idle ? Report.Target.atMost(2) : null);
            report.metric(part + ": submit → RUNNING event at watcher p90", "ms", null);
            report.metric(part + ": submit → RUNNING event at watcher p99", "ms",
                          idle ? Report.Target.atMost(5) : Report.Target.atMost(20));
            report.metric(part + ": submit acknowledged p50", "ms", null);
            report.metric(part + ": submit acknowledged p99", "ms", idle ? null : Report.Target.atMost(10));
            report.metric(part + ": server paused for GC", "% of the time", null);
            report.metric(part + ": load generator paused for GC", "% of the time", null);
        }
        boolean ok = true;
        boolean watched = false;
        for (int run = 1; run <= common.runs; run++) {
            Common.log("latency run %d of %d", run, common.runs);
            watched |= runOnce(run, report, parts);
            report.endRun();
        }
        report.note("Fleet: " + agents + " one-slot agents on their own connections; jobs run " + jobMillis + " ms.");
        report.note("\"RUNNING sent by agent\": the simulated agent's clock when it wrote RUNNING (right after its ack), "
                    + "a lower bound of submit → the server applying RUNNING. \"RUNNING event at watcher\": a watch "
                    + "client on the same machine received the server's RUNNING event, an upper bound (it adds the "
                    + "watch fan-out)." + (watched ? "" : " The watch stream was not available on this build: no "
                    + "upper bound measured."));
        report.note((warmupJobs > 0
                ? "Before part a, " + warmupJobs + " jobs ran at " + rate + " jobs/s, not measured (a server that has been "
                  + "up a while: JIT-compiled, store pages cached); then " + sequentialWarmup
                  + " jobs one at a time, not measured."
                : "No warm-up jobs (--warmup-jobs 0: a server in its first minute, its JIT still compiling); "
                  + sequentialWarmup + " jobs "
                  + "one at a time before part a, not measured."));
        report.note("Part b is open loop: latency counts from each job's due time, not from when it was sent.");
        report.note("Server: " + common.describeServer() + "; SQLite store synchronous=FULL.");
        return common.finish(report, ok);
    }

    private boolean runOnce(int run, Report report, String[] parts) {
        try (ServerTarget server = common.server("latency", run).start();
             Channels clients = Channels.open(server.port(), 4, 1, "submit");
             SimFleet fleet = SimFleet.builder(server.port()).agents(agents).jobDuration(Duration.ofMillis(jobMillis))
                                      .build()) {
            ServerProbe probe = new ServerProbe(clients.get(0));
            boolean watch = !noWatch && probe.watchAvailable();
            fleet.connect(2000, Duration.ofSeconds(120));
            fleet.startHeartbeats();

            int warm = sequentialWarmup;
            int n = sequential;
            int rated = rate * durationSeconds;
            JobClock clock = new JobClock(warmupJobs + warm + n + rated);
            fleet.clock(clock);
            int first = warmupJobs;
            Watcher watcher = null;
            // The measured parts read /metrics (GC pauses): the warm-up does too, for the server's JIT.
            try (PeriodicScrape warmReads = PeriodicScrape.duringWarmUp(server.port())) {
                if (warmupJobs > 0) {
                    new Submitter(clients, clock, rate, 20_000).run(0, warmupJobs, warmupJobs, Duration.ofSeconds(60));
                    Common.awaitStopped(probe, warmupJobs, 120);
                }
                if (watch) {
                    watcher = Watcher.open(clients.get(3),
                                           WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB).build(),
                                           false, Set.of(), clock, null);
                    if (!watcher.awaitSnapshot(30_000)) {
                        throw new IllegalStateException("watch snapshot did not end: " + watcher.closedStatus());
                    }
                }
                sequentialJobs(clients, clock, first, first + warm, watch);
            }
            GcPauses.Mark idleGc = GcPauses.mark(server.port());
            sequentialJobs(clients, clock, first + warm, first + warm + n, watch);
            record(report, parts[0], clock, first + warm, first + warm + n, watch);
            writeTimeline(clock, "idle", run, first + warm, first + warm + n);
            recordGc(report, parts[0], idleGc.end());

            int from = first + warm + n;
            GcPauses.Mark ratedGc = GcPauses.mark(server.port());
            new Submitter(clients, clock, rate, 20_000).run(from, from + rated, from + rated, Duration.ofSeconds(60));
            GcPauses.Window ratedPauses = ratedGc.end();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((clock.countRunningSent(from, from + rated) < rated
                    || (watch && clock.countRunningSeen(from, from + rated) < rated)) && System.nanoTime() < deadline) {
                Common.sleepMillis(20);
            }
            int measuredFrom = from + rate * warmupSeconds;
            record(report, parts[1], clock, measuredFrom, from + rated, watch);
            writeTimeline(clock, "rated", run, measuredFrom, from + rated);
            recordGc(report, parts[1], ratedPauses);
            if (watcher != null) {
                if (watcher.closedStatus() != null) {
                    // A watcher that fell behind is cut off by design; its missing samples must say why.
                    Common.log("the watch client was closed by the server: %s", watcher.closedStatus());
                    report.note("Run " + run + ": the watch client was closed by the server (" + watcher.closedStatus()
                                + "), so \"RUNNING event at watcher\" has no samples after that.");
                }
                watcher.cancel();
            }
            return watch;
        }
    }

    private void writeTimeline(JobClock clock, String name, int run, int from, int to) {
        if (timelineDir == null) {
            return;
        }
        Path file = timelineDir.resolve(name + "-run" + run + ".csv");
        try {
            Files.createDirectories(timelineDir);
            clock.writeTimeline(file, from, to);
        } catch (IOException e) {
            Common.log("could not write %s: %s", file, e);
        }
    }

    private static void record(Report report, String part, JobClock clock, int from, int to, boolean watch) {
        Samples sent = clock.runningSentLatency(from, to);
        Samples seen = clock.runningSeenLatency(from, to);
        Samples ack = clock.ackLatency(from, to);
        report.record(part + ": submit → RUNNING sent by agent p50", sent.percentileMillis(50));
        report.record(part + ": submit → RUNNING sent by agent p90", sent.percentileMillis(90));
        report.record(part + ": submit → RUNNING sent by agent p99", sent.percentileMillis(99));
        if (watch) {
            report.record(part + ": submit → RUNNING event at watcher p50", seen.percentileMillis(50));
            report.record(part + ": submit → RUNNING event at watcher p90", seen.percentileMillis(90));
            report.record(part + ": submit → RUNNING event at watcher p99", seen.percentileMillis(99));
        }
        report.record(part + ": submit acknowledged p50", ack.percentileMillis(50));
        report.record(part + ": submit acknowledged p99", ack.percentileMillis(99));
        Common.log("%s: %d jobs, RUNNING sent p50 %.2f p99 %.2f ms; RUNNING seen p50 %.2f p99 %.2f ms (%d seen); ack p50 "
                   + "%.2f p99 %.2f ms", part, to - from, sent.percentileMillis(50), sent.percentileMillis(99),
                   seen.percentileMillis(50), seen.percentileMillis(99), seen.count(), ack.percentileMillis(50),
                   ack.percentileMillis(99));
    }

    /** How much of a part both processes spent in GC pauses: a p99 that misses is often one of them. */
    private static void recordGc(Report report, String part, GcPauses.Window pauses) {
        report.record(part + ": server paused for GC", pauses.serverPercent());
        report.record(part + ": load generator paused for GC", pauses.generatorPercent());
        Common.log("%s: %s", part, pauses);
    }

    /** Submits jobs one after the other, each once the previous one is RUNNING (and seen, with a watch). */
    private static void sequentialJobs(Channels clients, JobClock clock, int from, int to, boolean watch) {
        JobServiceGrpc.JobServiceStub stub = JobServiceGrpc.newStub(clients.get(1));
        for (int seq = from; seq < to; seq++) {
            int s = seq;
            SubmitJobRequest request = SubmitJobRequest.newBuilder().setInlineConfig(JobClock.config(seq, false)).build();
            clock.submitted(seq, System.nanoTime());
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(request, new StreamObserver<>() {
                @Override
                public void onNext(SubmitJobResponse value) {
                    clock.acked(s, System.nanoTime());
                }

                @Override
                public void onError(Throwable t) {
                    Common.log("submit %d failed: %s", s, t);
                }

                @Override
                public void onCompleted() {
                }
            });
            if (!clock.awaitRunning(seq, watch, TimeUnit.SECONDS.toNanos(10))) {
                throw new IllegalStateException("job " + seq + " not RUNNING within 10 s");
            }
            // Let the ack land too, so the next submit finds the server idle.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (clock.ackedAt(seq) == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000);
            }
        }
    }
}
