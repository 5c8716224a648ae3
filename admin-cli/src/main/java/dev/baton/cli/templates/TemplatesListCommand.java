package dev.baton.cli.templates;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.PageOptions;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListTemplatesRequest;
import dev.baton.proto.v1.ListTemplatesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code batonctl templates list}. */
@Command(name = "list", aliases = "ls",
        description = "List templates, sorted by id.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl templates list",
                "  batonctl templates list -o wide"
        })
public final class TemplatesListCommand extends BatonCommand {

    @Mixin
    private PageOptions page;

    @Override
    protected int run(ServerConnection server, Output output) {
        ListTemplatesResponse response = server.templates().listTemplates(
                ListTemplatesRequest.newBuilder().setPageSize(page.limit()).setPageToken(page.pageToken()).build());
        output.list(response, response.getTemplatesList(), TemplateViews.columns(output.now()),
                    "No templates found.");
        if (!output.json() && !response.getNextPageToken().isEmpty()) {
            output.note("More templates: --page-token " + response.getNextPageToken());
        }
        return ExitCodes.OK;
    }
}
