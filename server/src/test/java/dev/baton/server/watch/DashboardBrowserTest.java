package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.security.AdminToken;
import dev.baton.server.security.AuthMode;
import dev.baton.server.security.Role;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core
 * (src/test/browser/dashboard.test.mjs) against a real server with wall-clock time and agents that
 * answer by themselves. Needs .ci/browser.sh to have run; BATON_SKIP_BROWSER=1 skips it.
 */
class DashboardBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BATON_CHROMIUM", "/usr/bin/chromium"));
    private static final String TOKEN = "dashboard-token";
    private static final Path SCREENSHOT = Path.of("target/dashboard.png").toAbsolutePath();

    @Test
    void servesTheDashboardFromTheJarAtTheRoot() {
        try (TestBaton baton = TestBaton.start()) {
            Rest rest = new Rest(baton.baseUrl());
            Rest.Response index = rest.get("/");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.body()).contains("<title>Baton</title>").contains("/dashboard/app.js");
            for (String file : List.of("app.js", "api.js", "auth.js", "store.js", "watch-stream.js", "table.js", "views.js",
                                       "notices.js", "format.js", "dashboard.css")) {
                assertThat(rest.get("/dashboard/" + file).status()).as(file).isEqualTo(200);
            }
            assertThat(rest.get("/dashboard/missing.js").status()).isEqualTo(404);
        }
    }

    @Test
    void dashboardFollowsTheFleetLiveAndActsThroughTheApi() throws Exception {
        requireBrowser();
        Path dataDir = Files.createTempDirectory("baton-dashboard");
        Fixture fixture = new Fixture(dataDir);
        try {
            fixture.seed();
            ProcessBuilder command = new ProcessBuilder("node", BROWSER_DIR.resolve("dashboard.test.mjs").toString(),
                                                        "http://127.0.0.1:" + fixture.port + "/")
                    .directory(BROWSER_DIR.toFile())
                    .redirectErrorStream(true);
            // What the page looked like, for a person to check (docs/dashboard.png is a copy of one).
            command.environment().put("BATON_SCREENSHOT", SCREENSHOT.toString());
            Process node = command.start();
            List<String> output = converse(node, fixture);
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node exited").isTrue();
            assertThat(output).as("browser test output").contains(
                    "STEP page-live", "STEP agent-appears", "STEP submitted-job-running", "STEP job-muted",
                    "STEP job-stopped", "STEP untitled-job-shown-by-id-end", "STEP agent-drained-and-undrained",
                    "STEP pool-scaled", "STEP api-error-shown", "STEP reconnected-after-restart", "PASS");
            assertThat(node.exitValue()).as("exit code; output:\n%s", String.join("\n", output)).isZero();
        } finally {
            fixture.close();
        }
    }

    /**
     * With ADMIN_AUTH=required the page asks for a token (and again after a wrong one), then follows
     * the stream and acts with it, and keeps it for the tab across a reload.
     */
    @Test
    void dashboardAsksForATokenWhenTheServerRequiresOne() throws Exception {
        requireBrowser();
        String operatorToken = "dashboard-operator-token-1";
        BatonServer server = BatonServer.start(BatonConfig.builder().port(0)
                .dataDir(Files.createTempDirectory("baton-dashboard-auth")).agentToken(TOKEN)
                .adminTokens(List.of(AdminToken.of("dashboard", Role.OPERATOR, operatorToken)))
                .adminAuthMode(AuthMode.REQUIRED).dockerEnabled(false).shutdownGrace(Duration.ZERO).build());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        RespondingAgent agent = RespondingAgent.connect(channel, TOKEN, "auth-agent", 2, Map.of());
        try {
            Process node = new ProcessBuilder("node", BROWSER_DIR.resolve("dashboard-auth.test.mjs").toString(),
                                              "http://127.0.0.1:" + server.port() + "/", operatorToken)
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                                                                                   StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[browser] " + line);
                    output.add(line);
                }
            }
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node exited").isTrue();
            assertThat(output).as("browser test output").contains(
                    "STEP asked-for-token", "STEP wrong-token-refused", "STEP live-with-token", "STEP acted-with-token",
                    "STEP token-kept-for-the-tab", "PASS");
            assertThat(node.exitValue()).isZero();
        } finally {
            agent.close();
            channel.shutdownNow();
            server.close();
        }
    }

    /** Reads the script's lines, doing what it asks on the server, until it exits (at most 3 minutes). */
    private static List<String> converse(Process node, Fixture fixture) throws IOException {
        List<String> output = new ArrayList<>();
        Thread watchdog = new Thread(() -> {
            try {
                if (!node.waitFor(180, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                node.destroyForcibly();
            }
        }, "browser-test-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                                                                               StandardCharsets.UTF_8));
             Writer replies = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println("[browser] " + line);
                output.add(line);
                switch (line) {
                    case "CONNECT_AGENT" -> fixture.connect("browser-agent", 2, Map.of());
                    case "CREATE_POOL" -> fixture.createPool("transcoders");
                    case "RESTART_SERVER" -> fixture.restart();
                    default -> { continue; }
                }
                replies.write("DONE " + line + "\n");
                replies.flush();
            }
        }
        return output;
    }

    private static void requireBrowser() {
        boolean skip = "1".equals(System.getenv("BATON_SKIP_BROWSER"));
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium)");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            missing.add(BROWSER_DIR.resolve("node_modules/playwright-core") + " (npm ci)");
        }
        if (!onPath("node")) {
            missing.add("node on PATH");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser test needs " + String.join(", ", missing) + ": run `bash .ci/browser.sh`";
        if (skip) {
            Assumptions.abort(message + " (skipped: BATON_SKIP_BROWSER=1)");
        }
        throw new AssertionError(message + ", or set BATON_SKIP_BROWSER=1 to skip this test");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                               .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** A wall-clock server on a fixed port (so it can restart on it), its agents and a channel. */
    private static final class Fixture {
        private final Path dataDir;
        private final List<RespondingAgent> agents = new ArrayList<>();
        private BatonServer server;
        private ManagedChannel channel;
        private int port;

        Fixture(Path dataDir) {
            this.dataDir = dataDir;
            start(0);
        }

        private void start(int onPort) {
            server = BatonServer.start(BatonConfig.builder().port(onPort).dataDir(dataDir).agentToken(TOKEN)
                                                  .dockerEnabled(false).shutdownGrace(Duration.ZERO).build());
            port = server.port();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }

        /** A few agents and jobs, so the page (and its screenshot) shows a fleet at work. */
        void seed() {
            connect("encoder-1", 2, Map.of("role", "encoder"));
            connect("encoder-2", 2, Map.of("role", "encoder"));
            JobServiceGrpc.JobServiceBlockingStub jobs = JobServiceGrpc.newBlockingStub(channel);
            submit(jobs, "Morning show", 1280, Map.of("role", "encoder"));
            submit(jobs, "Match day stream", 5423, Map.of("role", "encoder"));
            submit(jobs, "Needs a GPU", 0, Map.of("gpu", "true"));
        }

        private static void submit(JobServiceGrpc.JobServiceBlockingStub jobs, String title, long viewers,
                                   Map<String, String> labels) {
            StreamMetadata.Builder metadata = StreamMetadata.newBuilder().setTitle(title);
            if (viewers > 0) {
                metadata.setViewers(viewers);
            }
            jobs.submitJob(SubmitJobRequest.newBuilder()
                    .setInlineConfig(Struct.newBuilder().putFields("command", Value.newBuilder()
                            .setStringValue("stream " + title.toLowerCase().replace(' ', '-')).build()))
                    .setRequirements(JobRequirements.newBuilder().putAllLabels(labels))
                    .setMetadata(metadata)
                    .build());
        }

        /** A pool through the REST API, as an operator would make it (no Docker here: it stays empty). */
        void createPool(String name) {
            Rest.Response created = new Rest("http://127.0.0.1:" + port).post("/v1/pools", """
                    {"name": "%s", "spec": {"image": "baton/engine:1", "command": ["baton-agent"],
                     "minFree": 0, "maxEngines": 3, "slots": 1}}""".formatted(name));
            assertThat(created.status()).as("create pool: %s", created.body()).isBetween(200, 201);
        }

        void connect(String id, int slots, Map<String, String> labels) {
            agents.add(RespondingAgent.connect(channel, TOKEN, id, slots, labels));
        }

        /** Stops the server and starts a new one on the same port and data directory. */
        void restart() {
            closeServer();
            start(port);
            connect("after-restart", 1, Map.of());
        }

        private void closeServer() {
            server.close();
            agents.forEach(RespondingAgent::close);
            agents.clear();
            channel.shutdownNow();
        }

        void close() {
            closeServer();
        }
    }
}
