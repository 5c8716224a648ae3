package dev.baton.agent.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract from another language: docs/examples/python-agent, generated from the .proto files
 * by its own generate.sh, run with Debian's python3 against the real server.
 */
class PythonAgentTest {

    static final String APT_PACKAGES =
            "python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc libprotobuf-dev";
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "python-agent");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path work;
    private RealBaton baton;
    private Process agent;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        requirePythonToolchain();
        baton = RealBaton.start(Files.createDirectories(work.resolve("data")));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (baton != null) {
            baton.close();
        }
    }

    @Test
    void pythonAgentSaysHelloHeartbeatsRunsJobsAndLeavesOnSigterm() throws Exception {
        Path generated = generate();
        agent = startPythonAgent(generated);

        Agent online = baton.awaitAgent("python-agent", "online and heartbeating", a ->
                a.getState() == Agent.State.IDLE && a.getMetrics().getCustomOrDefault("heartbeats", 0) >= 2);
        assertThat(online.getLabelsMap()).containsEntry("lang", "python");
        assertThat(online.getSlots()).isEqualTo(2);

        String quick = baton.submit(Map.of("seconds", 0.2)).getId();
        Job stopped = baton.awaitStatus(quick, Job.Status.STOPPED);
        assertThat(stopped.getAgentId()).isEqualTo("python-agent");
        assertThat(stopped.getStartedAt().getSeconds()).as("RUNNING came before STOPPED").isPositive();

        String endless = baton.submit(Map.of("label", "until stopped")).getId();
        baton.awaitStatus(endless, Job.Status.RUNNING);
        assertThat(baton.mute(endless).getMetadata().getIsMuted()).as("mute acknowledged").isTrue();
        baton.stop(endless);
        baton.awaitStatus(endless, Job.Status.STOPPED);

        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(RealBaton.WAIT.toSeconds(), TimeUnit.SECONDS)).as(output()).isTrue();
        baton.awaitAgent("python-agent", "offline after its Goodbye", a -> a.getState() == Agent.State.OFFLINE);
        assertThat(output()).contains("goodbye sent agent=python-agent");
    }

    /** Runs the example's generate.sh with google/api protos taken from this test's classpath. */
    private Path generate() throws Exception {
        Path googleApis = work.resolve("googleapis");
        for (String proto : List.of("google/api/annotations.proto", "google/api/http.proto")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(proto)) {
                assertThat(in).as(proto + " on the classpath (proto-google-common-protos)").isNotNull();
                Files.createDirectories(googleApis.resolve(proto).getParent());
                Files.copy(in, googleApis.resolve(proto));
            }
        }
        Path out = work.resolve("generated");
        Process generate = new ProcessBuilder(EXAMPLE.resolve("generate.sh").toString(), out.toString(),
                                              googleApis.toString())
                .redirectErrorStream(true).start();
        String output = new String(generate.getInputStream().readAllBytes());
        assertThat(generate.waitFor()).as("generate.sh: " + output).isZero();
        assertThat(out.resolve("baton/v1/agent_pb2_grpc.py")).exists();
        return out;
    }

    private Process startPythonAgent(Path generated) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-u",
                                                       EXAMPLE.resolve("agent.py").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("BATON_") || name.startsWith("PYTHON"));
        builder.environment().putAll(Map.of("PYTHONPATH", generated.toString(),
                                            "BATON_SERVER", baton.target(), "BATON_TOKEN", RealBaton.TOKEN,
                                            "BATON_AGENT_ID", "python-agent", "BATON_SLOTS", "2"));
        log = work.resolve("python-agent.log");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Fails with the packages to install; BATON_SKIP_PYTHON=1 turns that into a skip. */
    private static void requirePythonToolchain() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("/usr/bin/python3", "/usr/bin/protoc", "/usr/bin/grpc_python_plugin",
                                   "/usr/include/google/protobuf/struct.proto")) {
            if (!Files.exists(Path.of(tool))) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, google.protobuf")
                    .redirectErrorStream(true).start();
            if (probe.waitFor() != 0) {
                missing.add("python modules grpc and google.protobuf: "
                            + new String(probe.getInputStream().readAllBytes()).trim());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the Python agent test needs Debian's Python gRPC toolchain; missing: " + missing
                         + ". Install: apt-get install -y " + APT_PACKAGES
                         + " (or set BATON_SKIP_PYTHON=1 to skip this test)";
        if ("1".equals(System.getenv("BATON_SKIP_PYTHON"))) {
            Assumptions.abort(message);
        }
        fail(message);
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
