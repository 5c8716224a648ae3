package dev.baton.cli.e2e;

import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDERR;
import static dev.baton.proto.v1.LogStream.LOG_STREAM_STDOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;

/** batonctl jobs logs against a real server, with a test agent sending a job's output over loopback. */
class JobsLogsCommandTest {

    private static final Pattern SUBMITTED = Pattern.compile("^job (\\S+) submitted \\(", Pattern.MULTILINE);

    @TempDir
    static Path dataDir;
    private static EmbeddedBaton baton;
    private static TestAgent agent;

    @BeforeAll
    static void startServerAndAgent() {
        baton = EmbeddedBaton.start(dataDir);
        agent = baton.connectAgent("log-agent", 4, Map.of());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void followPrintsTheTailThenNewLinesAndExitsWhenTheAttemptEnds() throws Exception {
        String id = runningJob();
        agent.log(id, 1, LOG_STREAM_STDOUT, "starting encoder");
        await("the first line stored", () -> baton.run("jobs", "logs", id).out().contains("starting encoder"));

        Cli.Running follow = baton.start("jobs", "logs", id, "-f");
        await("the follower printed the tail", () -> follow.out().toString().contains("starting encoder"));
        agent.log(id, 2, LOG_STREAM_STDERR, "warning: frame dropped");
        agent.log(id, 3, LOG_STREAM_STDOUT, "frame 1", "frame 2");
        await("the follower printed live lines", () -> follow.out().toString().contains("frame 2"));
        assertThat(follow.result()).isNotDone();

        agent.finish(id);
        Cli.Result result = follow.result().get(20, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEqualTo("starting encoder\nwarning: frame dropped\nframe 1\nframe 2\n");
    }

    @Test
    void logsPrintsTheRetainedTailFilteredByStreamAndTail() {
        String id = runningJob();
        agent.log(id, 1, LOG_STREAM_STDOUT, "out 1", "out 2", "out 3");
        agent.log(id, 2, LOG_STREAM_STDERR, "err 1");
        await("four lines stored", () -> baton.run("jobs", "logs", id).out().lines().count() == 4);

        assertThat(baton.run("jobs", "logs", id, "--tail", "2").out()).isEqualTo("out 3\nerr 1\n");
        assertThat(baton.run("jobs", "logs", id, "--stream", "stderr").out()).isEqualTo("err 1\n");
        assertThat(baton.run("jobs", "logs", id, "--attempt", "1", "--stream", "stdout", "-o", "json").out())
                .contains("\"text\":\"out 1\"").contains("\"stream\":\"LOG_STREAM_STDOUT\"").doesNotContain("err 1");
    }

    @Test
    void anUnknownJobAndBadOptionsFailWithClearErrors() {
        Cli.Result missing = baton.run("jobs", "logs", "nope");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("job \"nope\" not found");

        Cli.Result badStream = baton.run("jobs", "logs", "nope", "--stream", "stdin");
        assertThat(badStream.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStream.err()).contains("--stream: stdin (expected: stdout or stderr)");
    }

    private static String runningJob() {
        Cli.Result submitted = baton.run("jobs", "submit", "--set", "source=rtmp://cam/live", "--wait");
        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCodes.OK);
        Matcher matcher = SUBMITTED.matcher(submitted.err() + submitted.out());
        assertThat(matcher.find()).as(submitted.toString()).isTrue();
        return matcher.group(1);
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll interval
        }
    }
}
