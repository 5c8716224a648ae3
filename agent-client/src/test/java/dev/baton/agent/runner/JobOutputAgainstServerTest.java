package dev.baton.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.agent.BatonAgent;
import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.FollowLogsResponse;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.LogServiceGrpc;
import dev.baton.proto.v1.LogStream;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference agent's process handler forwards a real child's stdout and stderr: Baton serves the
 * lines over REST, follows them live over gRPC (in order, none lost), and keeps them across a restart.
 */
class JobOutputAgainstServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    private static RealBaton baton;
    private static BatonAgent agent;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        baton = RealBaton.start(dataDir);
        agent = BatonAgent.builder().server(baton.target()).token(RealBaton.TOKEN)
                .agentId("output-agent").slots(2).drainOnShutdown(false)
                .handler(new ProcessJobHandler(Optional.empty(), Optional.empty(), 3, System.err))
                .build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        baton.close();
    }

    @Test
    void childOutputIsReadableOverRestFollowedLiveAndKeptAcrossARestart() throws Exception {
        Path go = work.resolve("go");
        String script = "echo ready; while [ ! -f \"$GO\" ]; do sleep 0.05; done;"
                        + " for i in $(seq 1 300); do echo \"out $i\"; echo \"err $i\" >&2; done; exit 3";
        String id = baton.submit(Map.of("command", List.of("sh", "-c", script), "env", Map.of("GO", go.toString())))
                         .getId();
        Await.until("the job printed ready", RealBaton.WAIT, () -> texts(rest(id, "")).contains("ready"));

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", baton.port()).usePlaintext().build();
        try {
            Iterator<FollowLogsResponse> follow = LogServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .followLogs(FollowLogsRequest.newBuilder().setId(id).build());
            Files.createFile(go);
            List<LogLine> followed = new ArrayList<>();
            boolean ended = false;
            while (follow.hasNext()) {
                FollowLogsResponse response = follow.next();
                followed.addAll(response.getLinesList());
                ended |= response.getAttemptEnded();
            }

            assertThat(ended).isTrue();
            assertThat(stream(followed, LogStream.LOG_STREAM_STDOUT)).containsExactlyElementsOf(expected("ready", "out"));
            assertThat(stream(followed, LogStream.LOG_STREAM_STDERR)).containsExactlyElementsOf(expected(null, "err"));
            assertThat(followed).extracting(LogLine::getSeq).isSorted().doesNotHaveDuplicates();
        } finally {
            channel.shutdownNow();
        }
        Job failed = baton.awaitStatus(id, Job.Status.FAILED);
        assertThat(failed.getExitCode()).isEqualTo(3);

        JsonNode overRest = rest(id, "?stream=stderr");
        assertThat(texts(overRest)).containsExactlyElementsOf(expected(null, "err"));
        assertThat(overRest.get("attemptEnded").asBoolean()).isTrue();

        baton.restart();
        JsonNode afterRestart = rest(id, "");
        assertThat(afterRestart.get("lines")).hasSize(601);
        assertThat(texts(rest(id, "?stream=stdout"))).containsExactlyElementsOf(expected("ready", "out"));
    }

    private static List<String> expected(String first, String prefix) {
        List<String> lines = new ArrayList<>();
        if (first != null) {
            lines.add(first);
        }
        IntStream.rangeClosed(1, 300).forEach(i -> lines.add(prefix + " " + i));
        return lines;
    }

    private static List<String> stream(List<LogLine> lines, LogStream stream) {
        return lines.stream().filter(l -> l.getStream() == stream).map(LogLine::getText).toList();
    }

    private static JsonNode rest(String id, String query) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + baton.target() + "/v1/jobs/" + id + "/logs" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> texts(JsonNode response) {
        List<String> texts = new ArrayList<>();
        response.get("lines").forEach(line -> texts.add(line.get("text").asText()));
        return texts;
    }
}
