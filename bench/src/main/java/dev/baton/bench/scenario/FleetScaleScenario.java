package dev.baton.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.baton.bench.Main;
import dev.baton.bench.fleet.SimFleet;
import dev.baton.bench.harness.ProcessStats;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Stats;
import dev.baton.bench.load.Channels;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerTarget;
import dev.baton.proto.v1.ServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 3, fleet scale: many connected agents heartbeating on the server's interval for a while.
 * The server runs as its own process so that its CPU and RSS are its own. Streams are multiplexed
 * over a few hundred connections (one connection per agent would need tens of thousands of sockets
 * on one loopback and measure the kernel more than Baton).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
         description = "Scenario 3: N agents heartbeating; none wrongly OFFLINE, server CPU and RSS per agent.")
public final class FleetScaleScenario implements Callable<Integer> {

    private static final int WARM_AGENTS = 50;

    @Mixin
    Common common;

    @Option(names = "--agents", defaultValue = "10000")
    int agents;

    @Option(names = "--connections", defaultValue = "200", description = "connections the agent streams share")
    int connections;

    @Option(names = "--duration", defaultValue = "300", description = "seconds of steady heartbeating measured")
    int durationSeconds;

    @Option(names = "--ramp", defaultValue = "1000", description = "new agent streams per second while connecting")
    int ramp;

    @Option(names = "--settle", defaultValue = "10", description = "seconds after the last Welcome before measuring")
    int settleSeconds;

    @Option(names = "--event-loop-threads", defaultValue = "2")
    int eventLoopThreads;

    @Option(names = "--status-every", defaultValue = "30",
            description = "seconds between GetStatus polls (each walks every agent on the server's loop, so it "
                          + "is server CPU the benchmark itself causes)")
    int statusEverySeconds;

    @Override
    public Integer call() {
        if (common.inProcess) {
            System.err.println("fleet: needs the server in its own process (its CPU and RSS are measured); drop --in-process");
            return 2;
        }
        Report report = new Report("Fleet scale", Main.commandLine());
        report.metric("agents wrongly OFFLINE (max seen)", "agents", Report.Target.atMost(0));
        report.metric("agent sessions lost", "sessions", Report.Target.atMost(0));
        report.metric("server CPU while heartbeating", "% of a core", Report.Target.atMost(10));
        report.metric("server CPU idle (no agents)", "% of a core", null);
        report.metric("server RSS idle", "MiB", null);
        report.metric("server RSS with agents", "MiB", null);
        report.metric("server RSS per agent", "KiB", Report.Target.atMost(32));
        report.metric("heartbeats sent / expected", "%", null);
        report.metric("connect time (all Welcomes)", "s", null);
        report.metric("load generator CPU", "% of a core", null);
        boolean ok = true;
        for (int run = 1; run <= common.runs; run++) {
            Common.log("fleet run %d of %d", run, common.runs);
            ok &= runOnce(run, report);
            report.endRun();
        }
        report.note(agents + " agents as streams over " + connections + " gRPC connections (HTTP/2 multiplexing), "
                    + eventLoopThreads + " client event-loop threads, heartbeat every Welcome.heartbeat_interval "
                    + "with a random phase per agent; measured for " + durationSeconds + " s after a " + settleSeconds
                    + " s settle.");
        report.note("RSS and CPU idle: over 10 s after start and " + WARM_AGENTS + " warm-up agents that connected, heartbeated and "
                    + "left (class loading and JIT are not per-agent costs). RSS with agents: median of samples every "
                    + "5 s over the measured period. CPU: server process user+system time over the measured period.");
        report.note("Wrongly OFFLINE: agents of this fleet the server counted OFFLINE in GetStatus polls every "
                    + statusEverySeconds + " s and at the end (the warm-up agents, which left, are subtracted); "
                    + "sessions lost: streams the server ended (a heartbeat timeout ends the agent's stream), seen by "
                    + "the agents themselves, so a wrongly OFFLINE agent between polls is still caught.");
        report.note("Server: " + common.describeServer() + ".");
        return common.finish(report, ok);
    }

    private boolean runOnce(int run, Report report) {
        try (ServerTarget server = common.server("fleet", run).start();
             Channels probeChannel = Channels.open(server.port(), 1, 1, "probe")) {
            ServerProbe probe = new ServerProbe(probeChannel.get(0));
            try (SimFleet warm = SimFleet.builder(server.port()).agents(WARM_AGENTS).connections(5).idPrefix("warm").build()) {
                warm.connect(500, Duration.ofSeconds(60));
                warm.startHeartbeats();
                Common.sleepMillis(4000);
            }
            Common.sleepMillis(5000);
            List<Double> idle = new ArrayList<>();
            var idleCpu = ProcessStats.CpuWindow.start(server.pid());
            for (int i = 0; i < 10; i++) {
                idle.add((double) ProcessStats.rssKiB(server.pid()));
                Common.sleepMillis(1000);
            }
            double rssIdle = Stats.median(idle);
            report.record("server CPU idle (no agents)", idleCpu.percentOfOneCore());
            try (SimFleet fleet = SimFleet.builder(server.port()).agents(agents).connections(connections)
                                          .eventLoopThreads(eventLoopThreads).idPrefix("agent").build()) {
                fleet.startHeartbeats();
                Duration connect = fleet.connect(ramp, Duration.ofSeconds(Math.max(120, 3L * agents / Math.max(1, ramp))));
                Common.log("%d agents connected in %.1f s", agents, connect.toMillis() / 1000.0);
                Common.sleepMillis(settleSeconds * 1000L);
                long lostBefore = fleet.counters().sessionsLost.sum();
                long beatsBefore = fleet.counters().heartbeats.sum();
                var serverCpu = ProcessStats.CpuWindow.start(server.pid());
                var selfCpu = ProcessStats.CpuWindow.start(ProcessStats.selfPid());
                long start = System.nanoTime();
                long end = start + Duration.ofSeconds(durationSeconds).toNanos();
                List<Double> rss = new ArrayList<>();
                int maxOffline = 0;
                long nextStatus = start + Duration.ofSeconds(statusEverySeconds).toNanos();
                while (System.nanoTime() < end) {
                    Common.sleepMillis(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    rss.add((double) ProcessStats.rssKiB(server.pid()));
                    boolean last = System.nanoTime() >= end;
                    if (!last && System.nanoTime() < nextStatus) {
                        continue;
                    }
                    nextStatus += Duration.ofSeconds(statusEverySeconds).toNanos();
                    ServerStatus status = probe.status();
                    int offline = status.getAgentsByStateOrDefault("OFFLINE", 0) - WARM_AGENTS;
                    maxOffline = Math.max(maxOffline, offline);
                    if (offline > 0 || fleet.online() < agents) {
                        Common.log("PROBLEM: server counts %d of our agents OFFLINE; %d online here; first problems %s",
                                   offline, fleet.online(), fleet.firstProblems());
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double cpu = serverCpu.percentOfOneCore();
                double selfPct = selfCpu.percentOfOneCore();
                double rssWith = Stats.median(rss);
                long lost = fleet.counters().sessionsLost.sum() - lostBefore;
                double expectedBeats = agents * elapsed / (fleet.heartbeatInterval().toMillis() / 1000.0);
                double beats = fleet.counters().heartbeats.sum() - beatsBefore;
                report.record("agents wrongly OFFLINE (max seen)", maxOffline);
                report.record("agent sessions lost", lost);
                report.record("server CPU while heartbeating", cpu);
                report.record("server RSS idle", rssIdle / 1024);
                report.record("server RSS with agents", rssWith / 1024);
                report.record("server RSS per agent", (rssWith - rssIdle) / agents);
                report.record("heartbeats sent / expected", 100 * beats / expectedBeats);
                report.record("connect time (all Welcomes)", connect.toMillis() / 1000.0);
                report.record("load generator CPU", selfPct);
                Common.log("CPU %.1f%% of a core, RSS idle %.0f MiB, with agents %.0f MiB (%.1f KiB/agent), max OFFLINE %d, "
                           + "lost %d, generator CPU %.0f%%", cpu, rssIdle / 1024, rssWith / 1024,
                           (rssWith - rssIdle) / agents, maxOffline, lost, selfPct);
                return maxOffline <= 0 && lost == 0;
            }
        }
    }
}
