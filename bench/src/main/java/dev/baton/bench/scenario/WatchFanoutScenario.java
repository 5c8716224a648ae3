package dev.baton.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.GcPauses;
import dev.baton.bench.harness.PeriodicScrape;
import dev.baton.bench.harness.ProcessStats;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Samples;
import dev.baton.bench.load.Channels;
import dev.baton.bench.load.JobClock;
import dev.baton.bench.load.Submitter;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerTarget;
import dev.baton.bench.watch.EventClock;
import dev.baton.bench.watch.Watcher;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchRequest;
import io.grpc.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 4, watch fan-out. Jobs are held RUNNING on simulated agents; the agents send progress
 * updates at a paced rate and each update is one watch event. Every watcher checks that it received
 * every event of the jobs it watches and times each one from the moment the agent sent the update.
 * Phases: few watchers at a low rate; many watchers at a high rate (each watching some jobs); the
 * same with one watcher that stops reading, which must be cut off while the others carry on.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
         description = "Scenario 4: event → watcher latency at low and high rates, and a stalled watcher.")
public final class WatchFanoutScenario implements Callable<Integer> {

    /** Events the stall phase sends at least: twice the server's per-watcher queue of 10,000. */
    private static final int STALL_EVENTS = 20_000;

    @Mixin
    Common common;

    @Option(names = "--jobs", defaultValue = "1000", description = "jobs held RUNNING, the sources of events")
    int jobs;

    @Option(names = "--agents", defaultValue = "100")
    int agents;

    @Option(names = "--low-watchers", defaultValue = "100")
    int lowWatchers;

    @Option(names = "--low-rate", defaultValue = "100", description = "events/s in the low phase (every watcher gets all)")
    int lowRate;

    @Option(names = "--high-watchers", defaultValue = "1000")
    int highWatchers;

    @Option(names = "--high-rate", defaultValue = "5000", description = "events/s in the high and stall phases")
    int highRate;

    @Option(names = "--high-ids", defaultValue = "10",
            description = "jobs each watcher follows in the high phase (0: all jobs, i.e. every event to every watcher)")
    int highIds;

    @Option(names = "--full-rate", defaultValue = "100",
            description = "events/s for the high watcher count with every watcher following every job (0: skip)")
    int fullRate;

    @Option(names = "--duration", defaultValue = "20", description = "seconds of events per phase")
    int durationSeconds;

    @Option(names = "--watch-connections", defaultValue = "50")
    int watchConnections;

    @Option(names = "--drain", defaultValue = "60",
            description = "seconds a phase waits for deliveries still in flight before counting what is missing")
    int drainSeconds;

    @Option(names = "--no-stall", description = "skip the phase with a stalled watcher")
    boolean noStall;

    @Option(names = "--warmup", defaultValue = "60",
            description = "seconds of an unmeasured phase first, with the high phase's load: the server's JIT "
                          + "compiles for about a minute after a start (docs/benchmarks.md); 0 for a cold server "
                          + "(default ${DEFAULT-VALUE})")
    int warmupSeconds;

    /** What a phase found; the smoke test checks it. */
    public record PhaseOutcome(String name, int watchers, long events, long missing, long cutOff, Status stalledEnd,
                               double p50, double p99) {}

    private final List<PhaseOutcome> outcomes = new ArrayList<>();

    @Override
    public Integer call() {
        Report report = new Report("Watch fan-out", Main.commandLine());
        declare(report, "low: " + lowWatchers + " watchers, all events, " + lowRate + "/s", 5);
        declare(report, "high: " + highWatchers + " watchers, " + idsText(highIds) + ", " + highRate + "/s", 50);
        if (fullRate > 0) {
            declare(report, "full: " + highWatchers + " watchers, all events, " + fullRate + "/s", 50);
        }
        String stallName = "stall: high + 1 stalled watcher";
        if (!noStall) {
            declare(report, stallName, 50);
            report.metric(stallName + ": stalled watcher cut off (RESOURCE_EXHAUSTED)", "", Report.Target.atLeast(1));
        }
        boolean ok = true;
        for (int run = 1; run <= common.runs; run++) {
            Common.log("watch run %d of %d", run, common.runs);
            ok &= runOnce(run, report, stallName);
            report.endRun();
        }
        report.note(jobs + " jobs held RUNNING on " + agents + " agents; each event is a progress update (JobUpdate "
                    + "RUNNING with a gauge) from an agent, published by the server as one job UPDATED event. Latency: "
                    + "from the agent sending the update to the watcher receiving the event (one extra loopback hop "
                    + "over publish → deliver). Watchers share " + watchConnections + " connections; the stalled one "
                    + "has its own and reads one message, then nothing.");
        report.note("Every event must reach every watcher that follows its job: after the events stop, a phase waits up "
                    + "to " + drainSeconds + " s for deliveries in flight; \"missing\" counts those that never came. "
                    + "Deliveries/s: deliveries divided by the seconds events were generated. A watcher that keeps up "
                    + "must not be cut off.");
        report.note("Server: " + common.describeServer() + ".");
        return common.finish(report, ok);
    }

    /** What each phase of the last run found (for the smoke test); the warm-up phase included. */
    public List<PhaseOutcome> outcomes() {
        return outcomes;
    }

    private static String idsText(int ids) {
        return ids == 0 ? "all events" : ids + " jobs each";
    }

    private static void declare(Report report, String phase, double p99Target) {
        report.metric(phase + ": event → watcher p50", "ms", null);
        report.metric(phase + ": event → watcher p90", "ms", null);
        report.metric(phase + ": event → watcher p99", "ms", Report.Target.atMost(p99Target));
        report.metric(phase + ": deliveries/s", "events/s", null);
        report.metric(phase + ": delivered within the drain", "%", null);
        report.metric(phase + ": events missing", "", Report.Target.atMost(0));
        report.metric(phase + ": watchers cut off that kept up", "", Report.Target.atMost(0));
        report.metric(phase + ": server CPU", "% of a core", null);
        report.metric(phase + ": server paused for GC", "% of the time", null);
        report.metric(phase + ": load generator paused for GC", "% of the time", null);
    }

    private boolean runOnce(int run, Report report, String stallName) {
        try (ServerTarget server = common.server("watch", run).start();
             Channels clients = Channels.open(server.port(), 2, 1, "client");
             Channels watchChannels = Channels.open(server.port(), watchConnections, 2, "watch");
             Channels stallChannel = Channels.open(server.port(), 1, 1, "stalled");
             SimFleet fleet = SimFleet.builder(server.port()).agents(agents).slots((jobs + agents - 1) / agents)
                                      .connections(agents).build()) {
            ServerProbe probe = new ServerProbe(clients.get(0));
            if (!probe.watchAvailable()) {
                throw new IllegalStateException("WatchService answers UNIMPLEMENTED on this server build: merge the "
                                                + "watch stream (main) before running this scenario");
            }
            fleet.connect(1000, Duration.ofSeconds(60));
            fleet.startHeartbeats();
            JobClock clock = new JobClock(jobs);
            new Submitter(clients, clock, 2000, 10_000).run(0, jobs, 0, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (fleet.runningJobs() < jobs && System.nanoTime() < deadline) {
                Common.sleepMillis(20);
            }
            if (fleet.runningJobs() < jobs) {
                throw new IllegalStateException("only " + fleet.runningJobs() + " of " + jobs + " jobs RUNNING");
            }
            List<int[]> sources = new ArrayList<>();
            List<String> jobIds = new ArrayList<>();
            for (int a = 0; a < agents; a++) {
                for (String id : fleet.jobsOf(a)) {
                    sources.add(new int[] {a, jobIds.size()});
                    jobIds.add(id);
                }
            }
            boolean ok = true;
            // An unmeasured phase first, as on a server that has been up a while: the JIT and the connections.
            if (warmupSeconds > 0) {
                // The phases read /metrics (GC pauses): the warm-up does so throughout, for the server's JIT.
                try (PeriodicScrape warmReads = PeriodicScrape.duringWarmUp(server.port())) {
                    phase(server, fleet, watchChannels, stallChannel, jobIds, sources, "warm-up", highWatchers,
                          highRate, warmupSeconds, highIds, false, null);
                }
            }
            ok &= phase(server, fleet, watchChannels, stallChannel, jobIds, sources,
                        "low: " + lowWatchers + " watchers, all events, " + lowRate + "/s", lowWatchers, lowRate,
                        durationSeconds, 0, false, report);
            ok &= phase(server, fleet, watchChannels, stallChannel, jobIds, sources,
                        "high: " + highWatchers + " watchers, " + idsText(highIds) + ", " + highRate + "/s", highWatchers,
                        highRate, durationSeconds, highIds, false, report);
            if (fullRate > 0) {
                ok &= phase(server, fleet, watchChannels, stallChannel, jobIds, sources,
                            "full: " + highWatchers + " watchers, all events, " + fullRate + "/s", highWatchers, fullRate,
                            durationSeconds, 0, false, report);
            }
            if (!noStall) {
                // Long enough that the stalled watcher's queue (10,000 events on the server) must overflow.
                int stallSeconds = Math.max(durationSeconds, (STALL_EVENTS + highRate - 1) / highRate);
                ok &= phase(server, fleet, watchChannels, stallChannel, jobIds, sources, stallName, highWatchers,
                            highRate, stallSeconds, highIds, true, report);
            }
            return ok;
        }
    }

    private boolean phase(ServerTarget server, SimFleet fleet, Channels watchChannels, Channels stallChannel,
                          List<String> jobIds, List<int[]> sources, String name, int watcherCount, int rate,
                          int seconds, int idsPerWatcher, boolean withStalled, Report report) {
        int total = rate * seconds;
        EventClock events = new EventClock(total);
        List<Watcher> watchers = new ArrayList<>();
        List<Set<Integer>> followed = new ArrayList<>();
        for (int w = 0; w < watcherCount; w++) {
            WatchRequest.Builder request = WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB);
            Set<Integer> mine = new LinkedHashSet<>();
            Set<String> ids = new LinkedHashSet<>();
            for (int k = 0; k < idsPerWatcher; k++) {
                int j = (w * idsPerWatcher + k) % jobIds.size();
                mine.add(j);
                ids.add(jobIds.get(j));
            }
            request.addAllIds(ids);
            followed.add(mine);
            watchers.add(Watcher.open(watchChannels.get(w), request.build(), false, ids, null, events));
        }
        Watcher stalled = withStalled
                ? Watcher.open(stallChannel.get(0), WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB).build(),
                               true, Set.of(), null, events)
                : null;
        for (Watcher w : watchers) {
            if (!w.awaitSnapshot(60_000)) {
                throw new IllegalStateException(name + ": a watcher's snapshot did not end: " + w.closedStatus());
            }
        }
        var serverCpu = ProcessStats.CpuWindow.start(server.pid());
        GcPauses.Mark gc = GcPauses.mark(server.port());
        long start = System.nanoTime();
        double gap = 1e9 / rate;
        int sent = 0;
        for (int n = 0; n < total; n++) {
            long due = start + (long) (n * gap);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            int[] source = sources.get(n % sources.size());
            events.sent(n, source[1], System.nanoTime());
            if (fleet.progress(source[0], jobIds.get(source[1]), Map.of(EventClock.GAUGE, (double) n))) {
                sent++;
            }
        }
        long generated = System.nanoTime();
        GcPauses.Window pauses = gc.end();
        long expected = 0;
        for (Set<Integer> mine : followed) {
            expected += mine.isEmpty() ? sent : (long) mine.size() * sent / sources.size();
        }
        // Wait for the deliveries still in flight (a slow phase is late, not lossy), at most --drain seconds.
        long drainDeadline = generated + Duration.ofSeconds(drainSeconds).toNanos();
        while (System.nanoTime() < drainDeadline && delivered(watchers) < expected) {
            Common.sleepMillis(100);
        }
        Common.sleepMillis(500);
        double cpu = server.separateProcess() ? serverCpu.percentOfOneCore() : Double.NaN;
        double elapsed = (generated - start) / 1e9;
        Samples latency = new Samples();
        long missing = 0;
        long cutOff = 0;
        long deliveries = 0;
        for (int w = 0; w < watchers.size(); w++) {
            Watcher watcher = watchers.get(w);
            latency.addAll(watcher.eventLatency());
            deliveries += watcher.eventLatency().count();
            if (watcher.closedStatus() != null) {
                cutOff++;
            }
            Set<Integer> mine = followed.get(w);
            if (mine.isEmpty()) {
                for (int n = 0; n < total; n++) {
                    missing += watcher.saw(n) ? 0 : 1;
                }
            } else {
                for (int j : mine) {
                    for (int n = j; n < total; n += sources.size()) {
                        missing += watcher.saw(n) ? 0 : 1;
                    }
                }
            }
        }
        Status stalledEnd = null;
        if (stalled != null) {
            stalled.resume();
            stalledEnd = stalled.awaitClosed(15_000);
        }
        watchers.forEach(Watcher::cancel);
        PhaseOutcome outcome = new PhaseOutcome(name, watcherCount, sent, missing, cutOff, stalledEnd,
                                                latency.percentileMillis(50), latency.percentileMillis(99));
        outcomes.add(outcome);
        Common.log("%s: %d events sent (%d not: agent offline), %d deliveries (%.0f/s), p50 %.2f p90 %.2f p99 %.2f max "
                   + "%.2f ms, missing %d, cut off %d%s, server CPU %.0f%%", name, sent, total - sent, deliveries,
                   deliveries / elapsed, latency.percentileMillis(50), latency.percentileMillis(90),
                   latency.percentileMillis(99), latency.maxMillis(), missing, cutOff,
                   stalled == null ? "" : ", stalled watcher ended " + describe(stalledEnd), cpu);
        Common.log("%s: %s", name, pauses);
        if (report != null) {
            report.record(name + ": event → watcher p50", latency.percentileMillis(50));
            report.record(name + ": event → watcher p90", latency.percentileMillis(90));
            report.record(name + ": event → watcher p99", latency.percentileMillis(99));
            report.record(name + ": deliveries/s", deliveries / elapsed);
            report.record(name + ": delivered within the drain", 100.0 * deliveries / Math.max(1, expected));
            report.record(name + ": events missing", missing);
            report.record(name + ": watchers cut off that kept up", cutOff);
            report.record(name + ": server CPU", cpu);
            report.record(name + ": server paused for GC", pauses.serverPercent());
            report.record(name + ": load generator paused for GC", pauses.generatorPercent());
            if (stalled != null) {
                report.record(name + ": stalled watcher cut off (RESOURCE_EXHAUSTED)",
                              stalledEnd != null && stalledEnd.getCode() == Status.Code.RESOURCE_EXHAUSTED ? 1 : 0);
            }
        }
        Common.sleepMillis(1000);
        boolean stalledOk = stalled == null || (stalledEnd != null && stalledEnd.getCode() == Status.Code.RESOURCE_EXHAUSTED);
        return missing == 0 && cutOff == 0 && sent == total && stalledOk;
    }

    private static long delivered(List<Watcher> watchers) {
        long n = 0;
        for (Watcher w : watchers) {
            n += w.eventLatency().count();
        }
        return n;
    }

    private static String describe(Status status) {
        return status == null ? "(not ended)" : status.getCode() + " \"" + status.getDescription() + "\"";
    }
}
