package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetEngineRequest;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Eventually;

/**
 * A second Docker daemon without live-restore crashes (SIGKILL): its API is gone at once while its
 * containers run on under their shims, so Baton only sees the host go silent. Its engine is marked
 * lost and replaced on the main daemon; when the daemon restarts it stops the orphaned container
 * (no live-restore), and Baton removes it: the pool ends with exactly its engines, none twice. A job
 * running there is not killed for Docker's sake; once the daemon really stops it, the job follows its
 * restart policy and runs again on the other host.
 */
class EngineHostCrashTest {

    private static final String POOL = "crash-host";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static ExtraDockerDaemon daemonB;
    static EngineTestServer server;

    @BeforeAll
    static void start() throws Exception {
        docker = EngineDocker.require();
        daemonB = ExtraDockerDaemon.start(docker, EngineDocker.IMAGE);
        // A job whose agent is gone is restarted 5 s later (LOST_AFTER_S), not the default 60 s.
        BatonConfig config = EngineTestServer.config(dataDir, 0).engineHostLostAfter(Duration.ofSeconds(3))
                                             .lostAfter(Duration.ofSeconds(5)).build();
        server = EngineTestServer.startWith(config, EngineSettings.defaults(docker.mountRoots())
                                                                  .withRetry(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("b").setEndpoint(daemonB.endpoint)).build());
        Eventually.await("b answers", WAIT, () -> host("b").getStatus().getReachable());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        ExtraDockerDaemon.closeAll(server, daemonB, docker);
    }

    @Test
    void aCrashedHostsEngineIsLostReplacedAndRemovedWhenTheHostRestartsAndItsJobRestartsElsewhere()
            throws Exception {
        server.createPool(POOL, docker.agentSpec().setMinFree(1).setMaxEngines(6).build());
        Eventually.await("one free engine", WAIT, () -> server.count(POOL, Engine.State.FREE) == 1);
        // Jobs fill the engines and min free adds more, alternating hosts, until one job runs on b.
        String jobOnB = null;
        for (int i = 0; i < 4 && jobOnB == null; i++) {
            String job = submit();
            Eventually.await("job " + job + " RUNNING", WAIT, () -> job(job).getStatus() == Job.Status.RUNNING);
            if (server.engines.getEngine(GetEngineRequest.newBuilder().setId(job(job).getAgentId()).build())
                              .getHost().equals("b")) {
                jobOnB = job;
            }
        }
        assertThat(jobOnB).as("a job landed on host b").isNotNull();
        String onB = job(jobOnB).getAgentId();
        Eventually.await("a free engine again", WAIT, () -> server.count(POOL, Engine.State.FREE) >= 1);

        daemonB.killProcess();

        Eventually.await("b's engines LOST and a free engine on local", WAIT, () -> {
            List<Engine> engines = server.engines(POOL);
            return engines.stream().filter(e -> e.getHost().equals("b")).allMatch(e -> e.getState() == Engine.State.LOST)
                   && engines.stream().anyMatch(e -> e.getHost().equals("local") && e.getState() == Engine.State.FREE);
        });
        assertThat(host("b").getStatus().getLost()).isTrue();
        // The crashed daemon's containers run on: the job is not killed for Docker's sake.
        assertThat(job(jobOnB).getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(job(jobOnB).getAttempt()).isEqualTo(1);

        daemonB.startProcess();

        String restarted = jobOnB;
        List<String> lostEngines = server.engines(POOL).stream().filter(e -> e.getState() == Engine.State.LOST)
                                         .map(Engine::getId).toList();
        Eventually.await("b's lost engines are gone and the job runs again elsewhere", WAIT, () -> {
            Job job = job(restarted);
            List<Engine> engines = server.engines(POOL);
            return engines.stream().noneMatch(e -> lostEngines.contains(e.getId()))
                   && containersOnB() == engines.stream().filter(e -> e.getHost().equals("b")).count()
                   && job.getStatus() == Job.Status.RUNNING && job.getAttempt() == 2;
        });
        assertThat(job(jobOnB).getAgentId()).isNotEqualTo(onB).isNotIn(lostEngines);
        List<Engine> engines = server.engines(POOL);
        assertThat(engines.stream().map(Engine::getId).distinct()).hasSize(engines.size());
        assertThat(engines).noneMatch(e -> e.getState() == Engine.State.LOST);
        assertThat(host("b").getStatus().getReachable()).isTrue();
    }

    private static String submit() {
        Struct config = Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("sleep").build())
                              .build();
        return server.jobs.submitJob(SubmitJobRequest.newBuilder().setInlineConfig(config).setRestartPolicy("onFailure")
                                                     .setRequirements(JobRequirements.newBuilder().setPool(POOL))
                                                     .setWaitTimeout(Durations.fromSeconds(120)).build())
                          .getJob().getId();
    }

    private static Job job(String id) {
        return server.jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
    }

    private static DockerHost host(String name) {
        return server.engines.getHost(GetHostRequest.newBuilder().setName(name).build());
    }

    private static int containersOnB() {
        return daemonB.client.listContainersCmd().withShowAll(true)
                             .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, server.instanceId())).exec().size();
    }
}
