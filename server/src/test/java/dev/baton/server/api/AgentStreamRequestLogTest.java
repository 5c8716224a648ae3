package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;

import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * The agent stream's request log does not keep the Hello (and its token) for the life of the
 * session: the endpoint is served by a real Armeria server whose decorator captures the stream's
 * context, so the test reads the log Armeria would otherwise fill.
 */
class AgentStreamRequestLogTest {

    @Test
    void theHelloIsNotKeptInTheStreamsRequestLog() throws Exception {
        CompletableFuture<ServiceRequestContext> stream = new CompletableFuture<>();
        try (TestBaton baton = TestBaton.start()) {
            Server server = Server.builder().http(0).requestTimeoutMillis(0)
                    .service(GrpcService.builder().addService(new AgentEndpoint(baton.server().controlPlane())).build())
                    .decorator((delegate, ctx, req) -> {
                        stream.complete(ctx);
                        return delegate.serve(ctx, req);
                    })
                    .build();
            server.start().join();
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.activeLocalPort())
                                                          .usePlaintext().build();
            try (SimulatedAgent agent = SimulatedAgent.connect(channel, TestBaton.TOKEN, "a1", 1, Map.of())) {
                assertThat(agent.welcome().getSessionId()).isNotEmpty();
                ServiceRequestContext ctx = stream.get(10, TimeUnit.SECONDS);

                assertThat(ctx.log().isAvailable(RequestLogProperty.REQUEST_CONTENT)).isTrue();
                assertThat(ctx.log().partial().requestContent()).isNull();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.stop().join();
            }
        }
    }
}
