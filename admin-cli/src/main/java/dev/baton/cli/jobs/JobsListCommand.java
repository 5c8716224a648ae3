package dev.baton.cli.jobs;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.PageOptions;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.ListJobsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code batonctl jobs list}. */
@Command(name = "list", aliases = "ls",
        description = "List jobs, oldest first.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs list",
                "  batonctl jobs list --status running --status pending",
                "  batonctl jobs list --agent agent-1 -o wide",
                "  batonctl jobs list -l team=video -o json | jq -r '.jobs[] | [.id, .status] | @tsv'"
        })
public final class JobsListCommand extends BatonCommand {

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only jobs in this status (repeatable): CREATED, PENDING, ASSIGNED, ACCEPTED, STARTING, "
                          + "RUNNING, STOPPING, STOPPED, FAILED, CANCELED, UNKNOWN.")
    private List<Job.Status> statuses;

    @Option(names = "--agent", paramLabel = "ID", description = "Only jobs on this agent.")
    private String agentId;

    @Option(names = "--template", paramLabel = "ID", description = "Only jobs from this template.")
    private String templateId;

    @Option(names = {"-l", "--selector"}, paramLabel = "LABELS",
            description = "Only jobs whose labels match, e.g. team=video,tier=gold.")
    private String selector;

    @Mixin
    private PageOptions page;

    @Override
    protected int run(ServerConnection server, Output output) {
        ListJobsRequest.Builder request = ListJobsRequest.newBuilder()
                                                         .setPageSize(page.limit())
                                                         .setPageToken(page.pageToken());
        if (statuses != null) {
            request.addAllStatus(statuses);
        }
        if (agentId != null) {
            request.setAgentId(agentId);
        }
        if (templateId != null) {
            request.setTemplateId(templateId);
        }
        if (selector != null) {
            request.setLabelSelector(selector);
        }
        ListJobsResponse response = server.jobs().listJobs(request.build());
        output.list(response, response.getJobsList(), JobViews.columns(output.now()), "No jobs found.");
        if (!output.json() && !response.getNextPageToken().isEmpty()) {
            output.note("More jobs: --page-token " + response.getNextPageToken());
        }
        return ExitCodes.OK;
    }
}
