package dev.baton.server.api;

import com.google.protobuf.Empty;

import dev.baton.proto.v1.CreateWebhookRequest;
import dev.baton.proto.v1.DeleteWebhookRequest;
import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.ListWebhookDeliveriesRequest;
import dev.baton.proto.v1.ListWebhookDeliveriesResponse;
import dev.baton.proto.v1.ListWebhooksRequest;
import dev.baton.proto.v1.ListWebhooksResponse;
import dev.baton.proto.v1.SendTestEventRequest;
import dev.baton.proto.v1.UpdateWebhookRequest;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.proto.v1.WebhookServiceGrpc;
import dev.baton.server.webhooks.Webhooks;
import io.grpc.stub.StreamObserver;

/** WebhookService over gRPC and REST ({@code /v1/webhooks}); every call runs on the webhook loop. */
public final class WebhookEndpoint extends WebhookServiceGrpc.WebhookServiceImplBase {

    private final Webhooks webhooks;

    public WebhookEndpoint(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void createWebhook(CreateWebhookRequest request, StreamObserver<Webhook> observer) {
        Replies.onLoopAsync(webhooks.loop(), observer, () -> webhooks.create(request.getWebhook()));
    }

    @Override
    public void getWebhook(GetWebhookRequest request, StreamObserver<Webhook> observer) {
        Replies.onLoop(webhooks.loop(), observer, () -> webhooks.get(request.getId()));
    }

    @Override
    public void listWebhooks(ListWebhooksRequest request, StreamObserver<ListWebhooksResponse> observer) {
        Replies.onLoop(webhooks.loop(), observer, webhooks::list);
    }

    @Override
    public void updateWebhook(UpdateWebhookRequest request, StreamObserver<Webhook> observer) {
        Replies.onLoopAsync(webhooks.loop(), observer, () -> webhooks.update(request.getId(), request.getWebhook()));
    }

    @Override
    public void deleteWebhook(DeleteWebhookRequest request, StreamObserver<Empty> observer) {
        Replies.onLoopAsync(webhooks.loop(), observer,
                            () -> webhooks.delete(request.getId()).thenApply(v -> Empty.getDefaultInstance()));
    }

    @Override
    public void listWebhookDeliveries(ListWebhookDeliveriesRequest request,
                                      StreamObserver<ListWebhookDeliveriesResponse> observer) {
        Replies.onLoop(webhooks.loop(), observer, () -> webhooks.deliveries(request.getId(), request.getPageSize()));
    }

    @Override
    public void sendTestEvent(SendTestEventRequest request, StreamObserver<WebhookDelivery> observer) {
        Replies.onLoop(webhooks.loop(), observer, () -> webhooks.sendTest(request.getId()));
    }
}
