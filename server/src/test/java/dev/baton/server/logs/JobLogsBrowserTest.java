package dev.baton.server.logs;

import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDERR;
import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDOUT;
import static dev.baton.server.logs.LogTraffic.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;

/**
 * The dashboard's log view in a real browser (src/test/browser/logs.test.mjs): it shows a job's
 * retained lines, follows new ones over SSE and says when the attempt ended. Same needs as
 * DashboardBrowserTest (.ci/browser.sh); BATON_SKIP_BROWSER=1 skips it.
 */
class JobLogsBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();

    @Test
    void theLogViewShowsAJobsLinesAndFollowsThemLive() throws Exception {
        requireBrowser();
        try (TestBaton baton = TestBaton.start(); SimulatedAgent agent = baton.agent("log-agent", 1)) {
            Rest rest = new Rest(baton.baseUrl());
            String id = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"metadata\": {\"title\": \"log demo\"}}")
                            .json().get("id").asText();
            Assign assign = agent.acceptAndRun();
            baton.awaitStatus(id, Job.Status.RUNNING);
            agent.send(chunk(id, 1, 1, LOG_STREAM_STDOUT, "hello from stdout"));
            agent.send(chunk(id, 1, 2, LOG_STREAM_STDERR, "oops on stderr"));
            JobLogsTest.awaitLines(rest, id, 2);

            Process node = new ProcessBuilder("node", BROWSER_DIR.resolve("logs.test.mjs").toString(),
                                              baton.baseUrl() + "/")
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                                                                                   StandardCharsets.UTF_8));
                 Writer replies = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[browser] " + line);
                    output.add(line);
                    switch (line) {
                        case "SEND_LIVE_LINE" -> agent.send(chunk(id, 1, 3, LOG_STREAM_STDOUT, "a live line"));
                        case "END_JOB" -> agent.update(id, assign.getAttempt(), Job.Status.STOPPED);
                        default -> { continue; }
                    }
                    replies.write("DONE " + line + "\n");
                    replies.flush();
                }
            }
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node exited").isTrue();
            assertThat(output).contains("STEP log-view-shows-tail", "STEP log-view-follows-live",
                                        "STEP log-view-shows-end", "PASS");
            assertThat(node.exitValue()).as("output:\n%s", String.join("\n", output)).isZero();
        }
    }

    private static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(Path.of(System.getenv().getOrDefault("BATON_CHROMIUM", "/usr/bin/chromium")))) {
            missing.add("chromium");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm ci)");
        }
        if (Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                  .noneMatch(dir -> Files.isExecutable(Path.of(dir, "node")))) {
            missing.add("node on PATH");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser test needs " + String.join(", ", missing) + ": run `bash .ci/browser.sh`";
        if ("1".equals(System.getenv("BATON_SKIP_BROWSER"))) {
            Assumptions.abort(message + " (skipped: BATON_SKIP_BROWSER=1)");
        }
        throw new AssertionError(message + ", or set BATON_SKIP_BROWSER=1 to skip this test");
    }
}
