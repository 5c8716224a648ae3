package dev.baton.bench.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.Report;
import dev.baton.bench.load.Channels;
import dev.baton.bench.load.JobClock;
import dev.baton.bench.load.Submitter;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerSpec;
import dev.baton.bench.server.ServerTarget;
import dev.baton.proto.v1.ServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 5, restart: the store is filled through the server itself (jobs submitted, run and
 * stopped by simulated agents; the last ones kept RUNNING), then the server is stopped with SIGTERM
 * (or SIGKILL: {@code --kill}, {@code --kill-during-fill}) and started again on the same data
 * directory and port, once per run. Measures process spawn → the API serving (GET /v1/status 200;
 * /healthz answers earlier, before the store is recovered), then → every agent back with every job
 * it kept; and counts what a stop lost: held jobs stopped or rejected, jobs started twice, jobs that
 * ended up neither STOPPED nor held RUNNING.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
         description = "Scenario 5: start → ready with N jobs in the store; agents reconnect and keep their jobs.")
public final class RestartScenario implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--jobs", defaultValue = "100000", description = "jobs in the store (finished + held)")
    int jobs;

    @Option(names = "--agents", defaultValue = "100", description = "agents holding the kept jobs (--held / --agents each)")
    int agents;

    @Option(names = "--held", defaultValue = "1000", description = "jobs still RUNNING on agents at each restart")
    int held;

    @Option(names = "--populate-rate", defaultValue = "2000", description = "jobs/s while filling the store")
    int populateRate;

    @Option(names = "--kill", description = "stop the server with SIGKILL instead of SIGTERM")
    boolean kill;

    @Option(names = "--kill-during-fill", description = "the first stop is a SIGKILL as soon as the last submit is "
                                                        + "acknowledged, while jobs still run and finish (implies --kill)")
    boolean killDuringFill;

    @Option(names = "--compare-jar", description = "A/B: odd runs restart this jar, even runs --server-jar, on the "
                                                    + "same store and agents (each metric is reported per jar)")
    Path compareJar;

    @Override
    public Integer call() {
        if (common.inProcess) {
            System.err.println("restart: measures a process start; drop --in-process");
            return 2;
        }
        kill |= killDuringFill;
        if (held > jobs || held % agents != 0 && held > agents) {
            System.err.println("restart: --held must be <= --jobs and a multiple of --agents (or below it)");
            return 2;
        }
        Report report = new Report("Restart", Main.commandLine());
        List<Path> jars = compareJar == null ? List.of(common.serverJar) : List.of(compareJar, common.serverJar);
        for (Path jar : jars) {
            report.metric(named("process start → ready (GET /v1/status 200)", jar), "s", Report.Target.atMost(3));
            report.metric(named("process start → /healthz 200 (port open)", jar), "s", null);
            report.metric(named("same, empty store: start → ready (baseline)", jar), "s", null);
            report.metric(named("same, empty store: start → /healthz 200", jar), "s", null);
            report.metric(named("ready → all agents back with their jobs", jar), "s", null);
        }
        report.metric("jobs in the store at start", "jobs", null);
        report.metric("held jobs RUNNING again", "jobs", null);
        report.metric("held jobs lost (Stop sent or rejected)", "jobs", Report.Target.atMost(0));
        report.metric("jobs neither STOPPED nor held RUNNING after the restart", "jobs", Report.Target.atMost(0));
        report.metric("jobs started twice", "jobs", Report.Target.atMost(0));
        ServerSpec spec = common.server("restart", 0).withJar(jars.get(0));
        int slots = Math.max(1, held / agents);
        boolean ok = true;
        ServerTarget server = spec.start();
        try (Channels clients = Channels.open(server.port(), 4, 1, "client");
             SimFleet fleet = SimFleet.builder(server.port()).agents(agents).slots(slots)
                                           .trackRepeatedStarts().build()) {
            spec = spec.withPort(server.port());
            fleet.connect(2000, Duration.ofSeconds(120));
            fleet.startHeartbeats();
            populate(clients, fleet, !killDuringFill);
            ServerProbe probe = new ServerProbe(clients.get(0));
            for (int run = 1; run <= common.runs; run++) {
                Path jar = jars.get((run - 1) % jars.size());
                long stopsBefore = fleet.counters().stopsReceived.sum();
                long rejectedBefore = fleet.counters().rejectedJobs.sum();
                long repeatsBefore = fleet.counters().repeatedStarts.sum();
                Common.log("restart %d of %d: stopping the server (%s); next: %s", run, common.runs,
                           kill ? "SIGKILL" : "SIGTERM", jar);
                if (kill) {
                    server.kill();
                } else {
                    server.close();
                }
                try (ServerTarget empty = common.server("restart-empty", run).withJar(jar).start()) {
                    report.record(named("same, empty store: start → ready (baseline)", jar),
                                  empty.startToReady().toNanos() / 1e9);
                    report.record(named("same, empty store: start → /healthz 200", jar),
                                  empty.startToHealthy().toNanos() / 1e9);
                }
                server = spec.withJar(jar).start();
                double ready = server.startToReady().toNanos() / 1e9;
                long readyAt = System.nanoTime();
                boolean back = fleet.awaitOnline(agents, Duration.ofSeconds(120));
                // Settled: the held jobs back, and every other job ended (after a kill during the fill,
                // the jobs still waiting then are placed and run now).
                ServerStatus status = probe.await(s -> s.getJobsByStatusOrDefault("RUNNING", 0) >= held
                                                       && s.getJobsByStatusOrDefault("UNKNOWN", 0) == 0
                                                       && ended(s) >= jobs - held,
                                                  Duration.ofSeconds(120));
                double resumed = (System.nanoTime() - readyAt) / 1e9;
                int total = status.getJobsByStatusMap().values().stream().mapToInt(Integer::intValue).sum();
                long lost = (fleet.counters().stopsReceived.sum() - stopsBefore)
                            + (fleet.counters().rejectedJobs.sum() - rejectedBefore)
                            + Math.max(0, held - fleet.runningJobs());
                int running = status.getJobsByStatusOrDefault("RUNNING", 0);
                report.record(named("process start → ready (GET /v1/status 200)", jar), ready);
                report.record(named("process start → /healthz 200 (port open)", jar),
                              server.startToHealthy().toNanos() / 1e9);
                report.record(named("ready → all agents back with their jobs", jar), back ? resumed : Double.NaN);
                report.record("jobs in the store at start", total);
                report.record("held jobs RUNNING again", running);
                report.record("held jobs lost (Stop sent or rejected)", lost);
                int astray = total - status.getJobsByStatusOrDefault("STOPPED", 0) - Math.min(running, held);
                long repeated = fleet.counters().repeatedStarts.sum() - repeatsBefore;
                report.record("jobs neither STOPPED nor held RUNNING after the restart", astray);
                report.record("jobs started twice", repeated);
                report.endRun();
                Common.log("ready in %.2f s; agents back and %d jobs RUNNING %.2f s later; %d jobs in all; lost %d; "
                           + "%d neither STOPPED nor held RUNNING; %d started twice; %s", ready, running, resumed, total,
                           lost, astray, repeated, status.getJobsByStatusMap());
                ok &= back && running == held && lost == 0 && astray == 0 && repeated == 0;
            }
        } finally {
            server.close();
        }
        report.note(jobs + " jobs submitted through the server at " + populateRate + " jobs/s to " + agents
                    + " agents; the last " + held + " stay RUNNING (the agents keep them), the others STOPPED. Each "
                    + "run stops the server with " + (kill ? "SIGKILL" : "SIGTERM") + " and starts a new process on the "
                    + "same data directory and port."
                    + (killDuringFill ? " The first SIGKILL came as soon as the last submit was acknowledged, while "
                                        + "jobs were still being placed, run and ended." : "")
                    + " Jobs started twice: Assigns for a job some agent had already been assigned.");
        report.note("Baseline: the same command on an empty data directory, started while the agents are still "
                    + "retrying (so JVM and framework start-up is separated from loading the store).");
        report.note("Ready: from spawning `java -jar` (JVM start included) to the first 200 from GET /v1/status "
                    + "(GetStatus through REST), polled every 5 ms after GET /healthz first answered 200: the port "
                    + "opens, and /healthz answers, before the stored state is recovered, and until then every Baton "
                    + "call is refused with 503 \"not serving yet\". Then: until every agent was welcomed again (its Hello listing its jobs) and the "
                    + "server counted every held job RUNNING (none UNKNOWN); agents reconnect with gRPC's channel "
                    + "backoff plus their own (100 ms doubling, full jitter).");
        report.note("Server: " + spec.describe() + (compareJar == null ? "." : "; odd runs: " + compareJar
                    + ", even runs: " + common.serverJar + " (the store was filled by " + compareJar + ")."));
        return common.finish(report, ok);
    }

    /** Jobs in an end status. */
    private static int ended(ServerStatus status) {
        return status.getJobsByStatusOrDefault("STOPPED", 0) + status.getJobsByStatusOrDefault("FAILED", 0)
               + status.getJobsByStatusOrDefault("CANCELED", 0);
    }

    /** The metric's name, with the jar's file name when two jars are compared. */
    private String named(String metric, Path jar) {
        return compareJar == null ? metric : metric + " [" + jar.getFileName() + "]";
    }

    /** Fills the store; waits until every job ran (the held ones still RUNNING) when {@code settle}. */
    private void populate(Channels clients, SimFleet fleet, boolean settle) {
        JobClock clock = new JobClock(jobs);
        fleet.clock(clock);
        long start = System.nanoTime();
        Submitter.Result result = new Submitter(clients, clock, populateRate, 20_000)
                .run(0, jobs, jobs - held, Duration.ofSeconds(300));
        ServerProbe probe = new ServerProbe(clients.get(0));
        ServerStatus status = !settle ? probe.status()
                : probe.await(s -> s.getJobsByStatusOrDefault("STOPPED", 0) >= jobs - held
                                   && s.getJobsByStatusOrDefault("RUNNING", 0) >= held, Duration.ofSeconds(600));
        Common.log("store filled: %d submitted (%d failed) in %.1f s; server: %s", result.acked(), result.failed(),
                   (System.nanoTime() - start) / 1e9, status.getJobsByStatusMap());
        if (result.failed() > 0 || settle && status.getJobsByStatusOrDefault("RUNNING", 0) < held) {
            throw new IllegalStateException("populating the store failed: " + result.failures() + ", "
                                            + status.getJobsByStatusMap());
        }
        fleet.clock(null);
    }
}
