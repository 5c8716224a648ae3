package dev.baton.agent.testing;

import static dev.baton.agent.testing.ScriptedAgentServer.Connection.proto;

import com.google.protobuf.Struct;
import dev.baton.agent.internal.Structs;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Drain;
import dev.baton.proto.v1.Kill;
import dev.baton.proto.v1.Mute;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Stop;
import dev.baton.proto.v1.Unmute;
import java.time.Duration;
import java.util.Map;

/** Server messages, briefly. */
public final class Messages {

    private Messages() {}

    public static ServerMessage assign(String jobId, int attempt) {
        return assign(jobId, attempt, Map.of());
    }

    public static ServerMessage assign(String jobId, int attempt, Map<String, ?> config) {
        Struct struct = Structs.toStruct(config);
        return ServerMessage.newBuilder().setAssign(
                Assign.newBuilder().setJobId(jobId).setAttempt(attempt).setConfig(struct)).build();
    }

    public static ServerMessage stop(String jobId, int attempt, Duration grace, String correlationId) {
        return ServerMessage.newBuilder().setStop(Stop.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setGrace(proto(grace)).setCorrelationId(correlationId).setReason("test")).build();
    }

    public static ServerMessage kill(String jobId, int attempt, String correlationId) {
        return ServerMessage.newBuilder().setKill(Kill.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setCorrelationId(correlationId)).build();
    }

    public static ServerMessage mute(String jobId, int attempt, String correlationId) {
        return ServerMessage.newBuilder().setMute(Mute.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setCorrelationId(correlationId)).build();
    }

    public static ServerMessage unmute(String jobId, int attempt, String correlationId) {
        return ServerMessage.newBuilder().setUnmute(Unmute.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setCorrelationId(correlationId)).build();
    }

    public static ServerMessage drain(boolean drain) {
        return ServerMessage.newBuilder().setDrain(Drain.newBuilder().setDrain(drain)).build();
    }
}
