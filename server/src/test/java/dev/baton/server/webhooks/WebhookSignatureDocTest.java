package dev.baton.server.webhooks;

import static dev.baton.server.webhooks.WebhookFixtures.SECRET;
import static dev.baton.server.webhooks.WebhookFixtures.create;
import static dev.baton.server.webhooks.WebhookFixtures.webhooks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.SendTestEventRequest;
import dev.baton.proto.v1.Webhook;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.testing.WebhookReceiver;

/** The verification snippets of docs/webhooks.md, run as written against a real signed delivery. */
class WebhookSignatureDocTest {

    private static final Path DOC = Path.of("..", "docs", "webhooks.md");
    private static TestBaton baton;
    private static WebhookReceiver receiver;
    private static WebhookReceiver.Request delivery;

    @TempDir
    static Path dir;

    @BeforeAll
    static void deliverOne() {
        baton = TestBaton.start(WebhookFixtures::settings);
        receiver = WebhookReceiver.start();
        Webhook webhook = create(baton, receiver.url("/doc"), Job.Status.FAILED);
        webhooks(baton).sendTestEvent(SendTestEventRequest.newBuilder().setId(webhook.getId()).build());
        delivery = receiver.awaitRequests(1).get(0);
    }

    @AfterAll
    static void stop() {
        baton.close();
        receiver.close();
    }

    private static String snippet(String language) throws IOException {
        Matcher block = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL)
                               .matcher(Files.readString(DOC));
        assertThat(block.find()).as("a ```%s block in %s", language, DOC).isTrue();
        return block.group(1);
    }

    @Test
    void thePythonSnippetAcceptsTheDeliveryAndRefusesATamperedBody() throws Exception {
        Path script = dir.resolve("verify.py");
        // Virtual time is far from the wall clock, so the replay window is opened wide here.
        Files.writeString(script, snippet("python") + """

                import sys
                body = open(sys.argv[4], "rb").read()
                print(verify(sys.argv[1], sys.argv[2], sys.argv[3], body, tolerance_s=10**10))
                """);
        Path body = dir.resolve("body.json");
        Files.write(body, delivery.body());
        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, delivery.bodyText().replace("webhook.test", "job.failed"));

        assertThat(run(List.of("/usr/bin/python3", script.toString(), SECRET, delivery.header("Baton-Timestamp"),
                               delivery.header("Baton-Signature"), body.toString()), null)).isEqualTo("True");
        assertThat(run(List.of("/usr/bin/python3", script.toString(), SECRET, delivery.header("Baton-Timestamp"),
                               delivery.header("Baton-Signature"), tampered.toString()), null)).isEqualTo("False");
    }

    @Test
    void theShellSnippetAcceptsTheDeliveryAndRefusesAnotherSecret() throws Exception {
        Files.write(dir.resolve("body.json"), delivery.body());
        String sh = snippet("sh");
        assertThat(run(List.of("/bin/sh", "-c", sh), SECRET)).isEqualTo("valid");
        assertThat(run(List.of("/bin/sh", "-c", sh), "not-the-secret-0123456789")).isEqualTo("INVALID");
    }

    private static String run(List<String> command, String secretEnv) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("TS", delivery.header("Baton-Timestamp"));
        builder.environment().put("SIG", delivery.header("Baton-Signature"));
        if (secretEnv != null) {
            builder.environment().put("SECRET", secretEnv);
        }
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
