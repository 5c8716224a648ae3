package dev.baton.server.api;

import com.google.protobuf.Empty;

import dev.baton.proto.v1.CreateTemplateRequest;
import dev.baton.proto.v1.DeleteTemplateRequest;
import dev.baton.proto.v1.GetTemplateRequest;
import dev.baton.proto.v1.ListTemplatesRequest;
import dev.baton.proto.v1.ListTemplatesResponse;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.TemplateServiceGrpc;
import dev.baton.proto.v1.UpdateTemplateRequest;
import dev.baton.server.control.ControlPlane;
import io.grpc.stub.StreamObserver;

/** TemplateService over gRPC and REST. */
final class TemplateEndpoint extends TemplateServiceGrpc.TemplateServiceImplBase {

    private final ControlPlane plane;

    TemplateEndpoint(ControlPlane plane) {
        this.plane = plane;
    }

    @Override
    public void createTemplate(CreateTemplateRequest request, StreamObserver<Template> observer) {
        Replies.onLoopAsync(plane.loop(), observer, () -> plane.templates().create(request.getTemplate()));
    }

    @Override
    public void getTemplate(GetTemplateRequest request, StreamObserver<Template> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.templates().get(request.getId()));
    }

    @Override
    public void listTemplates(ListTemplatesRequest request, StreamObserver<ListTemplatesResponse> observer) {
        Replies.onLoop(plane.loop(), observer,
                       () -> plane.templates().list(request.getPageSize(), request.getPageToken()));
    }

    @Override
    public void updateTemplate(UpdateTemplateRequest request, StreamObserver<Template> observer) {
        Replies.onLoopAsync(plane.loop(), observer,
                            () -> plane.templates().update(request.getId(), request.getTemplate()));
    }

    @Override
    public void deleteTemplate(DeleteTemplateRequest request, StreamObserver<Empty> observer) {
        Replies.onLoopAsync(plane.loop(), observer,
                            () -> plane.templates().delete(request.getId()).thenApply(v -> Empty.getDefaultInstance()));
    }
}
