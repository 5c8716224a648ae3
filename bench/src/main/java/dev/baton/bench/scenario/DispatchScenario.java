package dev.baton.bench.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.BacklogPeaks;
import dev.baton.bench.harness.PeriodicScrape;
import dev.baton.bench.harness.ProcessStats;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Samples;
import dev.baton.bench.harness.ThreadCpu;
import dev.baton.bench.load.Channels;
import dev.baton.bench.load.JobClock;
import dev.baton.bench.load.Submitter;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerTarget;
import dev.baton.proto.v1.ServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 1, dispatch throughput: a fleet of one-slot agents that accept at once and report
 * RUNNING at once, jobs submitted open-loop by concurrent clients at each offered rate, the
 * durable store on. Reports RUNNING/s sustained against the offered load.
 */
@Command(name = "dispatch", mixinStandardHelpOptions = true,
         description = "Scenario 1: sustained submit → RUNNING throughput against offered load.")
public final class DispatchScenario implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--agents", defaultValue = "1000")
    int agents;

    @Option(names = "--slots", defaultValue = "1")
    int slots;

    @Option(names = "--agent-connections", defaultValue = "0", description = "connections for the agents (0: one per agent)")
    int agentConnections;

    @Option(names = "--rates", defaultValue = "2500,5000,7500,10000", split = ",", description = "offered jobs/s, one step each")
    List<Integer> rates;

    @Option(names = "--duration", defaultValue = "20", description = "seconds of submitting per rate")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", description = "first seconds of each step left out of the rate")
    int warmupSeconds;

    @Option(names = "--job-ms", defaultValue = "50", description = "how long each job runs before the agent reports STOPPED")
    int jobMillis;

    @Option(names = "--clients", defaultValue = "8", description = "submitting connections")
    int clients;

    @Option(names = "--max-in-flight", defaultValue = "20000")
    int maxInFlight;

    @Option(names = "--event-loop-threads", defaultValue = "2")
    int eventLoopThreads;

    @Option(names = "--keep-going", description = "run every rate even after one was not sustained")
    boolean keepGoing;

    @Option(names = "--drain-timeout", defaultValue = "300",
            description = "seconds to wait for a step's backlog to reach STOPPED before the next step")
    int drainTimeoutSeconds;

    @Option(names = "--warmup-jobs", defaultValue = "90000",
            description = "jobs run before the first measured step, at --warmup-rate: the server's JIT compiles for "
                          + "one to two minutes after a start (docs/benchmarks.md) (default ${DEFAULT-VALUE})")
    int warmupJobs;

    @Option(names = "--warmup-rate", defaultValue = "1000",
            description = "jobs/s of the warm-up, kept below what a cold server sustains: a warm-up that falls "
                          + "behind leaves its backlog in the old generation for the measured steps "
                          + "(default ${DEFAULT-VALUE})")
    int warmupRate;

    /** What one run found; the smoke test checks it. */
    public record Outcome(long submitted, long notRunning, long serverStopped, long serverFailed, long agentErrors,
                          long submitFailures) {}

    private Outcome lastOutcome;

    @Override
    public Integer call() {
        if (warmupSeconds >= durationSeconds) {
            // Otherwise every step's window is empty and its rate NaN.
            System.err.printf("dispatch: --warmup %d must be shorter than --duration %d (seconds of each step)%n",
                              warmupSeconds, durationSeconds);
            return 2;
        }
        if (warmupRate < 1) {
            System.err.printf("dispatch: --warmup-rate %d must be at least 1 (jobs/s)%n", warmupRate);
            return 2;
        }
        Report report = new Report("Dispatch throughput", Main.commandLine());
        for (int rate : rates) {
            report.metric(key(rate, "offered jobs/s"), "jobs/s", null);
            report.metric(key(rate, "RUNNING jobs/s"), "jobs/s", rate >= 5000 ? Report.Target.atLeast(5000) : null);
            report.metric(key(rate, "submit → RUNNING p50"), "ms", null);
            report.metric(key(rate, "submit → RUNNING p90"), "ms", null);
            report.metric(key(rate, "submit → RUNNING p99"), "ms", null);
            report.metric(key(rate, "submit ack p99"), "ms", null);
            report.metric(key(rate, "server CPU"), "% of a core", null);
            report.metric(key(rate, "load generator CPU"), "% of a core", null);
            report.metric(key(rate, "control loop queue, peak"), "commands", null);
            report.metric(key(rate, "store queue, peak"), "writes", null);
            for (String group : ThreadCpu.GROUPS) {
                report.metric(key(rate, "server CPU, " + group), "% of a core", null);
            }
        }
        report.metric("max sustained RUNNING jobs/s", "jobs/s", Report.Target.atLeast(5000));
        report.metric("jobs not STOPPED at the end", "jobs", Report.Target.atMost(0));
        report.metric("Error messages to agents", "", Report.Target.atMost(0));
        boolean ok = true;
        for (int run = 1; run <= common.runs; run++) {
            Common.log("dispatch run %d of %d", run, common.runs);
            ok &= runOnce(run, report);
            report.endRun();
        }
        report.note("Agents: " + agents + " × " + slots + " slot(s), each on "
                    + (agentConnections == 0 ? "its own connection" : agentConnections + " shared connections")
                    + ", " + eventLoopThreads + " client event-loop threads; jobs run " + jobMillis + " ms; "
                    + clients + " submitting connections, open loop (latency from each job's due time). Before the "
                    + "first step, unmeasured: " + warmupJobs + " jobs at " + warmupRate + "/s.");
        report.note("A step counts as sustained when RUNNING/s in its window reached 90 % of the offered rate with no "
                    + "submitter stall; after the first step that was not, higher rates are skipped (they only add "
                    + "backlog on a saturated server).");
        report.note("RUNNING is timed when the simulated agent sends it (the server then holds the update in its "
                    + "inbound queue only); every job was then checked on the server: STOPPED, none FAILED.");
        report.note("Server CPU by thread (child process only): GC = G1's threads, JIT = the C1/C2 compiler threads, "
                    + "Armeria event loops = the network (HTTP/2, gRPC), then Baton's control loop and store writer; "
                    + "other = the rest (timers, logging, the JVM's own threads).");
        report.note("Queue peaks: the largest of the server's baton_control_queue and baton_store_queue gauges, read "
                    + "once a second from the step's start until its jobs were RUNNING.");
        report.note("Server: " + common.describeServer() + "; SQLite store synchronous=FULL.");
        return common.finish(report, ok);
    }

    /** What the last run found (for the smoke test). */
    public Outcome lastOutcome() {
        return lastOutcome;
    }

    private static String describe(Map<String, Double> byThread) {
        StringBuilder text = new StringBuilder();
        byThread.forEach((group, pct) -> text.append(text.length() == 0 ? "" : ", ")
                                              .append(group).append(' ').append(Math.round(pct)));
        return text.toString();
    }

    private static String key(int rate, String what) {
        return "@" + rate + "/s: " + what;
    }

    private boolean runOnce(int run, Report report) {
        try (ServerTarget server = common.server("dispatch", run).start();
             Channels submitters = Channels.open(server.port(), clients, 1, "submit");
             SimFleet fleet = SimFleet.builder(server.port()).agents(agents).slots(slots)
                                      .connections(agentConnections == 0 ? agents : agentConnections)
                                      .eventLoopThreads(eventLoopThreads)
                                      .jobDuration(Duration.ofMillis(jobMillis)).idPrefix("agent").build()) {
            ServerProbe probe = new ServerProbe(submitters.get(0));
            Duration connected = fleet.connect(2000, Duration.ofSeconds(120));
            fleet.startHeartbeats();
            Common.log("%d agents connected in %d ms", agents, connected.toMillis());

            long submittedTotal = 0;
            // Warm-up: the JIT and the store's first pages, not measured; the steps' reads of /metrics too.
            int warm = Math.max(1, warmupJobs);
            JobClock warmClock = new JobClock(warm);
            fleet.clock(warmClock);
            Submitter.Result warmed;
            try (PeriodicScrape warmReads = PeriodicScrape.duringWarmUp(server.port())) {
                warmed = new Submitter(submitters, warmClock, warmupRate, maxInFlight)
                        .run(0, warm, warm, Duration.ofSeconds(60));
                // Only acknowledged jobs exist on the server; a refused one must not be waited for.
                submittedTotal += warmed.acked();
                Common.awaitStopped(probe, submittedTotal, drainTimeoutSeconds);
            }

            double best = 0;
            long errorsBefore = fleet.counters().errors.sum();
            long submitFailures = warmed.failed();
            long notRunning = warmed.acked() - warmClock.countRunningSent(0, warm);
            boolean saturated = false;
            for (int rate : rates) {
                if (saturated && !keepGoing) {
                    Common.log("rate %d/s skipped: a lower rate was not sustained (--keep-going runs it anyway)", rate);
                    continue;
                }
                int n = rate * durationSeconds;
                JobClock clock = new JobClock(n);
                fleet.clock(clock);
                var serverCpu = ProcessStats.CpuWindow.start(server.pid());
                var selfCpu = ProcessStats.CpuWindow.start(ProcessStats.selfPid());
                var serverThreads = server.separateProcess() ? ThreadCpu.Window.start(server.pid()) : null;
                BacklogPeaks backlog = BacklogPeaks.start(server.port());
                long start = System.nanoTime();
                Submitter.Result result = new Submitter(submitters, clock, rate, maxInFlight)
                        .run(0, n, n, Duration.ofSeconds(60));
                long runningDeadline = System.nanoTime() + Duration.ofSeconds(drainTimeoutSeconds).toNanos();
                while (clock.countRunningSent(0, n) < result.acked() && System.nanoTime() < runningDeadline) {
                    Common.sleepMillis(20);
                }
                double serverPct = server.separateProcess() ? serverCpu.percentOfOneCore() : Double.NaN;
                double selfPct = server.separateProcess() ? selfCpu.percentOfOneCore() : Double.NaN;
                Map<String, Double> byThread = serverThreads == null ? Map.of() : serverThreads.percentOfOneCore();
                BacklogPeaks.Peaks peaks = backlog.stop();
                long windowStart = start + Duration.ofSeconds(warmupSeconds).toNanos();
                long windowEnd = start + Duration.ofSeconds(durationSeconds).toNanos();
                double achieved = clock.countRunningSentBetween(0, n, windowStart, windowEnd)
                                  / ((windowEnd - windowStart) / 1e9);
                best = Math.max(best, achieved);
                saturated = achieved < 0.9 * result.offeredPerSecond() || result.stalls() > 0;
                Samples running = clock.runningSentLatency(0, n);
                Samples ack = clock.ackLatency(0, n);
                report.record(key(rate, "offered jobs/s"), result.offeredPerSecond());
                report.record(key(rate, "RUNNING jobs/s"), achieved);
                report.record(key(rate, "submit → RUNNING p50"), running.percentileMillis(50));
                report.record(key(rate, "submit → RUNNING p90"), running.percentileMillis(90));
                report.record(key(rate, "submit → RUNNING p99"), running.percentileMillis(99));
                report.record(key(rate, "submit ack p99"), ack.percentileMillis(99));
                report.record(key(rate, "server CPU"), serverPct);
                report.record(key(rate, "load generator CPU"), selfPct);
                report.record(key(rate, "control loop queue, peak"), peaks.controlLoop());
                report.record(key(rate, "store queue, peak"), peaks.store());
                for (String group : ThreadCpu.GROUPS) {
                    report.record(key(rate, "server CPU, " + group), byThread.getOrDefault(group, Double.NaN));
                }
                submittedTotal += result.acked();
                submitFailures += result.failed();
                notRunning += n - clock.countRunningSent(0, n);
                Common.log("rate %d/s: offered %.0f/s, RUNNING %.0f/s in the window, %d of %d RUNNING, submit→RUNNING "
                           + "p50 %.2f p99 %.2f ms, ack p99 %.2f ms, failures %s, stalls %d, server CPU %.0f%%, "
                           + "generator CPU %.0f%%", rate, result.offeredPerSecond(), achieved,
                           clock.countRunningSent(0, n), n, running.percentileMillis(50), running.percentileMillis(99),
                           ack.percentileMillis(99), result.failures(), result.stalls(), serverPct, selfPct);
                if (!byThread.isEmpty()) {
                    Common.log("rate %d/s: server CPU by thread (%% of a core): %s", rate, describe(byThread));
                }
                Common.log("rate %d/s: %s", rate, peaks);
                Common.awaitStopped(probe, submittedTotal, drainTimeoutSeconds);
            }
            ServerStatus status = probe.status();
            long stopped = status.getJobsByStatusOrDefault("STOPPED", 0);
            long failed = status.getJobsByStatusOrDefault("FAILED", 0);
            long errors = fleet.counters().errors.sum() - errorsBefore;
            report.record("max sustained RUNNING jobs/s", best);
            report.record("jobs not STOPPED at the end", submittedTotal - stopped);
            report.record("Error messages to agents", errors);
            lastOutcome = new Outcome(submittedTotal, notRunning, stopped, failed, errors, submitFailures);
            if (stopped != submittedTotal || failed > 0 || errors > 0 || notRunning > 0 || submitFailures > 0) {
                Common.log("PROBLEM: submitted %d, never RUNNING %d, submit failures %d, server STOPPED %d, FAILED %d, "
                           + "agent errors %d; jobs by status %s; first problems %s", submittedTotal, notRunning,
                           submitFailures, stopped, failed, errors, status.getJobsByStatusMap(), fleet.firstProblems());
                return false;
            }
            return true;
        }
    }

}
