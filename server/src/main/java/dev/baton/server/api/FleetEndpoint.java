package dev.baton.server.api;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.ListAgentsResponse;
import dev.baton.server.control.ControlPlane;
import io.grpc.stub.StreamObserver;

/** FleetService over gRPC and REST. */
final class FleetEndpoint extends FleetServiceGrpc.FleetServiceImplBase {

    private final ControlPlane plane;

    FleetEndpoint(ControlPlane plane) {
        this.plane = plane;
    }

    @Override
    public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.fleetOperations().list(request));
    }

    @Override
    public void getAgent(GetAgentRequest request, StreamObserver<Agent> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.fleetOperations().get(request.getId()));
    }

    @Override
    public void drainAgent(DrainAgentRequest request, StreamObserver<Agent> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.fleetOperations().drain(request));
    }
}
