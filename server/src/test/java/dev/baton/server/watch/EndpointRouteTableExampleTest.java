package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;

/**
 * docs/examples/route-table.py, the documented proxy route table, run as a child process against a
 * real server: it routes a job to its agent's endpoint once the job is placed and unroutes it when
 * the job ends, from the agent watch stream alone.
 */
class EndpointRouteTableExampleTest {

    private static final Path SCRIPT = Path.of("..", "docs", "examples", "route-table.py").toAbsolutePath().normalize();
    private static final String PYTHON = "/usr/bin/python3";

    private TestBaton baton;
    private Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of(PYTHON)).as("Debian's python3 runs the documented example").exists();
        assertThat(SCRIPT).exists();
        baton = TestBaton.start();
        process = new ProcessBuilder(PYTHON, SCRIPT.toString(), baton.baseUrl(), "http").redirectErrorStream(true)
                                                                                           .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "route-table-output");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (baton != null) {
            baton.close();
        }
    }

    @Test
    void theExampleRoutesAJobToItsAgentsEndpointAndUnroutesItWhenItEnds() throws Exception {
        SimulatedAgent agent = SimulatedAgent.open(baton.channel(), "edge-1");
        Hello hello = SimulatedAgent.hello(TestBaton.TOKEN, "edge-1", 1, Map.of("zone", "edge"));
        agent.send(AgentMessage.newBuilder().setHello(hello.toBuilder().setCapabilities(
                hello.getCapabilities().toBuilder().addEndpoints(
                        Endpoint.newBuilder().setName("http").setUrl("http://10.1.2.3:8080/live")))).build());
        agent.next(ServerMessage.MsgCase.WELCOME);

        String jobId = baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                              .setRequirements(JobRequirements.newBuilder()
                                                                                              .putLabels("zone", "edge"))
                                                              .build()).getJob().getId();
        Assign assign = agent.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(nextLine()).isEqualTo("route " + jobId + " http://10.1.2.3:8080/live");

        agent.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
        baton.awaitStatus(jobId, Job.Status.STOPPED);
        assertThat(nextLine()).isEqualTo("unroute " + jobId);
    }

    private String nextLine() throws InterruptedException {
        String line = lines.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("a line from route-table.py within 20s").isNotNull();
        return line;
    }
}
