package dev.baton.cli.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.input.JsonInput;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Webhook;
import picocli.CommandLine.Option;

/** The options that set a subscription's fields, shared by create and update. */
final class WebhookOptions {

    private static final String STATUSES = Stream.of(Job.Status.values())
            .filter(s -> s != Job.Status.STATUS_UNSPECIFIED && s != Job.Status.UNRECOGNIZED)
            .map(Enum::name).collect(Collectors.joining(", "));

    @Option(names = "--url", paramLabel = "URL",
            description = "Where events are POSTed (http or https, on a host of the server's WEBHOOK_ALLOWED_HOSTS).")
    String url;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Job status that fires an event (repeatable or comma-separated), e.g. FAILED,STOPPED.")
    List<String> statuses;

    @Option(names = "--selector", paramLabel = "K=V,...", description = "Only jobs with these labels.")
    String selector;

    @Option(names = "--template", paramLabel = "ID", description = "Only jobs submitted from this template.")
    String template;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text for operators.")
    String description;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "File holding the HMAC secret (16 to 256 characters; '-' reads standard input). "
                          + "Never given on the command line, where ps and shell history would show it.")
    String secretFile;

    boolean given() {
        return url != null || statuses != null || selector != null || template != null || description != null
               || secretFile != null;
    }

    /** {@code base} with every given option applied; the secret is read from its file. */
    Webhook.Builder applyTo(Webhook base, JsonInput input) {
        Webhook.Builder webhook = base.toBuilder();
        if (url != null) {
            webhook.setUrl(url);
        }
        if (statuses != null) {
            webhook.clearStatuses().addAllStatuses(parseStatuses(statuses));
        }
        if (selector != null) {
            webhook.setLabelSelector(selector);
        }
        if (template != null) {
            webhook.setTemplateId(template);
        }
        if (description != null) {
            webhook.setDescription(description);
        }
        if (secretFile != null) {
            webhook.setSecret(input.read("--secret-file", secretFile).strip());
        }
        return webhook;
    }

    private static List<Job.Status> parseStatuses(List<String> names) {
        List<Job.Status> result = new ArrayList<>();
        for (String name : names) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            try {
                Job.Status status = Job.Status.valueOf(upper);
                if (status != Job.Status.STATUS_UNSPECIFIED && status != Job.Status.UNRECOGNIZED) {
                    result.add(status);
                    continue;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw new InvalidInputException("--status: '" + name + "' is not a job status (expected: one of "
                                            + STATUSES + ")");
        }
        return result;
    }
}
