package dev.baton.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent: bin/baton-agent running target/baton-agent.jar, as operators and containers run it. */
class BatonAgentLauncherIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path work;

    @Test
    void theLauncherRunsTheShadedJarWhichRunsAJobAndDrainsOnSigterm() throws Exception {
        Path launcher = Path.of("bin", "baton-agent").toAbsolutePath();
        assertThat(Path.of("target", "baton-agent.jar")).as("built by package").exists();
        Path log = work.resolve("agent.log");
        try (RealBaton baton = RealBaton.start(dataDir)) {
            ProcessBuilder builder = new ProcessBuilder(launcher.toString());
            builder.environment().keySet().removeIf(name -> name.startsWith("BATON_"));
            builder.environment().putAll(Map.of(
                    "JAVA_HOME", System.getProperty("java.home"),
                    "BATON_SERVER", baton.target(), "BATON_TOKEN", RealBaton.TOKEN,
                    "BATON_AGENT_ID", "packaged-agent", "BATON_LABELS", "packaged=true"));
            Process agent = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                baton.awaitAgent("packaged-agent", "online", a -> a.getState() == Agent.State.IDLE);
                String id = baton.submit(Map.of("command", List.of("sh", "-c", "echo from-the-job >&2"))).getId();

                baton.awaitStatus(id, Job.Status.STOPPED);
                agent.destroy(); // SIGTERM reaches the JVM: the launcher exec'd it

                assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(agent.exitValue()).as("a drain is a normal stop").isZero();
                baton.awaitAgent("packaged-agent", "offline", a -> a.getState() == Agent.State.OFFLINE);
                assertThat(Files.readString(log)).contains("from-the-job").contains("goodbye sent");
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
