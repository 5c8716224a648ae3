package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.dockerjava.api.model.Container;
import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EngineServiceGrpc;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * kill -9 under load, three times in one run: a real server process with a pool on the real Docker
 * engine, simulated agents running jobs, and a steady stream of REST submissions. After each restart on
 * the same data directory every acknowledged job is there with a consistent status, idempotency keys
 * still dedupe, the agents' jobs are RUNNING again, and the engines are the same containers, adopted.
 */
class EngineCrashRestartTest {

    private static final String TOKEN = "crash-token";
    private static final int CRASHES = 3;
    private static final List<String> AGENTS = List.of("sim-a", "sim-b");
    private static final int SLOTS = 4;

    @TempDir
    Path dir;
    private final String pool = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // idempotency key -> job id
    private final Map<String, Map<String, Integer>> agentJobs = new ConcurrentHashMap<>(); // agent -> job -> attempt
    private EngineDocker docker;
    private Process server;
    private int port;

    @AfterEach
    void cleanUp() throws InterruptedException {
        running.set(false);
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        if (docker != null) {
            for (Container c : poolContainers()) {
                docker.client.removeContainerCmd(c.getId()).withForce(true).exec();
            }
            docker.close();
        }
    }

    @Test
    void acknowledgedJobsAgentsAndEnginesSurviveRepeatedKillMinus9() throws Exception {
        docker = EngineDocker.require();
        port = freePort();
        server = startServer();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            EngineServiceGrpc.newBlockingStub(channel).createPool(CreatePoolRequest.newBuilder().setPool(
                    Pool.newBuilder().setName(pool).setSpec(docker.agentSpec().setMinFree(2).setMaxEngines(3))).build());
            AGENTS.forEach(id -> agentJobs.put(id, new ConcurrentHashMap<>()));
            List<Thread> threads = AGENTS.stream().map(id -> start("agent-" + id, () -> runAgent(channel, id)))
                                         .collect(Collectors.toList());
            threads.add(start("submitter", this::submitSteadily));
            await("2 FREE engines", Duration.ofSeconds(90), () -> engines(channel, Engine.State.FREE).size() == 2);
            Set<String> containers = containerIds(channel);

            for (int crash = 1; crash <= CRASHES; crash++) {
                int before = acknowledged.size();
                await("more submissions acknowledged", Duration.ofSeconds(20), () -> acknowledged.size() >= before + 20);
                server.destroyForcibly();
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).isEqualTo(137);
                Map<String, String> ackedAtCrash = Map.copyOf(acknowledged);
                server = startServer();

                assertEveryAcknowledgedJobIsThereConsistently(ackedAtCrash);
                assertIdempotencyKeysStillDedupe(ackedAtCrash);
                await("agents' jobs RUNNING again after crash " + crash, Duration.ofSeconds(30),
                      this::everyAgentJobIsRunningOnItsAgent);
                await("adopted engines FREE again after crash " + crash, Duration.ofSeconds(60),
                      () -> engines(channel, Engine.State.FREE).size() == 2);
                assertThat(containerIds(channel)).as("same containers after crash " + crash).isEqualTo(containers);
                assertThat(poolContainers()).extracting(Container::getId).as("no duplicates, no orphans")
                                            .containsExactlyInAnyOrderElementsOf(containers);
            }
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        } finally {
            channel.shutdownNow();
        }
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).as("SIGTERM exits cleanly").isZero();
        server = null;
    }

    private void assertEveryAcknowledgedJobIsThereConsistently(Map<String, String> acked) {
        Rest rest = rest();
        JsonNode list = rest.get("/v1/jobs?pageSize=10000").json().get("jobs");
        Map<String, JsonNode> byId = new HashMap<>();
        list.forEach(job -> byId.put(job.get("id").asText(), job));
        assertThat(byId.keySet()).containsAll(acked.values());
        for (String id : acked.values()) {
            JsonNode job = byId.get(id);
            String status = job.get("status").asText();
            String agent = job.get("agentId").asText();
            // A job is either waiting for an agent, or on one of the agents that took it (RUNNING, or UNKNOWN
            // until its agent says Hello again); nothing else happens to these jobs.
            assertThat(status).as(id).isIn("PENDING", "RUNNING", "UNKNOWN", "ASSIGNED");
            if (status.equals("PENDING")) {
                assertThat(agent).as(id).isEmpty();
            } else {
                assertThat(AGENTS).as(id + " " + status).contains(agent);
            }
        }
    }

    private void assertIdempotencyKeysStillDedupe(Map<String, String> acked) {
        String key = acked.keySet().iterator().next();
        Rest.Response replay = rest().post("/v1/jobs", body(key));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("id").asText()).isEqualTo(acked.get(key));
    }

    private boolean everyAgentJobIsRunningOnItsAgent() {
        Rest rest = rest();
        for (Map.Entry<String, Map<String, Integer>> agent : agentJobs.entrySet()) {
            for (String jobId : Set.copyOf(agent.getValue().keySet())) {
                JsonNode job = rest.get("/v1/jobs/" + jobId).json();
                if (!job.get("status").asText().equals("RUNNING") || !job.get("agentId").asText().equals(agent.getKey())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A scripted agent: runs what it is assigned, heartbeats, and after a crash says Hello with its jobs. */
    private void runAgent(ManagedChannel channel, String id) {
        Map<String, Integer> jobs = agentJobs.get(id);
        while (running.get()) {
            SimulatedAgent agent;
            try {
                RunningJob[] held = jobs.entrySet().stream().map(e -> RunningJob.newBuilder().setJobId(e.getKey())
                        .setAttempt(e.getValue()).setStatus(Job.Status.RUNNING).build()).toArray(RunningJob[]::new);
                agent = SimulatedAgent.connect(channel, TOKEN, id, SLOTS, Map.of("zone", "sim"), held);
                agent.welcome().getRejectedJobIdsList().forEach(jobs::remove);
            } catch (RuntimeException | AssertionError serverDown) {
                pause();
                continue;
            }
            while (running.get() && !agent.isClosed()) {
                ServerMessage message = agent.poll(1);
                agent.heartbeat();
                if (message != null && message.getMsgCase() == ServerMessage.MsgCase.ASSIGN) {
                    Assign assign = message.getAssign();
                    agent.ack(assign, true);
                    agent.update(assign.getJobId(), assign.getAttempt(), Job.Status.RUNNING);
                    jobs.put(assign.getJobId(), assign.getAttempt());
                }
            }
            agent.close();
        }
    }

    private void submitSteadily() {
        Rest rest = rest();
        for (int n = 0; running.get(); n++) {
            String key = pool + "-job-" + n;
            try {
                Rest.Response response = rest.post("/v1/jobs", body(key));
                if (response.status() == 201 || response.status() == 200) {
                    acknowledged.put(key, response.json().get("id").asText());
                }
            } catch (RuntimeException serverDown) {
                // not acknowledged: the client would retry with the same key
            }
            pause();
        }
    }

    private static String body(String key) {
        return "{\"inlineConfig\": {\"key\": \"" + key + "\"}, \"idempotencyKey\": \"" + key + "\", "
               + "\"requirements\": {\"labels\": {\"zone\": \"sim\"}}}";
    }

    private List<Engine> engines(ManagedChannel channel, Engine.State state) {
        try {
            return EngineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                                    .listEngines(ListEnginesRequest.newBuilder().setPool(pool).build()).getEnginesList()
                                    .stream().filter(e -> e.getState() == state).toList();
        } catch (RuntimeException notYet) {
            return List.of();
        }
    }

    private Set<String> containerIds(ManagedChannel channel) {
        return EngineServiceGrpc.newBlockingStub(channel).listEngines(ListEnginesRequest.newBuilder().setPool(pool)
                                                                                        .build())
                                .getEnginesList().stream().map(Engine::getContainerId).collect(Collectors.toSet());
    }

    private List<Container> poolContainers() {
        return docker.client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(EngineLabels.POOL, pool))
                            .exec();
    }

    private Rest rest() {
        return new Rest("http://127.0.0.1:" + port);
    }

    private Process startServer() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Outside the @TempDir, so that a failure leaves the server's side of the story to read.
        Path log = Path.of("target", "EngineCrashRestartTest-server.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--port", Integer.toString(port),
                                                    "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("AGENT_TOKEN", TOKEN);
        env.put("DOCKER_HOST", EngineDocker.HOST);
        env.put("ENGINE_MOUNT_ROOTS", docker.mountRoots().stream().map(Path::toString).collect(Collectors.joining(":")));
        env.put("MONITOR_INTERVAL_S", "1");
        env.put("AUTOSCALE_INTERVAL_S", "1");
        env.put("ENGINE_GRACE_PERIOD_S", "2");
        env.put("HEARTBEAT_INTERVAL_MS", "500");
        env.put("HEARTBEAT_TIMEOUT_MS", "5000");
        Process process = builder.start();
        Rest rest = rest();
        try {
            // The API, not /healthz: the port answers while the store is recovered, the API only after.
            await("server process serves the API", Duration.ofSeconds(90), () -> {
                assertThat(process.isAlive()).as("server process alive (see " + log + ")").isTrue();
                try {
                    return rest.get("/v1/pools").status() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        } catch (AssertionError | RuntimeException e) {
            process.destroyForcibly(); // never leave a server behind that would go on creating engines
            throw e;
        }
        return process;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Paces the load generator and the reconnect loop; nothing waits on it for a result. */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
