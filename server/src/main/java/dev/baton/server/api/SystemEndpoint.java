package dev.baton.server.api;

import java.util.List;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.ComponentStatus;
import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ServerStatus;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.server.BatonVersion;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.fleet.AgentRecord;
import io.grpc.stub.StreamObserver;

/** SystemService: version, component health, counts by state. */
final class SystemEndpoint extends SystemServiceGrpc.SystemServiceImplBase {

    private final ControlPlane plane;
    private final HealthComponents health;
    private final long startedAtMillis;

    SystemEndpoint(ControlPlane plane, HealthComponents health, long startedAtMillis) {
        this.plane = plane;
        this.health = health;
        this.startedAtMillis = startedAtMillis;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<ServerStatus> observer) {
        Replies.onLoop(plane.loop(), observer, () -> {
            ServerStatus.Builder status = ServerStatus.newBuilder()
                    .setVersion(BatonVersion.VERSION)
                    .setStartedAt(Timestamps.fromMillis(startedAtMillis))
                    .setRevision(plane.hub().revision());
            List<ComponentStatus> components = health.components();
            status.addAllComponents(components);
            for (AgentRecord agent : plane.fleet().all()) {
                status.putAgentsByState(plane.fleet().stateOf(agent).name(),
                                        status.getAgentsByStateOrDefault(plane.fleet().stateOf(agent).name(), 0) + 1);
            }
            plane.jobBook().countsByStatus().forEach((s, n) -> {
                if (n > 0 && s != Job.Status.UNRECOGNIZED) {
                    status.putJobsByStatus(s.name(), n);
                }
            });
            return status.build();
        });
    }
}
