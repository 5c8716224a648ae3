package dev.baton.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.Processes;
import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** baton-agent as a real child JVM, configured by environment variables, drained by SIGTERM. */
class ReferenceAgentProcessTest {

    @TempDir
    static Path dataDir;
    private static RealBaton baton;

    @TempDir
    Path work;
    private Process agent;
    private Path log;

    @BeforeAll
    static void startServer() {
        baton = RealBaton.start(dataDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        baton.close();
    }

    @AfterEach
    void killAgent() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDrainsStopsTheJobAfterTheDrainTimeoutSaysGoodbyeAndExits() throws Exception {
        agent = startAgent(Map.of("BATON_AGENT_ID", "jvm-agent", "BATON_LABELS", "role=test,zone=a",
                                  "BATON_SLOTS", "2", "BATON_ENGINE_ID", "engine-42",
                                  "BATON_DRAIN_TIMEOUT", "300ms"));
        Agent online = baton.awaitAgent("jvm-agent", "online", a -> a.getState() == Agent.State.IDLE);
        assertThat(online.getLabelsMap()).containsOnly(Map.entry("role", "test"), Map.entry("zone", "a"));
        assertThat(online.getSlots()).isEqualTo(2);
        String id = baton.submit(Map.of("command", List.of("sleep", "1000"))).getId();
        baton.awaitStatus(id, Job.Status.RUNNING);
        ProcessHandle sleep = Await.value("the job's process", RealBaton.WAIT,
                () -> agent.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep"))
                           .findFirst().orElse(null));

        agent.destroy(); // SIGTERM

        Job stopped = baton.awaitStatus(id, Job.Status.STOPPED);
        assertThat(stopped.getExitCode()).isEqualTo(128 + 15);
        baton.awaitAgent("jvm-agent", "offline after its Goodbye", a -> a.getState() == Agent.State.OFFLINE);
        assertThat(agent.waitFor(RealBaton.WAIT.toSeconds(), TimeUnit.SECONDS)).as(output()).isTrue();
        assertThat(agent.exitValue()).as("a drain is a normal stop").isZero();
        assertThat(Processes.ended(sleep)).isTrue();
        assertThat(output()).contains("goodbye sent agent=jvm-agent reason=agent drained");
    }

    @Test
    void sigtermLetsARunningJobFinishAndRefusesNewOnes() throws Exception {
        agent = startAgent(Map.of("BATON_AGENT_ID", "patient-agent", "BATON_SLOTS", "2",
                                  "BATON_LABELS", "patient=yes", "BATON_DRAIN_TIMEOUT", "60s"));
        baton.awaitAgent("patient-agent", "online", a -> a.getState() == Agent.State.IDLE);
        Path go = work.resolve("go");
        String first = baton.submit(Map.of(
                "command", List.of("sh", "-c", "while [ ! -f \"$GO\" ]; do sleep 0.05; done"),
                "env", Map.of("GO", go.toString()))).getId();
        baton.awaitStatus(first, Job.Status.RUNNING);

        agent.destroy(); // SIGTERM
        Await.until("the agent draining", RealBaton.WAIT, () -> output().contains("draining agent=patient-agent"));
        String second = baton.submit(Map.of("command", List.of("true"))).getId();
        Job refused = baton.awaitJob(second, "refused by the draining agent", job -> job.getAttemptsList()
                .stream().anyMatch(attempt -> attempt.getReason().endsWith("agent patient-agent is draining")));
        Files.createFile(go);

        assertThat(baton.awaitStatus(first, Job.Status.STOPPED).getExitCode()).isZero();
        assertThat(agent.waitFor(RealBaton.WAIT.toSeconds(), TimeUnit.SECONDS)).as(output()).isTrue();
        assertThat(refused.getStatus()).isNotIn(Job.Status.RUNNING, Job.Status.STOPPED);
        baton.stop(second);
    }

    @Test
    void aMissingTokenStopsTheAgentWithAMessageNamingTheVariable() throws Exception {
        agent = startAgent(Map.of("BATON_TOKEN", ""));

        assertThat(agent.waitFor(RealBaton.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(output()).contains("baton-agent: token: not set (expected: --token or BATON_TOKEN)");
    }

    /** The reference agent's main class in a new JVM, with this test's classpath. */
    private Process startAgent(Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                BatonAgentCommand.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("BATON_"));
        builder.environment().put("BATON_SERVER", baton.target());
        builder.environment().put("BATON_TOKEN", RealBaton.TOKEN);
        builder.environment().putAll(env);
        log = work.resolve("agent.log");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
