package dev.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.server.testing.Rest;

/**
 * The real launcher as a child process, without ADMIN_TOKENS: it prints a generated admin token
 * once, the token works, and neither it nor a wrong token ever shows up again in the process's
 * output (its logs included) however it is used.
 */
class GeneratedAdminTokenTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("generated admin token \\(shown once; role admin\\): (\\S+)");
    private static final Pattern LISTENING = Pattern.compile("Baton listening on port (\\d+)");
    private static final String WRONG = "wrong-token-that-must-not-be-logged";

    @Test
    void generatedTokenIsPrintedOnceWorksAndIsNeverLogged(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--data-dir", dir.toString(),
                                                    "--port", "0", "--engines-enabled", "false",
                                                    "--admin-auth", "required")
                .redirectErrorStream(true);
        builder.environment().put("LOG_LEVEL", "DEBUG");
        Process process = builder.start();
        ProcessOutput output = new ProcessOutput(process);
        try {
            // A cold JVM on a loaded machine may take a while: wait for the line, not a fixed time.
            String started = output.untilLine(LISTENING).get(120, TimeUnit.SECONDS);
            Matcher printed = TOKEN_LINE.matcher(started);
            Matcher listening = LISTENING.matcher(started);
            assertThat(printed.find()).as("token line in:\n%s", started).isTrue();
            assertThat(listening.find()).as("listening line in:\n%s", started).isTrue();
            String token = printed.group(1);
            int port = Integer.parseInt(listening.group(1));

            Rest anonymous = new Rest("http://127.0.0.1:" + port);
            assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(401);
            assertThat(anonymous.withToken(WRONG).get("/v1/jobs").status()).isEqualTo(401);
            assertThat(anonymous.withToken(token).post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"true\"]}}")
                                .status()).isEqualTo(201);
            assertThat(sseStatus(port, token)).isEqualTo(200);
            assertThat(sseStatus(port, WRONG)).isEqualTo(401);

            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String all = output.all();
            assertThat(all.split(Pattern.quote(token), -1)).as("occurrences of the token + 1 in:\n%s", all).hasSize(2);
            assertThat(all).doesNotContain(WRONG);
            assertThat(all).contains("admin_auth=required");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Collects a child's output on a thread; completes a future once a line matches. */
    private static final class ProcessOutput {
        private final StringBuilder text = new StringBuilder();
        private final Thread reader;
        private volatile Pattern awaited;
        private final CompletableFuture<String> matched = new CompletableFuture<>();

        ProcessOutput(Process process) {
            reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                                       StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (text) {
                            text.append(line).append('\n');
                        }
                        if (awaited != null && awaited.matcher(line).find()) {
                            matched.complete(snapshot());
                        }
                    }
                } catch (IOException e) {
                    matched.completeExceptionally(e);
                }
                matched.completeExceptionally(new AssertionError("process ended before the line; output:\n" + snapshot()));
            }, "child-output");
            reader.setDaemon(true);
        }

        CompletableFuture<String> untilLine(Pattern pattern) {
            awaited = pattern;
            reader.start();
            return matched;
        }

        /** Everything, once the process has exited and its output is drained. */
        String all() throws InterruptedException {
            reader.join(30_000);
            return snapshot();
        }

        private String snapshot() {
            synchronized (text) {
                return text.toString();
            }
        }
    }

    /** Opens the SSE stream with ?access_token= (as the dashboard does) and closes it again. */
    private static int sseStatus(int port, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.io.InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/watch?access_token=" + token))
                           .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
