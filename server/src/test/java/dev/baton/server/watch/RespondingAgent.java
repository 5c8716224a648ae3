package dev.baton.server.watch;

import java.time.Duration;
import java.util.Map;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.server.testing.SimulatedAgent;
import io.grpc.ManagedChannel;

/**
 * An agent that runs by itself on a wall-clock server, for tests where a person (or a browser)
 * drives the server: it heartbeats, accepts and runs every assignment, stops on Stop or Kill and
 * acknowledges mute and unmute.
 */
final class RespondingAgent implements AutoCloseable {

    private final SimulatedAgent agent;
    private final Thread thread;
    private volatile boolean running = true;

    private RespondingAgent(SimulatedAgent agent) {
        this.agent = agent;
        this.thread = new Thread(this::run, "agent-" + agent.id());
        thread.setDaemon(true);
        thread.start();
    }

    static RespondingAgent connect(ManagedChannel channel, String token, String id, int slots,
                                   Map<String, String> labels) {
        return new RespondingAgent(SimulatedAgent.connect(channel, token, id, slots, labels));
    }

    private void run() {
        Duration interval = Duration.ofMillis(
                com.google.protobuf.util.Durations.toMillis(agent.welcome().getHeartbeatInterval()));
        long nextHeartbeat = System.nanoTime() + interval.toNanos();
        while (running && !agent.isClosed()) {
            ServerMessage message = agent.poll(1);
            if (message != null) {
                answer(message);
            }
            if (System.nanoTime() >= nextHeartbeat) {
                agent.heartbeat();
                nextHeartbeat = System.nanoTime() + interval.toNanos();
            }
        }
    }

    private void answer(ServerMessage message) {
        switch (message.getMsgCase()) {
            case ASSIGN -> {
                Assign assign = message.getAssign();
                agent.ack(assign, true);
                agent.update(assign.getJobId(), assign.getAttempt(), Job.Status.RUNNING);
            }
            case STOP -> {
                agent.update(message.getStop().getJobId(), message.getStop().getAttempt(), Job.Status.STOPPED);
                ackIfAsked(message.getStop().getCorrelationId());
            }
            case KILL -> {
                agent.update(message.getKill().getJobId(), message.getKill().getAttempt(), Job.Status.STOPPED);
                ackIfAsked(message.getKill().getCorrelationId());
            }
            case MUTE -> ackIfAsked(message.getMute().getCorrelationId());
            case UNMUTE -> ackIfAsked(message.getUnmute().getCorrelationId());
            default -> { }
        }
    }

    private void ackIfAsked(String correlationId) {
        if (!correlationId.isEmpty()) {
            agent.commandAck(correlationId, true, "");
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.close();
    }
}
