package dev.baton.cli.e2e;

import static dev.baton.cli.e2e.JobsCommandsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Webhook;

/** batonctl webhooks ... against a real server over loopback, with a real HTTP receiver for the test event. */
class WebhooksCommandsTest {

    private static final String SECRET = "cli-secret-0123456789abcdef";

    @TempDir
    static Path dataDir;

    private static EmbeddedBaton baton;
    private static HttpServer receiver;
    private static final AtomicInteger received = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        baton = EmbeddedBaton.start(dataDir);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        baton.close();
    }

    private static String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/baton";
    }

    @Test
    void createListGetUpdateTestAndDeleteWithoutShowingTheSecret() throws Exception {
        Cli.Result created = baton.runWithStdin(SECRET + "\n", "webhooks", "create", "ops", "--url", receiverUrl(),
                                                "--status", "failed,STOPPED", "--selector", "team=video",
                                                "--secret-file", "-");
        assertThat(created.exitCode()).as(created.toString()).isEqualTo(ExitCodes.OK);
        assertThat(created.out()).isEqualTo("webhook ops created (FAILED,STOPPED → " + receiverUrl() + ")\n");

        Cli.Result list = baton.run("webhooks", "list");
        assertThat(list.out().lines().findFirst().orElseThrow()).matches("ID +STATE +STATUSES +PENDING +URL");
        assertThat(list.out()).containsPattern("(?m)^ops +ACTIVE +FAILED,STOPPED +0 +http://127\\.0\\.0\\.1:\\d+/baton$");

        Cli.Result get = baton.run("webhooks", "get", "ops");
        assertThat(get.out()).containsPattern("(?m)^Selector: +team=video$").doesNotContain(SECRET);
        Webhook json = parse(baton.run("webhooks", "get", "ops", "-o", "json").out(), Webhook.getDefaultInstance());
        assertThat(json.getStatusesList()).containsExactly(Job.Status.FAILED, Job.Status.STOPPED);
        assertThat(json.getSecret()).isEmpty();

        Cli.Result paused = baton.run("webhooks", "update", "ops", "--disable");
        assertThat(paused.out()).isEqualTo("webhook ops updated (PAUSED)\n");
        Cli.Result resumed = baton.run("webhooks", "update", "ops", "--enable", "--status", "RUNNING");
        assertThat(resumed.out()).isEqualTo("webhook ops updated (ACTIVE)\n");
        Webhook after = parse(baton.run("webhooks", "get", "ops", "-o", "json").out(), Webhook.getDefaultInstance());
        assertThat(after.getStatusesList()).containsExactly(Job.Status.RUNNING);
        assertThat(after.getLabelSelector()).isEqualTo("team=video");

        Cli.Result test = baton.run("webhooks", "test", "ops");
        assertThat(test.exitCode()).as(test.toString()).isEqualTo(ExitCodes.OK);
        assertThat(test.out()).startsWith("test event test-").endsWith(" queued for webhook ops\n");
        long deadline = System.nanoTime() + 20_000_000_000L;
        Cli.Result deliveries;
        do {
            deliveries = baton.run("webhooks", "deliveries", "ops");
        } while (!deliveries.out().contains("DELIVERED") && System.nanoTime() < deadline);
        assertThat(deliveries.out()).containsPattern("(?m)^webhook\\.test +- +DELIVERED +1 +204 +\\d+ms +\\S+ +-$");
        assertThat(received.get()).isEqualTo(1);

        assertThat(baton.run("webhooks", "delete", "ops").out()).isEqualTo("webhook ops deleted\n");
        Cli.Result gone = baton.run("webhooks", "get", "ops");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).startsWith("error: NOT_FOUND: webhook \"ops\" not found");
    }

    @Test
    void badInputIsAUsageErrorOrTheServersClearRefusal() {
        Cli.Result badStatus = baton.runWithStdin(SECRET, "webhooks", "create", "--url", receiverUrl(),
                                                  "--status", "EXPLODED", "--secret-file", "-");
        assertThat(badStatus.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStatus.err()).contains("--status: 'EXPLODED' is not a job status (expected: one of CREATED");

        Cli.Result missing = baton.run("webhooks", "create", "--url", receiverUrl());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--url, --status and --secret-file are required");

        Cli.Result outside = baton.runWithStdin(SECRET, "webhooks", "create", "--url", "https://example.com/hook",
                                                "--status", "FAILED", "--secret-file", "-");
        assertThat(outside.exitCode()).isNotEqualTo(ExitCodes.OK);
        assertThat(outside.err()).contains("INVALID_ARGUMENT: webhook.url: \"https://example.com/hook\" is not allowed",
                                           "WEBHOOK_ALLOWED_HOSTS");
    }
}
