package dev.baton.cli.jobs;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Column;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.GetJobEndpointRequest;
import dev.baton.proto.v1.JobRoute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs endpoint ID}: where to connect to a running job. */
@Command(name = "endpoint",
        description = "Show where a running job is served: its agent, engine and endpoints "
                      + "(exit 4 when it runs nowhere).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs endpoint 01JD3ZQ6",
                "  curl \"$(batonctl jobs endpoint 01JD3ZQ6 --name http --url)/status\""
        })
public final class JobsEndpointCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this named endpoint (e.g. http).")
    private String name = "";

    @Option(names = "--url", description = "Print only the URL (the named endpoint's, else the first one's).")
    private boolean urlOnly;

    @Override
    protected int run(ServerConnection server, Output output) {
        JobRoute route = server.routes().getJobEndpoint(
                GetJobEndpointRequest.newBuilder().setId(id).setName(name).build());
        if (urlOnly) {
            output.done(route, route.getUrl());
            return ExitCodes.OK;
        }
        output.item(route, details -> details
                .add("Job", route.getJobId())
                .add("Agent", route.getAgentId())
                .add("Engine", route.getEngineId())
                .add("URL", route.getUrl())
                .section("Endpoints", columns(), route.getEndpointsList()));
        return ExitCodes.OK;
    }

    private static List<Column<Endpoint>> columns() {
        return List.of(Column.of("NAME", Endpoint::getName),
                       Column.of("URL", Endpoint::getUrl),
                       Column.of("HEALTH", e -> Names.of(e.getHealth())));
    }
}
