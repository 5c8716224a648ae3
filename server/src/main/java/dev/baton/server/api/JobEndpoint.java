package dev.baton.server.api;

import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.proto.v1.GetJobMetadataRequest;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.ListJobsResponse;
import dev.baton.proto.v1.MuteJobRequest;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.UnmuteJobRequest;
import dev.baton.proto.v1.UpdateJobMetadataRequest;
import dev.baton.server.control.ControlPlane;
import io.grpc.stub.StreamObserver;

/** JobService over gRPC, gRPC-Web and REST: validates nothing itself, the domain does. */
final class JobEndpoint extends JobServiceGrpc.JobServiceImplBase {

    private final ControlPlane plane;

    JobEndpoint(ControlPlane plane) {
        this.plane = plane;
    }

    @Override
    public void submitJob(SubmitJobRequest request, StreamObserver<SubmitJobResponse> observer) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        Replies.reply(plane.loop().callAsync(() -> plane.submission().submit(request)).thenApply(result -> {
            if (!result.replayed() && ctx != null) {
                RestCreatedStatus.markCreated(ctx);
            }
            return SubmitJobResponse.newBuilder().setJob(result.job()).setReplayed(result.replayed()).build();
        }), observer);
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
        Replies.onLoop(plane.loop(), observer, () -> withEndpoints(plane.queries().get(request.getId())));
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> observer) {
        Replies.onLoop(plane.loop(), observer, () -> {
            ListJobsResponse.Builder response = plane.queries().list(request).toBuilder();
            for (int i = 0; i < response.getJobsCount(); i++) {
                response.setJobs(i, withEndpoints(response.getJobs(i)));
            }
            return response.build();
        });
    }

    /** Where the job is served right now: derived on read, never stored (an engine's endpoints can change). */
    private Job withEndpoints(Job job) {
        var endpoints = plane.fleet().endpointsServing(job);
        return endpoints.isEmpty() ? job : job.toBuilder().clearEndpoints().addAllEndpoints(endpoints).build();
    }

    @Override
    public void stopJob(StopJobRequest request, StreamObserver<Job> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.lifecycle().stop(request.getId(), "stopped by user"));
    }

    @Override
    public void muteJob(MuteJobRequest request, StreamObserver<Job> observer) {
        Replies.onLoopAsync(plane.loop(), observer, () -> plane.lifecycle().mute(request.getId(), true));
    }

    @Override
    public void unmuteJob(UnmuteJobRequest request, StreamObserver<Job> observer) {
        Replies.onLoopAsync(plane.loop(), observer, () -> plane.lifecycle().mute(request.getId(), false));
    }

    @Override
    public void getJobMetadata(GetJobMetadataRequest request, StreamObserver<StreamMetadata> observer) {
        Replies.onLoop(plane.loop(), observer, () -> plane.queries().metadata(request.getId()));
    }

    @Override
    public void updateJobMetadata(UpdateJobMetadataRequest request, StreamObserver<StreamMetadata> observer) {
        Replies.onLoopAsync(plane.loop(), observer,
                            () -> plane.queries().updateMetadata(request.getId(), request.getMetadata()));
    }
}
