package dev.baton.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListJobsResponse;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobResponse;

/** batonctl jobs ... against a real server with one real (test) agent connected over loopback. */
class JobsCommandsTest {

    private static final Pattern SUBMITTED = Pattern.compile("^job (\\S+) submitted \\(", Pattern.MULTILINE);

    @TempDir
    static Path dataDir;

    private static EmbeddedBaton baton;

    @BeforeAll
    static void startServerAndAgent() {
        baton = EmbeddedBaton.start(dataDir);
        baton.connectAgent("agent-1", 16, Map.of("zone", "a"));
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void submitWithWaitPrintsTransitionsUntilRunning() {
        Cli.Result result = baton.run("jobs", "submit", "--set", "source=rtmp://cam1/live", "--set", "fps=30",
                                      "--require", "zone=a", "--wait");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        String id = submittedId(result);
        assertThat(result.err()).contains("job " + id + ": RUNNING on agent-1 (attempt 1)");

        Cli.Result get = baton.run("jobs", "get", id);
        assertThat(get.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(get.out()).containsPattern("(?m)^ID: +" + id + "$")
                             .containsPattern("(?m)^Status: +RUNNING$")
                             .containsPattern("(?m)^Agent: +agent-1$")
                             .containsPattern("(?m)^Requirements: +zone=a$")
                             .containsPattern("(?m)^Config: +\\{.*\"source\":\"rtmp://cam1/live\"")
                             .containsPattern("(?m)^Config: +\\{.*\"fps\":30[,}]")
                             .contains("Attempts:")
                             .containsPattern("(?m)^  1 +agent-1 +RUNNING ");
    }

    @Test
    void submitAsJsonPrintsTheResponseInProto3Json() {
        Cli.Result result = baton.runWithStdin("{\"source\": \"rtmp://cam2/live\", \"output\": {\"format\": \"hls\"}}",
                                               "jobs", "submit", "--config", "-", "--set", "output.bitrate=3000",
                                               "--priority", "7", "-o", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        SubmitJobResponse response = parse(result.out(), SubmitJobResponse.getDefaultInstance());
        assertThat(response.getReplayed()).isFalse();
        assertThat(response.getJob().getPriority()).isEqualTo(7);
        assertThat(response.getJob().getConfig().getFieldsOrThrow("output").getStructValue()
                           .getFieldsOrThrow("bitrate").getNumberValue()).isEqualTo(3000.0);
        assertThat(result.out()).as("default values are printed for scripts").contains("\"attempt\": ");
    }

    @Test
    void listShowsJobsAsTableAndAsJson() {
        String id = submittedId(baton.run("jobs", "submit", "--set", "x=1", "--label", "team=list-test"));

        Cli.Result table = baton.run("jobs", "list", "-l", "team=list-test");
        assertThat(table.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(table.out().lines()).hasSize(2);
        assertThat(table.out().lines().findFirst().orElseThrow())
                .matches("ID +STATUS +AGENT +ATTEMPT +TEMPLATE +AGE +REASON");
        assertThat(table.out().lines().skip(1).findFirst().orElseThrow()).startsWith(id + "   ");

        Cli.Result wide = baton.run("jobs", "list", "-l", "team=list-test", "-o", "wide");
        assertThat(wide.out().lines().findFirst().orElseThrow()).endsWith("PRIORITY   POOL   RESTART   MUTED   LABELS");
        assertThat(wide.out()).contains("team=list-test");

        Cli.Result json = baton.run("jobs", "list", "-l", "team=list-test", "-o", "json");
        ListJobsResponse response = parse(json.out(), ListJobsResponse.getDefaultInstance());
        assertThat(response.getJobsList()).extracting(Job::getId).containsExactly(id);
    }

    @Test
    void emptyListSaysSoOnStderrAndLeavesStdoutEmpty() {
        Cli.Result result = baton.run("jobs", "list", "-l", "team=nobody");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("No jobs found.\n");
    }

    @Test
    void idempotencyKeyReplaysTheSameRequestAndRefusesAnotherOne() {
        Cli.Result first = baton.run("jobs", "submit", "--set", "a=1", "--idempotency-key", "nightly-1");
        String id = submittedId(first);

        Cli.Result again = baton.run("jobs", "submit", "--set", "a=1", "--idempotency-key", "nightly-1");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).startsWith("job " + id + " already submitted with this idempotency key (");

        Cli.Result conflict = baton.run("jobs", "submit", "--set", "a=2", "--idempotency-key", "nightly-1");
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).startsWith("error: ALREADY_EXISTS: ").endsWith("\n");
        assertThat(conflict.err().lines()).hasSize(1);
    }

    @Test
    void failFastWithARequirementNoAgentMeetsExitsConflict() {
        Cli.Result result = baton.run("jobs", "submit", "--set", "a=1", "--require", "gpu=true", "--fail-fast");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.err()).startsWith("error: FAILED_PRECONDITION: no agent can run this job (fail fast): ");
    }

    @Test
    void endpointShowsWhereARunningJobIsServedAndRefusesAJobThatRunsNowhere() {
        baton.connectAgent("agent-web", 1, Map.of("serves", "web"), List.of(
                Endpoint.newBuilder().setName("http").setUrl("http://127.0.0.1:19400").setPort(19400).build(),
                Endpoint.newBuilder().setName("rtmp").setUrl("rtmp://127.0.0.1:19401").setPort(19401).build()));
        String id = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--require", "serves=web", "--wait"));

        Cli.Result shown = baton.run("jobs", "endpoint", id);
        assertThat(shown.exitCode()).as(shown.toString()).isEqualTo(ExitCodes.OK);
        assertThat(shown.out()).containsPattern("(?m)^Agent: +agent-web$")
                               .containsPattern("(?m)^URL: +http://127.0.0.1:19400$")
                               .containsPattern("(?m)^  rtmp +rtmp://127.0.0.1:19401 ");
        Cli.Result url = baton.run("jobs", "endpoint", id, "--name", "rtmp", "--url");
        assertThat(url.out()).isEqualTo("rtmp://127.0.0.1:19401\n");
        assertThat(baton.run("jobs", "get", id).out())
                .containsPattern("(?m)^Endpoints: +http=http://127.0.0.1:19400 rtmp=rtmp://127.0.0.1:19401$");

        Cli.Result unknownName = baton.run("jobs", "endpoint", id, "--name", "ftp");
        assertThat(unknownName.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownName.err()).contains("endpoint \"ftp\" of job " + id + " not found (it has: http, rtmp)");

        String waiting = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--require", "serves=nothing"));
        Cli.Result nowhere = baton.run("jobs", "endpoint", waiting);
        assertThat(nowhere.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(nowhere.err()).contains("no agent runs it, so it is served nowhere");
        assertThat(baton.run("jobs", "stop", waiting).exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void unknownJobExitsNotFoundWithTheServersMessage() {
        Cli.Result result = baton.run("jobs", "get", "no-such-job");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).isEqualTo("error: NOT_FOUND: job \"no-such-job\" not found\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void waitingForAJobThatFailsExitsOneWithTheReason() {
        Cli.Result result = baton.run("jobs", "submit", "--set", "fail=true", "--wait");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SERVER_ERROR);
        String id = submittedId(result);
        assertThat(result.err()).contains("job " + id + ": FAILED")
                                .endsWith("error: job " + id + " ended FAILED: " + TestAgent.FAILURE + "\n");
    }

    @Test
    void waitWithJsonPrintsTheJobAsLastSeen() {
        Cli.Result result = baton.run("jobs", "submit", "--set", "a=1", "--wait", "-o", "json");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        SubmitJobResponse response = parse(result.out(), SubmitJobResponse.getDefaultInstance());
        assertThat(response.getJob().getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(result.err()).as("json mode reports the submitted state as progress too")
                                .contains("job " + response.getJob().getId() + ": PENDING")
                                .contains("job " + response.getJob().getId() + ": RUNNING on agent-1");
    }

    @Test
    void waitGivesUpAfterTheWaitTimeoutWithTheReason() {
        Cli.Result result = baton.run("jobs", "submit", "--set", "a=1", "--require", "zone=mars", "--wait",
                                      "--wait-timeout", "1s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        String id = submittedId(result);
        assertThat(result.err()).startsWith("error: job " + id + " is still PENDING after 1s (--wait-timeout): ");
    }

    @Test
    void muteUnmuteAndMetadataRoundTrip() {
        String id = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--wait"));

        Cli.Result mute = baton.run("jobs", "mute", id);
        assertThat(mute.exitCode()).as(mute.toString()).isEqualTo(ExitCodes.OK);
        assertThat(mute.out()).isEqualTo("job " + id + " muted\n");
        assertThat(metadata(id).getIsMuted()).isTrue();

        Cli.Result set = baton.run("jobs", "metadata", "set", id, "--title", "Evening news", "--viewers", "1200",
                                   "--platform", "youtube");
        assertThat(set.exitCode()).as(set.toString()).isEqualTo(ExitCodes.OK);
        assertThat(set.out()).containsPattern("(?m)^Title: +Evening news$")
                             .containsPattern("(?m)^Viewers: +1200$")
                             .containsPattern("(?m)^Muted: +yes$");

        Cli.Result unmute = baton.run("jobs", "unmute", id);
        assertThat(unmute.out()).isEqualTo("job " + id + " unmuted\n");
        StreamMetadata after = metadata(id);
        assertThat(after.getIsMuted()).isFalse();
        assertThat(after.getTitle()).isEqualTo("Evening news");
    }

    @Test
    void mutingAJobThatIsNotRunningExitsConflict() {
        String id = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--require", "zone=mars"));

        Cli.Result result = baton.run("jobs", "mute", id);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.err()).isEqualTo("error: FAILED_PRECONDITION: cannot mute job " + id
                                           + ": it is PENDING (expected: RUNNING)\n");
    }

    @Test
    void stoppingARunningJobAndAPendingOne() {
        String running = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--wait"));
        String pending = submittedId(baton.run("jobs", "submit", "--set", "a=1", "--require", "zone=mars"));

        Cli.Result stopRunning = baton.run("jobs", "stop", running);
        assertThat(stopRunning.exitCode()).as(stopRunning.toString()).isEqualTo(ExitCodes.OK);
        assertThat(stopRunning.out()).matches("stop requested for job " + running + " \\(now (STOPPING|STOPPED)\\)\n");

        Cli.Result stopPending = baton.run("jobs", "stop", pending, "-o", "json");
        assertThat(parse(stopPending.out(), Job.getDefaultInstance()).getStatus()).isEqualTo(Job.Status.CANCELED);

        Cli.Result again = baton.run("jobs", "stop", pending);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).startsWith("error: FAILED_PRECONDITION: job " + pending + " is already CANCELED");
    }

    private static StreamMetadata metadata(String id) {
        Cli.Result result = baton.run("jobs", "metadata", "get", id, "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
        return parse(result.out(), StreamMetadata.getDefaultInstance());
    }

    private static String submittedId(Cli.Result result) {
        Matcher matcher = SUBMITTED.matcher(result.out());
        assertThat(matcher.find()).as(result.toString()).isTrue();
        return matcher.group(1);
    }

    /** Parses what {@code -o json} printed, failing the test if it is not proto3 JSON of {@code M}. */
    @SuppressWarnings("unchecked")
    static <M extends Message> M parse(String json, M prototype) {
        Message.Builder builder = prototype.newBuilderForType();
        try {
            JsonFormat.parser().merge(json, builder);
            return (M) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not proto3 JSON of " + prototype.getDescriptorForType().getName() + ": " + json, e);
        }
    }
}
