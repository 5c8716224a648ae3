package dev.baton.cli.templates;

import java.time.Instant;
import java.util.List;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.JsonOutput;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.Template;

/** How templates look in tables and in {@code templates get}. */
final class TemplateViews {

    static List<Column<Template>> columns(Instant now) {
        return List.of(
                Column.of("ID", Template::getId),
                Column.of("VERSION", t -> String.valueOf(t.getVersion())),
                Column.of("RESTART", t -> Names.of(t.getRestartPolicy())),
                Column.of("UPDATED", t -> Times.age(t.getUpdatedAt(), now)),
                Column.of("DESCRIPTION", Template::getDescription),
                Column.wide("REQUIREMENTS", t -> requirements(t.getRequirements())),
                Column.wide("CONFIG", t -> t.hasConfig() ? JsonOutput.inline(t.getConfig()) : ""));
    }

    static void describe(Template template, Details details, Instant now) {
        details.add("ID", template.getId())
               .always("Version", String.valueOf(template.getVersion()))
               .add("Description", template.getDescription())
               .add("Restart policy", Names.of(template.getRestartPolicy()))
               .add("Requirements", requirements(template.getRequirements()))
               .always("Config", template.hasConfig() ? JsonOutput.inline(template.getConfig()) : "")
               .add("Created", Times.instantWithAge(template.getCreatedAt(), now))
               .add("Updated", Times.instantWithAge(template.getUpdatedAt(), now));
    }

    private static String requirements(JobRequirements requirements) {
        return JobRequirements.getDefaultInstance().equals(requirements) ? "" : JsonOutput.inline(requirements);
    }

    private TemplateViews() {}
}
