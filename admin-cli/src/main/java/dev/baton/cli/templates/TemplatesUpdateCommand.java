package dev.baton.cli.templates;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetTemplateRequest;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.UpdateTemplateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code batonctl templates update ID}. The RPC replaces the whole content, so the command reads the current
 * template and changes only what was given; otherwise one forgotten option would silently clear a field.
 */
@Command(name = "update",
        description = {
                "Change a template; its version goes up by one. Options not given keep their values;",
                "--set changes single config fields, --config and --file replace the config / the whole content.",
                "Jobs already submitted keep their configuration."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl templates update news-1080p --set resolution=720p",
                "  batonctl templates update news-1080p --file template.json",
                "  batonctl templates get news-1080p -o json | jq '.description=\"v2\"' \\",
                "      | batonctl templates update news-1080p --file -"
        })
public final class TemplatesUpdateCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The template's id.")
    private String id;

    @Mixin
    private TemplateOptions options;

    @Override
    protected void validate() {
        if (!options.given()) {
            throw new InvalidInputException("nothing to change: give --file, --description, --config, --set, "
                                            + "--require, --slots, --pool or --restart-policy");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        Template current = server.templates().getTemplate(GetTemplateRequest.newBuilder().setId(id).build());
        Template changed = options.applyTo(current, jsonInput()).toBuilder()
                                  .setId(id).clearVersion().clearCreatedAt().clearUpdatedAt().build();
        Template updated = server.templates().updateTemplate(
                UpdateTemplateRequest.newBuilder().setId(id).setTemplate(changed).build());
        output.done(updated, "template " + updated.getId() + " updated (version " + updated.getVersion() + ')');
        return ExitCodes.OK;
    }
}
