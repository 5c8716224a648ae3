package dev.baton.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;
import dev.baton.server.security.AdminToken;
import dev.baton.server.security.AuthMode;
import dev.baton.server.security.Role;

/**
 * batonctl against a real server with ADMIN_AUTH=required: {@code --token} (or BATON_TOKEN) is sent as a
 * bearer token on every command, and a refusal is one clear line on stderr.
 */
class AdminTokenCommandsTest {

    private static final String VIEWER = "cli-viewer-token-000001";
    private static final String OPERATOR = "cli-operator-token-00002";

    @TempDir
    static Path dataDir;
    private static EmbeddedBaton baton;

    @BeforeAll
    static void start() {
        baton = EmbeddedBaton.start(dataDir, config -> config.adminAuthMode(AuthMode.REQUIRED).adminTokens(List.of(
                AdminToken.of("viewer", Role.VIEWER, VIEWER), AdminToken.of("operator", Role.OPERATOR, OPERATOR))));
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void withoutATokenTheCommandFailsWithOneLineSayingHowToGiveOne() {
        Cli.Result result = baton.run("jobs", "list");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(result.err()).isEqualTo("error: UNAUTHENTICATED: ListJobs needs an admin token with role viewer: "
                                           + "send 'authorization: Bearer <token>' (batonctl: --token or BATON_TOKEN)\n");
    }

    @Test
    void aWrongTokenAndARoleTooLowAreNamed() {
        Cli.Result wrong = baton.run("status", "--token", "not-a-known-token-xyz");
        assertThat(wrong.err()).isEqualTo("error: UNAUTHENTICATED: the bearer token is not a known admin token\n");
        Cli.Result denied = baton.run("--token", VIEWER, "jobs", "submit", "--set", "source=cam1");
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(denied.err())
                .isEqualTo("error: PERMISSION_DENIED: SubmitJob needs role operator; token \"viewer\" has role viewer\n");
    }

    @Test
    void theTokenOptionIsSentOnEveryCommand() {
        assertThat(baton.run("--token", VIEWER, "agents", "list").exitCode()).isEqualTo(ExitCodes.OK);
        Cli.Result submitted = baton.run("jobs", "submit", "--set", "source=cam1", "--token", OPERATOR);
        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCodes.OK);
        assertThat(submitted.err() + submitted.out()).contains("submitted");
    }

    @Test
    void batonTokenFromTheEnvironmentIsUsedByTheRealCommand() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder command = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.cli.Batonctl", "--server", baton.address(), "status")
                .redirectErrorStream(true);
        command.environment().put("BATON_TOKEN", VIEWER);
        Process withToken = command.start();
        String output = new String(withToken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(withToken.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(withToken.exitValue()).as(output).isZero();

        command.environment().remove("BATON_TOKEN");
        Process without = command.start();
        String refused = new String(without.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(without.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).startsWith("error: UNAUTHENTICATED: GetStatus needs an admin token");
    }
}
