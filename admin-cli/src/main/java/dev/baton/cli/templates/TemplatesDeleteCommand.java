package dev.baton.cli.templates;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.DeleteTemplateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl templates delete ID}. */
@Command(name = "delete", aliases = "rm",
        description = "Delete a template; jobs submitted from it keep their configuration.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl templates delete news-1080p")
public final class TemplatesDeleteCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The template's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        output.done(server.templates().deleteTemplate(DeleteTemplateRequest.newBuilder().setId(id).build()),
                    "template " + id + " deleted");
        return ExitCodes.OK;
    }
}
