package dev.baton.cli.templates;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.CreateTemplateRequest;
import dev.baton.proto.v1.Template;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code batonctl templates create [ID]}. */
@Command(name = "create",
        description = "Create a template (without ID the server generates one).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl templates create news-1080p --description 'Evening news' \\",
                "      --set source=rtmp://cam1/live --set resolution=1080p --require gpu=true",
                "  batonctl templates create --file template.json",
                "  batonctl templates create cam2 --config cam2.json --restart-policy onFailure"
        })
public final class TemplatesCreateCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", arity = "0..1",
            description = "Letters, digits, '.', '_', '-' (1..128); generated when left out.")
    private String id;

    @Mixin
    private TemplateOptions options;

    @Override
    protected void validate() {
        if (!options.given()) {
            throw new InvalidInputException("no content: give --file, or --config/--set and the other options");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        Template.Builder template = options.applyTo(Template.getDefaultInstance(), jsonInput()).toBuilder();
        if (id != null) {
            template.setId(id);
        }
        Template created = server.templates().createTemplate(
                CreateTemplateRequest.newBuilder().setTemplate(template).build());
        output.done(created, "template " + created.getId() + " created (version " + created.getVersion() + ')');
        return ExitCodes.OK;
    }
}
