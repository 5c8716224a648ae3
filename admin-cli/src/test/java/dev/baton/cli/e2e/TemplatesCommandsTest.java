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
import dev.baton.proto.v1.RestartPolicy;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.Template;

/** batonctl templates ... against a real server over loopback. */
class TemplatesCommandsTest {

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
    void createThenGetShowsTheContent() {
        Cli.Result created = baton.run("templates", "create", "news-1080p", "--description", "Evening news",
                                       "--set", "source=rtmp://cam1/live", "--set", "resolution=1080p",
                                       "--require", "gpu=true", "--restart-policy", "onFailure");
        assertThat(created.exitCode()).as(created.toString()).isEqualTo(ExitCodes.OK);
        assertThat(created.out()).isEqualTo("template news-1080p created (version 1)\n");

        Cli.Result get = baton.run("templates", "get", "news-1080p");
        assertThat(get.out()).containsPattern("(?m)^ID: +news-1080p$")
                             .containsPattern("(?m)^Version: +1$")
                             .containsPattern("(?m)^Description: +Evening news$")
                             .containsPattern("(?m)^Restart policy: +ON_FAILURE$")
                             .containsPattern("(?m)^Requirements: +gpu=true$")
                             .containsPattern("(?m)^Config: +\\{.*\"resolution\":\"1080p\"");

        Template json = parse(baton.run("templates", "get", "news-1080p", "-o", "json").out(),
                              Template.getDefaultInstance());
        assertThat(json.getRestartPolicy()).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(json.getConfig().getFieldsOrThrow("source").getStringValue()).isEqualTo("rtmp://cam1/live");
    }

    @Test
    void creatingAnExistingIdExitsConflict() {
        baton.run("templates", "create", "dup", "--set", "a=1");

        Cli.Result again = baton.run("templates", "create", "dup", "--set", "a=1");

        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).startsWith("error: ALREADY_EXISTS: template \"dup\" already exists");
    }

    @Test
    void updateChangesOnlyWhatWasGiven() {
        baton.run("templates", "create", "cam2", "--description", "Camera 2", "--set", "fps=25", "--set", "a=1");

        Cli.Result updated = baton.run("templates", "update", "cam2", "--set", "fps=30");

        assertThat(updated.exitCode()).as(updated.toString()).isEqualTo(ExitCodes.OK);
        assertThat(updated.out()).isEqualTo("template cam2 updated (version 2)\n");
        Template template = parse(baton.run("templates", "get", "cam2", "-o", "json").out(),
                                  Template.getDefaultInstance());
        assertThat(template.getDescription()).isEqualTo("Camera 2");
        assertThat(template.getConfig().getFieldsOrThrow("fps").getNumberValue()).isEqualTo(30.0);
        assertThat(template.getConfig().getFieldsOrThrow("a").getNumberValue()).isEqualTo(1.0);
    }

    @Test
    void updateFromStdinReplacesTheContent() {
        baton.run("templates", "create", "cam3", "--description", "old", "--set", "old=true");

        Cli.Result updated = baton.runWithStdin("{\"description\": \"new\", \"config\": {\"fresh\": true}}",
                                                "templates", "update", "cam3", "--file", "-", "-o", "json");

        assertThat(updated.exitCode()).as(updated.toString()).isEqualTo(ExitCodes.OK);
        Template template = parse(updated.out(), Template.getDefaultInstance());
        assertThat(template.getVersion()).isEqualTo(2);
        assertThat(template.getDescription()).isEqualTo("new");
        assertThat(template.getConfig().getFieldsMap()).containsOnlyKeys("fresh");
    }

    @Test
    void listShowsTemplatesSortedById() {
        baton.run("templates", "create", "list-b", "--set", "a=1");
        baton.run("templates", "create", "list-a", "--set", "a=1", "--description", "first");

        Cli.Result list = baton.run("templates", "list");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(list.out().lines().findFirst().orElseThrow())
                .matches("ID +VERSION +RESTART +UPDATED +DESCRIPTION");
        assertThat(list.out()).containsPattern("(?m)^list-a +1 +- +\\S+ +first$");
        assertThat(list.out().indexOf("list-a")).isLessThan(list.out().indexOf("list-b"));
    }

    @Test
    void deletedTemplateIsNotFound() {
        baton.run("templates", "create", "gone", "--set", "a=1");

        Cli.Result deleted = baton.run("templates", "delete", "gone");
        assertThat(deleted.out()).isEqualTo("template gone deleted\n");

        Cli.Result get = baton.run("templates", "get", "gone");
        assertThat(get.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(get.err()).isEqualTo("error: NOT_FOUND: template \"gone\" not found\n");

        Cli.Result deleteAgain = baton.run("templates", "delete", "gone");
        assertThat(deleteAgain.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void jobsSubmittedFromATemplateCarryItsConfig() {
        baton.run("templates", "create", "from-tpl", "--set", "source=rtmp://cam9");

        Cli.Result submitted = baton.run("jobs", "submit", "--template", "from-tpl", "-o", "json");

        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCodes.OK);
        SubmitJobResponse response = parse(submitted.out(), SubmitJobResponse.getDefaultInstance());
        assertThat(response.getJob().getTemplateId()).isEqualTo("from-tpl");
        assertThat(response.getJob().getConfig().getFieldsOrThrow("source").getStringValue())
                .isEqualTo("rtmp://cam9");
    }

    @Test
    void submittingFromAnUnknownTemplateIsNotFound() {
        Cli.Result submitted = baton.run("jobs", "submit", "--template", "no-such-template");

        assertThat(submitted.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(submitted.err()).isEqualTo("error: NOT_FOUND: template \"no-such-template\" not found\n");
    }
}
