package dev.baton.cli.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookAttempt;
import dev.baton.proto.v1.WebhookDelivery;

/** How subscriptions and deliveries look in tables and in {@code webhooks get}. */
final class WebhookViews {

    static String statuses(Webhook webhook) {
        return webhook.getStatusesList().stream().map(Names::of).collect(Collectors.joining(","));
    }

    static List<Column<Webhook>> columns(Instant now) {
        return List.of(
                Column.of("ID", Webhook::getId),
                Column.of("STATE", w -> Names.of(w.getState())),
                Column.of("STATUSES", WebhookViews::statuses),
                Column.of("PENDING", w -> String.valueOf(w.getPendingDeliveries())),
                Column.of("URL", Webhook::getUrl),
                Column.wide("SELECTOR", Webhook::getLabelSelector),
                Column.wide("TEMPLATE", Webhook::getTemplateId),
                Column.wide("LAST ERROR", Webhook::getLastError),
                Column.wide("UPDATED", w -> Times.age(w.getUpdatedAt(), now)));
    }

    static void describe(Webhook webhook, Details details, Instant now) {
        details.add("ID", webhook.getId())
               .always("URL", webhook.getUrl())
               .always("State", Names.of(webhook.getState()))
               .always("Statuses", statuses(webhook))
               .add("Selector", webhook.getLabelSelector())
               .add("Template", webhook.getTemplateId())
               .add("Description", webhook.getDescription())
               .always("Pending", String.valueOf(webhook.getPendingDeliveries()))
               .add("Failures in a row", webhook.getConsecutiveFailures() == 0 ? ""
                                                 : String.valueOf(webhook.getConsecutiveFailures()))
               .add("Last error", webhook.getLastError())
               .add("Created", Times.instantWithAge(webhook.getCreatedAt(), now))
               .add("Updated", Times.instantWithAge(webhook.getUpdatedAt(), now));
    }

    static List<Column<WebhookDelivery>> deliveryColumns(Instant now) {
        return List.of(
                Column.of("EVENT", WebhookDelivery::getEventType),
                Column.of("JOB", WebhookDelivery::getJobId),
                Column.of("STATE", d -> Names.of(d.getState())),
                Column.of("ATTEMPTS", d -> String.valueOf(d.getAttempts())),
                Column.of("CODE", d -> d.getLastStatusCode() == 0 ? "" : String.valueOf(d.getLastStatusCode())),
                Column.of("LATENCY", WebhookViews::lastLatency),
                Column.of("AGE", d -> Times.age(d.getCreatedAt(), now)),
                Column.of("ERROR", WebhookDelivery::getLastError),
                Column.wide("EVENT ID", WebhookDelivery::getEventId),
                Column.wide("NEXT ATTEMPT", d -> Times.isSet(d.getNextAttemptAt())
                                                 ? Times.instantWithAge(d.getNextAttemptAt(), now) : ""));
    }

    private static String lastLatency(WebhookDelivery delivery) {
        int n = delivery.getAttemptHistoryCount();
        if (n == 0) {
            return "";
        }
        WebhookAttempt last = delivery.getAttemptHistory(n - 1);
        return last.getLatencyMs() + "ms";
    }

    private WebhookViews() {}
}
