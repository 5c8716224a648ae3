package dev.baton.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.BatonAgent;
import dev.baton.agent.ReconnectPolicy;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.store.PostgresStore;
import dev.baton.server.testing.TestPostgres;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole failover, with nothing simulated but the jobs' work: three server processes on one
 * PostgreSQL 15, agents built with the SDK and given every server's address, jobs running on
 * them; the leader is killed with SIGKILL; a standby takes over with every acknowledged job, and
 * the agents find it and keep their jobs. The failover time (kill → the new leader accepts a
 * write) is printed; docs/operations.md records it.
 */
class FailoverTest {

    private static final String TOKEN = "failover-token";
    private static final int SERVERS = 3;
    private static final int AGENTS = 3;
    private static final int JOBS = 24;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<BatonAgent> agents = new ArrayList<>();
    private final Map<Integer, ManagedChannel> channels = new HashMap<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        agents.forEach(BatonAgent::close);
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingTheLeaderHandsEverythingToAStandbyAndAgentsFollow() throws Exception {
        PostgresStore.Endpoint database = TestPostgres.freshDatabase();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            ports.add(freePort());
        }
        for (int i = 0; i < SERVERS; i++) {
            processes.add(startServer(database, ports.get(i), i));
        }
        for (int port : ports) {
            // Channels only once the port listens: a channel that met a refused connection backs off
            // on its own schedule, for up to two minutes.
            await("server on port " + port + " listens", () -> listens(port));
        }
        int leader = awaitLeader(ports, -1);
        String servers = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < AGENTS; i++) {
            agents.add(BatonAgent.builder().server(servers).token(TOKEN).agentId("agent-" + i).slots(JOBS)
                    .reconnectPolicy(ReconnectPolicy.of(Duration.ofMillis(200), 1.6, 0.2, Duration.ofSeconds(2), 0))
                    .drainOnShutdown(false)
                    .handler(job -> {
                        job.running();
                        new CountDownLatch(1).await(); // runs until stopped (interrupted)
                    })
                    .build().start());
        }
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            acknowledged.add(jobs(leader).submitJob(SubmitJobRequest.newBuilder()
                    .setInlineConfig(com.google.protobuf.Struct.getDefaultInstance())
                    .setIdempotencyKey("job-" + i).build()).getJob().getId());
        }
        await("every job RUNNING on the first leader", () -> countRunning(leader) == JOBS);

        Process leaderProcess = processes.get(ports.indexOf(leader));
        long killedAt = System.nanoTime();
        leaderProcess.destroyForcibly();
        int next = awaitWriteAccepted(ports, leader);
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        await("every agent reconnected to the new leader", () -> onlineAgents(next) == AGENTS);
        long agentsBackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        await("every job RUNNING again on the new leader", () -> countRunning(next) == JOBS);
        long jobsBackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.printf("FAILOVER servers=%d agents=%d jobs=%d kill_to_write_accepted_ms=%d "
                          + "kill_to_agents_reconnected_ms=%d kill_to_jobs_running_ms=%d%n",
                          SERVERS, AGENTS, JOBS, failoverMillis, agentsBackMillis, jobsBackMillis);

        assertThat(leaderProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(leaderProcess.exitValue()).isEqualTo(137);
        List<Job> listed = jobs(next).listJobs(ListJobsRequest.newBuilder().setPageSize(1000).build()).getJobsList();
        assertThat(listed).extracting(Job::getId).containsAll(acknowledged);
        assertThat(listed.stream().filter(j -> acknowledged.contains(j.getId())))
                .allSatisfy(j -> assertThat(j.getStatus()).isEqualTo(Job.Status.RUNNING));
        assertThat(failoverMillis).as("failover within the 10 s target").isLessThan(10_000);
    }

    private int awaitLeader(List<Integer> ports, int except) {
        int[] found = {-1};
        await("a leader among " + ports, () -> {
            for (int port : ports) {
                if (port == except) {
                    continue;
                }
                try {
                    jobs(port).withDeadlineAfter(2, TimeUnit.SECONDS)
                              .listJobs(ListJobsRequest.newBuilder().setPageSize(1).build());
                    found[0] = port;
                    return true;
                } catch (StatusRuntimeException refusedOrDown) {
                    // a standby, or not up yet
                }
            }
            return false;
        });
        return found[0];
    }

    /** The first surviving server that accepts a write (a new job), polled every 20 ms. */
    private int awaitWriteAccepted(List<Integer> ports, int dead) {
        int[] found = {-1};
        await("a standby accepts a write", () -> {
            for (int port : ports) {
                if (port == dead) {
                    continue;
                }
                try {
                    jobs(port).withDeadlineAfter(2, TimeUnit.SECONDS).submitJob(SubmitJobRequest.newBuilder()
                            .setInlineConfig(com.google.protobuf.Struct.getDefaultInstance())
                            .setRequirements(dev.baton.proto.v1.JobRequirements.newBuilder().putLabels("probe", "x"))
                            .setIdempotencyKey("failover-probe").build());
                    found[0] = port;
                    return true;
                } catch (StatusRuntimeException refused) {
                    // still a standby
                }
            }
            return false;
        });
        return found[0];
    }

    private long countRunning(int port) {
        try {
            return jobs(port).listJobs(ListJobsRequest.newBuilder().setPageSize(1000).build()).getJobsList().stream()
                             .filter(j -> j.getStatus() == Job.Status.RUNNING).count();
        } catch (StatusRuntimeException e) {
            return -1;
        }
    }

    private long onlineAgents(int port) {
        return FleetServiceGrpc.newBlockingStub(channel(port)).withDeadlineAfter(20, TimeUnit.SECONDS)
                .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .filter(a -> a.getState() != Agent.State.OFFLINE).count();
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs(int port) {
        return JobServiceGrpc.newBlockingStub(channel(port)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private ManagedChannel channel(int port) {
        return channels.computeIfAbsent(port, p -> NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build());
    }

    private Process startServer(PostgresStore.Endpoint database, int port, int index) throws IOException {
        Path data = Files.createDirectories(dir.resolve("server-" + index));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("AGENT_TOKEN", TOKEN);
        env.put("DATA_DIR", data.toString());
        env.put("ENGINES_ENABLED", "false");
        env.put("STORE_URL", database.url());
        env.put("STORE_USER", database.user());
        Path password = data.resolve("store-password");
        Files.writeString(password, database.password() + "\n");
        env.put("STORE_PASSWORD_FILE", password.toString());
        return builder.start();
    }

    /** Generous: three JVMs starting on a shared 2-core machine take a while; success returns at once. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "; server logs:\n" + logTails());
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        for (int i = 0; i < SERVERS; i++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("server-" + i).resolve("server.log"));
                tails.append("--- server-").append(i).append('\n')
                     .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
                     .append('\n');
            } catch (IOException e) {
                tails.append("--- server-").append(i).append(": ").append(e).append('\n');
            }
        }
        return tails.toString();
    }

    private static boolean listens(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
