package dev.baton.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.Processes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real child processes: exit codes, stderr tails, and stopping whole process trees. */
class ChildProcessTest {

    private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    private final PrintStream echo = new PrintStream(echoed, true, StandardCharsets.UTF_8);
    private ChildProcess child;

    @AfterEach
    void killLeftovers() {
        if (child != null) {
            child.kill();
        }
    }

    private ChildProcess start(String script, int tailLines) throws Exception {
        CommandSpec spec = new CommandSpec(List.of("/bin/sh", "-c", script), Map.of("GREETING", "hi"),
                                           Optional.empty());
        child = ChildProcess.start(spec, Map.of("BATON_JOB_ID", "job-9"), "job-9#1", tailLines, echo);
        return child;
    }

    @Test
    void cleanExitReportsZeroAndSeesTheJobEnvironment() throws Exception {
        ChildProcess process = start("test \"$GREETING/$BATON_JOB_ID\" = hi/job-9", 5);

        assertThat(process.awaitExit()).isZero();
    }

    @Test
    void failedExitKeepsTheLastStderrLinesAndEchoesThemWithTheJob() throws Exception {
        ChildProcess process = start("echo one >&2; echo two >&2; echo three >&2; exit 3", 2);

        assertThat(process.awaitExit()).isEqualTo(3);
        assertThat(process.stderrTail()).isEqualTo("two\nthree");
        assertThat(echoed.toString(StandardCharsets.UTF_8))
                .isEqualTo("[job-9#1] one\n[job-9#1] two\n[job-9#1] three\n");
    }

    @Test
    void stopSendsSigtermToTheWholeTree() throws Exception {
        ChildProcess process = start("sleep 1000 & wait", 5);
        ProcessHandle sleeper = firstDescendant(process);

        process.requestStop(Duration.ofSeconds(30));
        int exit = process.awaitExit();

        assertThat(exit).isEqualTo(128 + 15); // SIGTERM ended sh, long before the grace
        Await.until("the sleep child ended by SIGTERM", Duration.ofSeconds(5), () -> Processes.ended(sleeper));
    }

    @Test
    void stopEscalatesToSigkillAfterTheGraceWhenTheTreeIgnoresSigterm() throws Exception {
        // The trailing echo keeps sh from exec'ing sleep; sleep inherits the ignored SIGTERM.
        ChildProcess process = start("trap '' TERM; sleep 1000; echo unreachable", 5);
        ProcessHandle sleeper = firstDescendant(process);
        Duration grace = Duration.ofMillis(500);

        long started = System.nanoTime();
        process.requestStop(grace);
        int exit = process.awaitExit();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(exit).isEqualTo(128 + 9); // SIGKILL
        assertThat(took).isGreaterThanOrEqualTo(grace).isLessThan(Duration.ofSeconds(10));
        Await.until("the sleep child killed too", Duration.ofSeconds(5), () -> Processes.ended(sleeper));
    }

    @Test
    void killEndsTheTreeAtOnce() throws Exception {
        ChildProcess process = start("trap '' TERM; sleep 1000; echo unreachable", 5);
        ProcessHandle sleeper = firstDescendant(process);

        process.kill();

        assertThat(process.awaitExit()).isEqualTo(128 + 9);
        Await.until("the sleep child killed", Duration.ofSeconds(5), () -> Processes.ended(sleeper));
    }

    private static ProcessHandle firstDescendant(ChildProcess process) {
        ProcessHandle parent = ProcessHandle.of(process.pid()).orElseThrow();
        return Await.value("the shell started its child", Duration.ofSeconds(5),
                           () -> parent.descendants().findFirst().orElse(null));
    }
}
