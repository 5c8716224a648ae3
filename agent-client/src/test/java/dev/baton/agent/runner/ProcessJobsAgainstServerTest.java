package dev.baton.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.BatonAgent;
import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.Processes;
import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference agent's process handler, in an SDK agent, against the real server. */
class ProcessJobsAgainstServerTest {

    @TempDir
    static Path dataDir;
    private static RealBaton baton;
    private static BatonAgent agent;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        baton = RealBaton.start(dataDir);
        agent = BatonAgent.builder().server(baton.target()).token(RealBaton.TOKEN)
                .agentId("process-agent").slots(4).drainOnShutdown(false)
                .handler(new ProcessJobHandler(Optional.of("USR1"), Optional.of("SIGUSR2"), 3, System.err))
                .build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        baton.close();
    }

    @Test
    void exitZeroEndsStopped() {
        String id = baton.submit(Map.of("command", List.of("sh", "-c", "exit 0"))).getId();

        Job job = baton.awaitStatus(id, Job.Status.STOPPED);

        assertThat(job.getExitCode()).isZero();
    }

    @Test
    void nonZeroExitEndsFailedWithTheExitCodeAndTheLastStderrLines() {
        String id = baton.submit(Map.of("command",
                "echo starting >&2; echo 'cannot open input' >&2; echo 'giving up' >&2; exit 3")).getId();

        Job job = baton.awaitStatus(id, Job.Status.FAILED);

        assertThat(job.getExitCode()).isEqualTo(3);
        assertThat(job.getFailureReason()).contains("exit code 3").contains("cannot open input\ngiving up");
    }

    @Test
    void stopSendsSigtermThenSigkillsATreeThatIgnoresItAfterTheGrace() throws Exception {
        Path marks = work.resolve("marks");
        String script = "trap 'echo TERM >> \"$MARKS\"' TERM; echo started >> \"$MARKS\";"
                        + " while true; do sleep 0.2; done";
        String id = baton.submit(Map.of("command", List.of("sh", "-c", script),
                                        "env", Map.of("MARKS", marks.toString()))).getId();
        baton.awaitStatus(id, Job.Status.RUNNING);
        Await.until("the script started", RealBaton.WAIT, () -> lines(marks).contains("started"));
        ProcessHandle shell = shellWriting(marks);

        long stopAt = System.nanoTime();
        baton.stop(id);
        Job stopped = baton.awaitStatus(id, Job.Status.STOPPED);
        Duration took = Duration.ofNanos(System.nanoTime() - stopAt);

        assertThat(lines(marks)).contains("TERM"); // SIGTERM came first and was survived
        assertThat(stopped.getExitCode()).isEqualTo(128 + 9); // then SIGKILL
        // After the grace, but before the server's own Kill (grace + kill-after): the agent escalated.
        assertThat(took).isGreaterThanOrEqualTo(RealBaton.STOP_GRACE)
                        .isLessThan(RealBaton.STOP_GRACE.plus(RealBaton.KILL_AFTER));
        Await.until("the process tree gone", RealBaton.WAIT, () -> Processes.ended(shell)
                    && shell.descendants().allMatch(Processes::ended));
    }

    @Test
    void muteIsAcknowledgedAndSignalsTheProcess() throws Exception {
        Path marks = work.resolve("marks");
        String script = "trap 'echo muted >> \"$MARKS\"' USR1; trap 'echo unmuted >> \"$MARKS\"' USR2;"
                        + " echo started >> \"$MARKS\"; while true; do sleep 0.1; done";
        String id = baton.submit(Map.of("command", List.of("sh", "-c", script),
                                        "env", Map.of("MARKS", marks.toString()))).getId();
        baton.awaitStatus(id, Job.Status.RUNNING);
        Await.until("the script started", RealBaton.WAIT, () -> lines(marks).contains("started"));

        Job muted = baton.mute(id); // answers once the agent acknowledged

        assertThat(muted.getMetadata().getIsMuted()).isTrue();
        Await.until("the process got SIGUSR1", RealBaton.WAIT, () -> lines(marks).contains("muted"));
        baton.stop(id);
        baton.awaitStatus(id, Job.Status.STOPPED);
    }

    @Test
    void aConfigWithoutCommandIsRefusedWithTheReason() {
        String id = baton.submit(Map.of("cmd", "typo")).getId();

        Job job = baton.awaitJob(id, "refused by the agent", j -> j.getAttemptsList().stream().anyMatch(
                attempt -> attempt.getReason().contains("config.command is missing")));

        assertThat(job.getStatus()).isIn(Job.Status.PENDING, Job.Status.FAILED);
        baton.stop(id);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The job's shell: the agent JVM's child whose environment points at this test's marks file. */
    private static ProcessHandle shellWriting(Path marks) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains("trap"))
                              .orElse(false))
                .filter(p -> environ(p.pid()).contains(marks.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("the job's shell is not a child of the agent"));
    }

    private static String environ(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")));
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
