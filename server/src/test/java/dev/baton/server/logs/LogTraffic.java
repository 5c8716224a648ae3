package dev.baton.server.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.JobLog;
import dev.baton.proto.v1.LogStream;
import dev.baton.server.testing.Rest;

/** Builds agents' JobLog messages and reads the server's log metrics. */
final class LogTraffic {

    private LogTraffic() {}

    static AgentMessage chunk(String jobId, int attempt, long sequence, LogStream stream, String... lines) {
        return bytesChunk(jobId, attempt, sequence, stream,
                          Arrays.stream(lines).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList());
    }

    static AgentMessage bytesChunk(String jobId, int attempt, long sequence, LogStream stream, List<byte[]> lines) {
        JobLog.Builder log = JobLog.newBuilder().setJobId(jobId).setAttempt(attempt).setSequence(sequence)
                                   .setStream(stream);
        lines.forEach(line -> log.addLines(ByteString.copyFrom(line)));
        return AgentMessage.newBuilder().setJobLog(log).build();
    }

    /** The value of {@code baton_log_lines_total{outcome=...}} on /metrics. */
    static double linesCounted(Rest rest, String outcome) {
        String prefix = "baton_log_lines_total{outcome=\"" + outcome + "\"";
        return rest.get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
                   .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
