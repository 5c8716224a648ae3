package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.bench.scenario.DispatchScenario;
import dev.baton.bench.scenario.WatchFanoutScenario;
import picocli.CommandLine;

/**
 * Short runs of the dispatch and watch scenarios against an in-process server, checking what they
 * observed is correct. Never speed: timings on a shared machine belong in docs/benchmarks.md.
 */
class SmokeTest {

    @Test
    void everySubmittedJobReachesRunningAndEndsStoppedEvenWhenRunningAndStoppedComeBackToBack(@TempDir Path dir) {
        DispatchScenario scenario = new DispatchScenario();
        // --keep-going: every step runs even when a loaded machine did not sustain the one before, so the
        // counts below never depend on speed.
        int exit = new CommandLine(scenario).execute(common(dir, "--agents", "20", "--rates", "100,300", "--duration", "2",
                                                            "--warmup", "0", "--job-ms", "0", "--warmup-jobs", "50",
                                                            "--clients", "2", "--keep-going"));

        DispatchScenario.Outcome outcome = scenario.lastOutcome();
        assertThat(outcome.submitted()).isEqualTo(50 + 200 + 600);
        assertThat(outcome.submitFailures()).isZero();
        assertThat(outcome.notRunning()).as("jobs whose RUNNING the agents never sent").isZero();
        assertThat(outcome.serverStopped()).as("jobs the server holds STOPPED").isEqualTo(outcome.submitted());
        assertThat(outcome.serverFailed()).isZero();
        assertThat(outcome.agentErrors()).as("Error messages the server sent to agents").isZero();
        assertThat(exit).isZero();
    }

    @Test
    void everyWatcherGetsEveryEventOfTheJobsItFollows(@TempDir Path dir) {
        WatchFanoutScenario scenario = new WatchFanoutScenario();
        int exit = new CommandLine(scenario).execute(common(dir, "--jobs", "20", "--agents", "4", "--low-watchers", "3",
                                                            "--low-rate", "50", "--high-watchers", "10", "--high-rate",
                                                            "200", "--high-ids", "4", "--full-rate", "50", "--duration",
                                                            "2", "--watch-connections", "2", "--no-stall",
                                                            "--warmup", "1"));

        List<WatchFanoutScenario.PhaseOutcome> phases = scenario.outcomes();
        assertThat(phases).extracting(WatchFanoutScenario.PhaseOutcome::name)
                          .anyMatch(n -> n.startsWith("low")).anyMatch(n -> n.startsWith("high"))
                          .anyMatch(n -> n.startsWith("full"));
        for (WatchFanoutScenario.PhaseOutcome phase : phases) {
            assertThat(phase.events()).as(phase.name() + ": events sent").isPositive();
            assertThat(phase.missing()).as(phase.name() + ": events some watcher did not get").isZero();
            assertThat(phase.cutOff()).as(phase.name() + ": watchers cut off").isZero();
        }
        assertThat(exit).isZero();
    }

    private static String[] common(Path dir, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--in-process", "--runs", "1",
                "--out", dir.resolve("results").toString(), "--work-dir", dir.resolve("work").toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
