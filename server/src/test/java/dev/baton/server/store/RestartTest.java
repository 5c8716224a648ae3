package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.RunningJob;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/** Everything accepted survives a restart and a kill -9 of the server process. */
class RestartTest {

    @Test
    void jobsTemplatesAndIdempotencyKeysSurviveARestart(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        String jobId;
        String body = "{\"inlineConfig\": {\"streamUrl\": \"rtmp://x\"}, \"idempotencyKey\": \"restart-1\"}";
        try (TestBaton first = TestBaton.start(dir, b -> { }, time)) {
            Rest rest = new Rest(first.baseUrl());
            assertThat(rest.post("/v1/templates", "{\"id\": \"t1\", \"config\": {\"a\": 1}}").status()).isEqualTo(200);
            jobId = rest.post("/v1/jobs", body).json().get("id").asText();
            rest.post("/v1/jobs", "{\"templateId\": \"t1\"}");
        }
        try (TestBaton second = TestBaton.start(dir, b -> { }, time)) {
            Rest rest = new Rest(second.baseUrl());
            assertThat(rest.get("/v1/jobs").json().get("jobs")).hasSize(2);
            assertThat(rest.get("/v1/templates/t1").json().get("config").get("a").asInt()).isEqualTo(1);
            Rest.Response replay = rest.post("/v1/jobs", body);
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.json().get("id").asText()).isEqualTo(jobId);
            assertThat(second.job(jobId).getStatus()).isEqualTo(Job.Status.PENDING);
        }
    }

    @Test
    void jobsOnAgentsWaitForThemAfterARestartAndResumeWhenTheyReconnect(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        String jobId;
        Assign assign;
        try (TestBaton first = TestBaton.start(dir, b -> { }, time)) {
            SimulatedAgent agent = first.agent("a1", 1);
            jobId = new Rest(first.baseUrl()).post("/v1/jobs", "{\"inlineConfig\": {}}").json().get("id").asText();
            assign = agent.acceptAndRun();
            first.awaitStatus(jobId, Job.Status.RUNNING);
        }
        try (TestBaton second = TestBaton.start(dir, b -> b.lostAfter(Duration.ofSeconds(60)), time)) {
            Job waiting = second.job(jobId);
            assertThat(waiting.getStatus()).isEqualTo(Job.Status.UNKNOWN);
            assertThat(waiting.getStatusReason()).contains("server restarted");
            SimulatedAgent back = second.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(jobId)
                    .setAttempt(assign.getAttempt()).setStatus(Job.Status.RUNNING).build());
            assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
            second.awaitStatus(jobId, Job.Status.RUNNING);
            back.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
            second.awaitStatus(jobId, Job.Status.STOPPED);
        }
    }

    @Test
    void everyAcknowledgedJobSurvivesKillMinus9(@TempDir Path dir) throws Exception {
        int port = freePort();
        Process server = startServerProcess(dir, port);
        List<String> acknowledged = new ArrayList<>();
        Rest rest = new Rest("http://127.0.0.1:" + port);
        try {
            for (int i = 0; i < 50; i++) {
                Rest.Response response = rest.post("/v1/jobs", "{\"inlineConfig\": {\"n\": " + i + "}, "
                                                               + "\"idempotencyKey\": \"kill-" + i + "\"}");
                assertThat(response.status()).isEqualTo(201);
                acknowledged.add(response.json().get("id").asText());
            }
        } finally {
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.exitValue()).isEqualTo(137);

        Process restarted = startServerProcess(dir, port);
        try {
            List<String> listed = rest.get("/v1/jobs?pageSize=1000").json().get("jobs").findValuesAsText("id");
            assertThat(listed).containsExactlyElementsOf(acknowledged);
            Rest.Response replay = rest.post("/v1/jobs", "{\"inlineConfig\": {\"n\": 7}, \"idempotencyKey\": \"kill-7\"}");
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.json().get("id").asText()).isEqualTo(acknowledged.get(7));
        } finally {
            restarted.destroy();
            assertThat(restarted.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(restarted.exitValue()).as("SIGTERM exits cleanly").isEqualTo(0);
    }

    private static Process startServerProcess(Path dir, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--port", Integer.toString(port),
                                                    "--data-dir", dir.toString(), "--engines-enabled", "false")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        builder.environment().put("AGENT_TOKEN", "t");
        Process process = builder.start();
        Rest rest = new Rest("http://127.0.0.1:" + port);
        // A cold JVM start, not a state change: on a loaded 2-core machine it has taken over 20 s. The API,
        // not /healthz: the port (and /healthz) answers while the store is still being recovered, and the
        // API answers 503 "not serving yet" until recovery is done.
        Eventually.await("server process serves the API", Duration.ofSeconds(90), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("server process exited with " + process.exitValue());
            }
            try {
                return rest.get("/v1/jobs?pageSize=1").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
