package dev.baton.server.api;

import dev.baton.proto.v1.GetJobEndpointRequest;
import dev.baton.proto.v1.JobRoute;
import dev.baton.proto.v1.RouteServiceGrpc;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.fleet.JobRoutes;
import io.grpc.stub.StreamObserver;

/** RouteService over gRPC and REST ({@code GET /v1/jobs/{id}/endpoint}). */
final class RouteEndpoint extends RouteServiceGrpc.RouteServiceImplBase {

    private final ControlPlane plane;

    RouteEndpoint(ControlPlane plane) {
        this.plane = plane;
    }

    @Override
    public void getJobEndpoint(GetJobEndpointRequest request, StreamObserver<JobRoute> observer) {
        Replies.onLoop(plane.loop(), observer, () -> JobRoutes.route(plane.fleet(), plane.queries().get(request.getId()),
                                                                     request.getName()));
    }
}
