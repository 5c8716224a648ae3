package dev.baton.server.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.error.ErrorMapping;
import dev.baton.server.watch.WatchFrame;
import dev.baton.server.watch.WatchStream;
import dev.baton.server.watch.WatchStreams;
import dev.baton.server.watch.WatchTransport;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * WatchService over gRPC and gRPC-Web. Sends only while the call is ready: Armeria queues
 * outbound messages without bound, so writing whenever an event arrives would let a slow client
 * grow the server's memory; instead events wait in the watcher's bounded queue.
 *
 * <p>Bound by hand instead of through the generated base class: the responses are
 * {@link EncodedWatchEvent}s, whose bytes are encoded once per event and shared by every stream (see
 * {@link WatchFrameMarshaller}); the method's name and schema stay those of the generated service.
 */
public final class WatchEndpoint implements BindableService {

    private final WatchStreams streams;

    public WatchEndpoint(WatchStreams streams) {
        this.streams = streams;
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServiceDescriptor generated = WatchServiceGrpc.getServiceDescriptor();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
                                                     .setSchemaDescriptor(generated.getSchemaDescriptor())
                                                     .addMethod(WatchFrameMarshaller.WATCH_METHOD)
                                                     .build();
        return ServerServiceDefinition.builder(service)
                                      .addMethod(WatchFrameMarshaller.WATCH_METHOD,
                                                 ServerCalls.asyncServerStreamingCall(this::watch))
                                      .build();
    }

    private void watch(WatchRequest request, StreamObserver<Message> observer) {
        ServerCallStreamObserver<Message> call = (ServerCallStreamObserver<Message>) observer;
        ServiceRequestContext ctx = ServiceRequestContext.current();
        // A watch lives as long as the client wants it: no timeout from the server's defaults.
        ctx.clearRequestTimeout();
        WatchStream stream;
        try {
            stream = streams.open(request, "grpc", new GrpcTransport(call), ctx.eventLoop());
        } catch (RuntimeException e) {
            call.onError(ErrorMapping.toException(e));
            return;
        }
        call.setOnReadyHandler(stream::wake);
        call.setOnCancelHandler(stream::cancelled);
    }

    private static final class GrpcTransport implements WatchTransport {

        private final ServerCallStreamObserver<Message> call;

        GrpcTransport(ServerCallStreamObserver<Message> call) {
            this.call = call;
        }

        @Override
        public boolean isReady() {
            return call.isReady() && !call.isCancelled();
        }

        @Override
        public void send(WatchFrame frame) {
            call.onNext(new EncodedWatchEvent(frame));
        }

        @Override
        public void fellBehind(String message) {
            call.onError(Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException());
        }

        @Override
        public void serverStopping(String message) {
            call.onError(Status.UNAVAILABLE.withDescription(message).asRuntimeException());
        }
    }
}
