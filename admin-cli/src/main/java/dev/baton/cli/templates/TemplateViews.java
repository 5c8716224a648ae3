package dev.baton.cli.templates;

import java.time.Instant;
import java.util.List;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.StructText;
import dev.baton.cli.output.Times;
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
                Column.wide("REQUIREMENTS", t -> Names.requirements(t.getRequirements())),
                Column.wide("CONFIG", t -> t.hasConfig() ? StructText.of(t.getConfig()) : ""));
    }

    static void describe(Template template, Details details, Instant now) {
        details.add("ID", template.getId())
               .always("Version", String.valueOf(template.getVersion()))
               .add("Description", template.getDescription())
               .add("Restart policy", Names.of(template.getRestartPolicy()))
               .add("Requirements", Names.requirements(template.getRequirements()))
               .always("Config", template.hasConfig() ? StructText.of(template.getConfig()) : "")
               .add("Created", Times.instantWithAge(template.getCreatedAt(), now))
               .add("Updated", Times.instantWithAge(template.getUpdatedAt(), now));
    }

    private TemplateViews() {}
}
