package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines exit 2 with one line naming the problem, before anything is sent. The server address is a
 * closed port: if a test ever reached the network it would exit 5 instead of 2 and fail.
 */
class UsageErrorsTest {

    private static String closedPort;

    @BeforeAll
    static void findClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void unknownOptionIsAUsageErrorNamingTheOption() {
        Cli.Result result = Cli.run("jobs", "list", "--server", closedPort, "--nope");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: Unknown option: '--nope'")
                                .contains("Run 'batonctl jobs list --help' for usage.");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownCommandSuggestsTheNearestOnes() {
        Cli.Result result = Cli.run("jobs", "lsit");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("'lsit'").contains("Did you mean");
    }

    @Test
    void groupWithoutSubcommandListsItsCommands() {
        Cli.Result result = Cli.run("pools");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: missing command: batonctl pools needs one of "
                                            + "list, get, create, update, delete, scale");
    }

    @Test
    void malformedConfigJsonNamesOptionLineAndColumn() {
        Cli.Result result = Cli.runWithStdin("{\n  \"source\": \"rtmp://cam1\",\n  \"fps\": 30,,\n}",
                                             "jobs", "submit", "--server", closedPort, "--config", "-");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --config: malformed JSON: ")
                                .contains("line 3 column");
    }

    @Test
    void configFileThatIsNotAnObjectIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("job.json"), "[1, 2]");

        Cli.Result result = Cli.run("jobs", "submit", "--server", closedPort, "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --config: expected a JSON object, got an array");
    }

    @Test
    void missingConfigFileIsAUsageError(@TempDir Path dir) {
        Cli.Result result = Cli.run("jobs", "submit", "--server", closedPort,
                                    "--config", dir.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --config: no such file: ");
    }

    @Test
    void templateAndInlineConfigExcludeEachOther() {
        Cli.Result result = Cli.run("jobs", "submit", "--server", closedPort, "--template", "t", "--set", "a=1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --template cannot be combined with --config or --set");
    }

    @Test
    void submitWithoutAnythingToRunIsAUsageError() {
        Cli.Result result = Cli.run("jobs", "submit", "--server", closedPort);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: nothing to run: give --template ID");
    }

    @Test
    void setWithoutEqualsSignIsAUsageError() {
        Cli.Result result = Cli.run("jobs", "submit", "--server", closedPort, "--set", "fps");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --set 'fps': expected key=value");
    }

    @Test
    void badDurationSaysWhatIsExpected() {
        Cli.Result result = Cli.run("status", "--server", closedPort, "--timeout", "soon");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("'soon' is not a duration (expected e.g. 500ms, 10s, 5m, 1h30m, 2d)");
    }

    @Test
    void badServerAddressIsAUsageError() {
        Cli.Result result = Cli.run("status", "--server", "localhost:http");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --server: server address 'localhost:http' has no valid port");
    }

    @Test
    void badOutputFormatListsTheFormats() {
        Cli.Result result = Cli.run("status", "--server", closedPort, "-o", "yaml");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("'yaml' is not an output format (expected: table, wide, json)");
    }

    @Test
    void metadataSetWithoutFieldsIsAUsageError() {
        Cli.Result result = Cli.run("jobs", "metadata", "set", "j1", "--server", closedPort);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: nothing to set: give at least one of --title");
    }

    @Test
    void scaleWithoutNumbersIsAUsageError() {
        Cli.Result result = Cli.run("pools", "scale", "encoders", "--server", closedPort);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: nothing to change: give --min-free and/or --max-engines");
    }

    @Test
    void unknownWatchKindIsAUsageError() {
        Cli.Result result = Cli.run("watch", "--server", closedPort, "--kind", "robot");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("'robot' is not a kind (expected: agent, job, engine, pool)");
    }

    @Test
    void unreadableCaFileIsAUsageError(@TempDir Path dir) {
        Cli.Result result = Cli.run("status", "--server", closedPort, "--ca-file", dir.resolve("ca.pem").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("error: --ca-file: cannot read ");
    }
}
