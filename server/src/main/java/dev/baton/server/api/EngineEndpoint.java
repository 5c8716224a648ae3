package dev.baton.server.api;

import com.google.protobuf.Empty;

import dev.baton.proto.v1.CordonHostRequest;
import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.DeleteHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.DrainHostRequest;
import dev.baton.proto.v1.DeletePoolRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EngineServiceGrpc;
import dev.baton.proto.v1.GetEngineRequest;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.ListEnginesResponse;
import dev.baton.proto.v1.ListHostsRequest;
import dev.baton.proto.v1.ListHostsResponse;
import dev.baton.proto.v1.ListPoolsRequest;
import dev.baton.proto.v1.ListPoolsResponse;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.proto.v1.UncordonHostRequest;
import dev.baton.proto.v1.UpdateHostRequest;
import dev.baton.proto.v1.UpdatePoolRequest;
import dev.baton.server.engines.EnginePools;
import io.grpc.stub.StreamObserver;

/** EngineService over gRPC and REST ({@code /v1/engines}, {@code /v1/pools}, {@code /v1/hosts}). */
public final class EngineEndpoint extends EngineServiceGrpc.EngineServiceImplBase {

    private final EnginePools engines;

    public EngineEndpoint(EnginePools engines) {
        this.engines = engines;
    }

    @Override
    public void listEngines(ListEnginesRequest request, StreamObserver<ListEnginesResponse> observer) {
        Replies.reply(engines.listEngines(request), observer);
    }

    @Override
    public void getEngine(GetEngineRequest request, StreamObserver<Engine> observer) {
        Replies.reply(engines.getEngine(request.getId()), observer);
    }

    @Override
    public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
        Replies.reply(engines.listPools(), observer);
    }

    @Override
    public void getPool(GetPoolRequest request, StreamObserver<Pool> observer) {
        Replies.reply(engines.getPool(request.getName()), observer);
    }

    @Override
    public void createPool(CreatePoolRequest request, StreamObserver<Pool> observer) {
        Replies.reply(engines.createPool(request), observer);
    }

    @Override
    public void updatePool(UpdatePoolRequest request, StreamObserver<Pool> observer) {
        Replies.reply(engines.updatePool(request), observer);
    }

    @Override
    public void deletePool(DeletePoolRequest request, StreamObserver<Empty> observer) {
        Replies.reply(engines.deletePool(request.getName()), observer);
    }

    @Override
    public void scalePool(ScalePoolRequest request, StreamObserver<Pool> observer) {
        Replies.reply(engines.scalePool(request), observer);
    }

    @Override
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> observer) {
        Replies.reply(engines.listHosts(), observer);
    }

    @Override
    public void getHost(GetHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.getHost(request.getName()), observer);
    }

    @Override
    public void createHost(CreateHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.createHost(request), observer);
    }

    @Override
    public void updateHost(UpdateHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.updateHost(request), observer);
    }

    @Override
    public void deleteHost(DeleteHostRequest request, StreamObserver<Empty> observer) {
        Replies.reply(engines.deleteHost(request.getName()), observer);
    }

    @Override
    public void cordonHost(CordonHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.setHostState(request.getName(), DockerHost.State.CORDONED), observer);
    }

    @Override
    public void uncordonHost(UncordonHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.setHostState(request.getName(), DockerHost.State.ENABLED), observer);
    }

    @Override
    public void drainHost(DrainHostRequest request, StreamObserver<DockerHost> observer) {
        Replies.reply(engines.setHostState(request.getName(), DockerHost.State.DRAINING), observer);
    }
}
