package dev.baton.cli.e2e;

import static dev.baton.cli.e2e.JobsCommandsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.ListHostsResponse;

/** batonctl hosts ... against a real server (engines off: hosts are stored and listed, Docker is not called). */
class HostsCommandsTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedBaton baton;

    @BeforeAll
    static void startServer() {
        baton = EmbeddedBaton.start(dataDir);
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void hostsAreCreatedListedCordonedDrainedUncordonedAndDeleted() {
        Cli.Result created = baton.run("hosts", "create", "gpu-1", "--endpoint", "tcp://127.0.0.1:2375", "--label",
                                       "gpu=true", "--label", "zone=a", "--max-engines", "8");
        assertThat(created.exitCode()).as(created.toString()).isEqualTo(ExitCodes.OK);
        assertThat(created.out()).isEqualTo("host gpu-1 created (ENABLED)\n");

        Cli.Result list = baton.run("hosts", "list");
        assertThat(list.out().lines().findFirst().orElseThrow())
                .matches("NAME +STATE +REACHABLE +ENGINES +VERSION +LABELS");
        assertThat(list.out()).containsPattern("(?m)^gpu-1 +ENABLED +no +0/8 +- +gpu=true,zone=a$")
                              .containsPattern("(?m)^local +ENABLED +no +0 +- +-$");

        assertThat(baton.run("hosts", "cordon", "gpu-1").out()).isEqualTo("host gpu-1 is CORDONED (0 engines)\n");
        assertThat(baton.run("hosts", "drain", "gpu-1").out()).isEqualTo("host gpu-1 is DRAINING (0 engines)\n");
        assertThat(baton.run("hosts", "get", "gpu-1").out()).containsPattern("(?m)^State: +DRAINING$")
                                                           .containsPattern("(?m)^Endpoint: +tcp://127\\.0\\.0\\.1:2375$");
        assertThat(baton.run("hosts", "uncordon", "gpu-1").out()).isEqualTo("host gpu-1 is ENABLED (0 engines)\n");

        ListHostsResponse json = parse(baton.run("hosts", "list", "-o", "json").out(),
                                       ListHostsResponse.getDefaultInstance());
        assertThat(json.getHostsList()).extracting(DockerHost::getName).containsExactly("gpu-1", "local");

        assertThat(baton.run("hosts", "delete", "gpu-1").out()).isEqualTo("host gpu-1 deleted\n");
        Cli.Result gone = baton.run("hosts", "get", "gpu-1");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).startsWith("error: NOT_FOUND: host \"gpu-1\" not found");
    }

    @Test
    void badHostsAreTheServersClearRefusal() {
        Cli.Result bad = baton.run("hosts", "create", "x", "--endpoint", "http://h:2375");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(bad.err()).contains("host.endpoint: \"http://h:2375\"").contains("expected: unix:///");

        Cli.Result local = baton.run("hosts", "delete", "local");
        assertThat(local.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(local.err()).contains("cannot be deleted");

        assertThat(baton.run("hosts", "drain", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
