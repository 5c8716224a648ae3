package dev.baton.cli.templates;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetTemplateRequest;
import dev.baton.proto.v1.Template;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl templates get ID}. */
@Command(name = "get",
        description = "Show one template.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl templates get news-1080p",
                "  batonctl templates get news-1080p -o json > template.json"
        })
public final class TemplatesGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The template's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Template template = server.templates().getTemplate(GetTemplateRequest.newBuilder().setId(id).build());
        output.item(template, details -> TemplateViews.describe(template, details, output.now()));
        return ExitCodes.OK;
    }
}
