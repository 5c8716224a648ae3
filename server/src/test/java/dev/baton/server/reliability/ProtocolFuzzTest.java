package dev.baton.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.jobs.JobRecord;
import dev.baton.server.jobs.JobStateMachine;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.StatusRuntimeException;

/**
 * Drives several agents with random legal and illegal message sequences (seeded, so a failure
 * replays) and checks the control plane's invariants after every step:
 * a job is on at most one agent; no agent holds more than its slots; every job that has not ended is
 * on a live session, or PENDING, or UNKNOWN.
 */
class ProtocolFuzzTest {

    private static final int STEPS = 300;
    private static final String[] AGENT_IDS = {"f1", "f2", "f3", "f4"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void invariantsHoldUnderRandomSequences(long seed) {
        Random random = new Random(seed);
        try (TestBaton baton = TestBaton.start(b -> b.ackTimeout(Duration.ofSeconds(5))
                                                     .heartbeatTimeout(Duration.ofSeconds(10))
                                                     .lostAfter(Duration.ofSeconds(20))
                                                     .stopGrace(Duration.ofSeconds(3))
                                                     .killAfter(Duration.ofSeconds(2)))) {
            Map<String, SimulatedAgent> agents = new HashMap<>();
            Map<String, List<Assign>> held = new HashMap<>();
            List<String> jobs = new ArrayList<>();
            for (int step = 0; step < STEPS; step++) {
                String agentId = AGENT_IDS[random.nextInt(AGENT_IDS.length)];
                SimulatedAgent agent = agents.get(agentId);
                int action = random.nextInt(12);
                switch (action) {
                    case 0, 1 -> jobs.add(baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                            .setInlineConfig(Struct.getDefaultInstance())
                            .setRestartPolicy(random.nextBoolean() ? "onFailure" : "never")
                            .setRequirements(JobRequirements.newBuilder().setSlots(1 + random.nextInt(2))).build())
                            .getJob().getId());
                    case 2 -> {
                        if (agent != null) {
                            agent.close();
                        }
                        List<RunningJob> claims = new ArrayList<>();
                        for (Assign a : held.getOrDefault(agentId, List.of())) {
                            if (random.nextInt(3) > 0) {
                                claims.add(RunningJob.newBuilder().setJobId(a.getJobId()).setAttempt(a.getAttempt())
                                                     .setStatus(Job.Status.RUNNING).build());
                            }
                        }
                        if (random.nextInt(4) == 0 && !jobs.isEmpty()) {
                            claims.add(RunningJob.newBuilder().setJobId(jobs.get(random.nextInt(jobs.size())))
                                                 .setAttempt(1 + random.nextInt(3)).setStatus(Job.Status.RUNNING).build());
                        }
                        agents.put(agentId, baton.agent(agentId, 1 + random.nextInt(3), Map.of(),
                                                        claims.toArray(RunningJob[]::new)));
                    }
                    case 3, 4 -> {
                        if (agent != null && !agent.isClosed()) {
                            for (ServerMessage m : agent.drainInbox()) {
                                if (m.getMsgCase() == ServerMessage.MsgCase.ASSIGN) {
                                    Assign assign = m.getAssign();
                                    boolean accept = random.nextInt(4) > 0;
                                    int attempt = random.nextInt(6) == 0 ? assign.getAttempt() + 1 : assign.getAttempt();
                                    agent.ack(assign.toBuilder().setAttempt(attempt).build(), accept);
                                    if (accept) {
                                        held.computeIfAbsent(agentId, k -> new ArrayList<>()).add(assign);
                                    }
                                }
                            }
                        }
                    }
                    case 5, 6 -> {
                        List<Assign> mine = held.getOrDefault(agentId, List.of());
                        if (agent != null && !agent.isClosed() && !mine.isEmpty()) {
                            Assign a = mine.get(random.nextInt(mine.size()));
                            Job.Status status = switch (random.nextInt(4)) {
                                case 0 -> Job.Status.STARTING;
                                case 1 -> Job.Status.RUNNING;
                                case 2 -> Job.Status.STOPPED;
                                default -> Job.Status.FAILED;
                            };
                            agent.update(a.getJobId(), a.getAttempt(), status);
                            if (status == Job.Status.STOPPED || status == Job.Status.FAILED) {
                                mine.remove(a);
                            }
                        }
                    }
                    case 7 -> {
                        if (!jobs.isEmpty()) {
                            try {
                                baton.jobs().stopJob(StopJobRequest.newBuilder()
                                        .setId(jobs.get(random.nextInt(jobs.size()))).build());
                            } catch (StatusRuntimeException alreadyEnded) {
                                assertThat(alreadyEnded.getStatus().getCode().name()).isEqualTo("FAILED_PRECONDITION");
                            }
                        }
                    }
                    case 8 -> {
                        if (agent != null) {
                            baton.fleet().drainAgent(DrainAgentRequest.newBuilder().setId(agentId)
                                                                      .setDrain(random.nextBoolean()).build());
                        }
                    }
                    case 9 -> {
                        if (agent != null && random.nextBoolean()) {
                            agent.goodbye();
                        } else if (agent != null) {
                            agent.close();
                        }
                    }
                    default -> {
                        agents.values().stream().filter(a -> !a.isClosed() && random.nextBoolean())
                              .forEach(SimulatedAgent::heartbeat);
                        baton.advance(Duration.ofMillis(random.nextInt(8000)));
                    }
                }
                baton.sync();
                checkInvariants(baton.server().controlPlane(), seed, step);
            }
        }
    }

    private static void checkInvariants(ControlPlane plane, long seed, int step) {
        String where = "seed " + seed + " step " + step + ": ";
        List<String> violations = plane.loop().call(() -> {
            List<String> found = new ArrayList<>();
            Map<String, String> holder = new HashMap<>();
            for (AgentRecord agent : plane.fleet().all()) {
                int used = 0;
                for (String jobId : agent.jobIds()) {
                    String previous = holder.put(jobId, agent.id());
                    if (previous != null) {
                        found.add("job " + jobId + " on " + previous + " and " + agent.id());
                    }
                    JobRecord r = plane.jobBook().get(jobId);
                    if (r != null && !JobStateMachine.isTerminal(r.status())) {
                        used += r.slots();
                    }
                }
                if (agent.online() && used > agent.slots()) {
                    found.add("agent " + agent.id() + " holds " + used + " slots of " + agent.slots());
                }
            }
            for (JobRecord r : plane.jobBook().all()) {
                Job.Status status = r.status();
                if (JobStateMachine.isTerminal(status) || status == Job.Status.PENDING || status == Job.Status.UNKNOWN) {
                    continue;
                }
                AgentRecord agent = plane.fleet().get(r.job().getAgentId());
                if (agent == null || !agent.online()) {
                    found.add("job " + r.id() + " is " + status + " on " + r.job().getAgentId() + " without a live session");
                } else if (!agent.jobIds().contains(r.id())) {
                    found.add("job " + r.id() + " is " + status + " on " + agent.id() + " which does not hold it");
                }
            }
            return found;
        }).join();
        assertThat(violations).as(where).isEmpty();
    }
}
