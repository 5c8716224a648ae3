package dev.baton.cli.jobs;

import java.time.Duration;
import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.ConfigOptions;
import dev.baton.cli.input.DurationConverter;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.input.KeyValues;
import dev.baton.cli.input.RequirementOptions;
import dev.baton.cli.input.RestartPolicyConverter;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.UnavailablePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code batonctl jobs submit}. */
@Command(name = "submit",
        description = {
                "Submit a job from a template (--template) or an inline configuration (--config and/or --set).",
                "With --wait, follow the job until it is RUNNING or has ended; status changes go to stderr."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs submit --template news-1080p",
                "  batonctl jobs submit --set source=rtmp://cam1/live --set fps=30 --require gpu=true --wait",
                "  batonctl jobs submit --config job.json --idempotency-key nightly-2026-11-27",
                "  echo '{\"source\": \"rtmp://cam1\"}' | batonctl jobs submit --config - --fail-fast -o json",
                "",
                "Exit codes with --wait: 0 when the job is RUNNING (or ended STOPPED), 1 when it ended FAILED or",
                "CANCELED, 5 when --wait-timeout ran out first."
        })
public final class JobsSubmitCommand extends BatonCommand {

    @Option(names = "--template", paramLabel = "ID", description = "Submit from this stored template.")
    private String templateId;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submitting again with the same key and request returns the existing job.")
    private String idempotencyKey;

    @Option(names = "--restart-policy", paramLabel = "POLICY",
            completionCandidates = RestartPolicyConverter.Names.class,
            description = "never, onFailure or always (default: the template's, else never).")
    private String restartPolicy;

    @Mixin
    private RequirementOptions requirements;

    @Option(names = "--priority", paramLabel = "N", description = "0..1000, higher runs first (default 0).")
    private int priority;

    @Option(names = "--fail-fast",
            description = "Refuse the job (exit 4) if nothing can run it now, instead of letting it wait PENDING.")
    private boolean failFast;

    @Option(names = "--pending-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A PENDING job fails after this long (default: the server's; 0: wait forever).")
    private Duration pendingTimeout;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts allowed in all (default: the server's).")
    private int maxAttempts;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label of the job itself (repeatable).")
    private List<String> labels;

    @Option(names = "--wait", description = "Wait until the job is RUNNING or has ended, printing status changes.")
    private boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m", description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    private Duration waitTimeout;

    @Override
    protected void validate() {
        if (templateId != null && config.given()) {
            throw new InvalidInputException("--template cannot be combined with --config or --set: "
                                            + "a job comes from a template or from an inline configuration");
        }
        if (templateId == null && !config.given()) {
            throw new InvalidInputException("nothing to run: give --template ID, or --config FILE|- and/or "
                                            + "--set key=value");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        SubmitJobResponse response = server.jobs().submitJob(request());
        Job job = response.getJob();
        if (!await) {
            output.done(response, submittedLine(response));
            return ExitCodes.OK;
        }
        if (!output.json()) {
            output.done(response, submittedLine(response));
        }
        Job last = new JobWaiter(server, waitTimeout, changed -> output.note(JobViews.transition(changed)))
                .await(job, output.json());
        if (output.json()) {
            output.printJson(response.toBuilder().setJob(last));
        }
        if (last.getStatus() == Job.Status.FAILED || last.getStatus() == Job.Status.CANCELED) {
            String reason = JobViews.reason(last);
            output.note("error: job " + last.getId() + " ended " + Names.of(last.getStatus())
                        + (reason.isEmpty() ? "" : ": " + reason));
            return ExitCodes.SERVER_ERROR;
        }
        return ExitCodes.OK;
    }

    private SubmitJobRequest request() {
        SubmitJobRequest.Builder request = SubmitJobRequest.newBuilder();
        if (templateId != null) {
            request.setTemplateId(templateId);
        } else {
            request.setInlineConfig(config.toStruct(jsonInput()));
        }
        if (idempotencyKey != null) {
            request.setIdempotencyKey(idempotencyKey);
        }
        if (restartPolicy != null) {
            request.setRestartPolicy(restartPolicy);
        }
        if (requirements.given()) {
            request.setRequirements(requirements.applyTo(JobRequirements.getDefaultInstance()));
        }
        if (failFast) {
            request.setOnUnavailable(UnavailablePolicy.UNAVAILABLE_POLICY_FAIL_FAST);
        }
        if (pendingTimeout != null) {
            request.setWaitTimeout(Times.toProto(pendingTimeout));
        }
        return request.setPriority(priority)
                      .setMaxAttempts(maxAttempts)
                      .putAllLabels(KeyValues.parse("--label", labels))
                      .build();
    }

    private static String submittedLine(SubmitJobResponse response) {
        Job job = response.getJob();
        String status = Names.of(job.getStatus());
        String reason = JobViews.reason(job);
        return "job " + job.getId() + (response.getReplayed() ? " already submitted with this idempotency key ("
                                                              : " submitted (")
               + status + (reason.isEmpty() ? "" : ": " + reason) + ')';
    }
}
