package dev.baton.server.api;

import java.time.Duration;
import java.util.List;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.control.ControlPlane;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one Armeria port: gRPC, gRPC-Web, REST/JSON transcoding, DocService at /docs, /healthz,
 * Prometheus /metrics and the standard gRPC health service. Agent and watch streams are long-lived,
 * so there is no request timeout and no whole-request size limit; single messages are bounded.
 */
public final class ApiServer {

    private ApiServer() {}

    public static Server build(ControlPlane plane, PrometheusMeterRegistry registry, HealthComponents health,
                               HealthStatusManager grpcHealth, List<BindableService> extraServices,
                               java.util.function.Consumer<ServerBuilder> extraRoutes) {
        return build(plane, registry, health, grpcHealth, extraServices, extraRoutes, List.of());
    }

    /** As above, with {@code interceptors} around every gRPC service (e.g. the standby gate). */
    public static Server build(ControlPlane plane, PrometheusMeterRegistry registry, HealthComponents health,
                               HealthStatusManager grpcHealth, List<BindableService> extraServices,
                               java.util.function.Consumer<ServerBuilder> extraRoutes,
                               List<io.grpc.ServerInterceptor> interceptors) {
        int maxMessage = plane.config().maxMessageBytes();
        GrpcServiceBuilder grpc = GrpcService.builder()
                .addService(new AgentEndpoint(plane))
                .addService(new JobEndpoint(plane))
                .addService(new TemplateEndpoint(plane))
                .addService(new FleetEndpoint(plane))
                .addService(new SystemEndpoint(plane, health, System.currentTimeMillis()))
                .addService(grpcHealth.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                // REST and gRPC-Web JSON show every field, zero values included, so clients see a
                // stable shape ("attempt": 0, "drain": false) instead of missing keys.
                .jsonMarshallerFactory(service -> GrpcJsonMarshaller.builder()
                        .jsonMarshallerCustomizer(json -> json.includingDefaultValueFields(true))
                        .build(service))
                .enableUnframedRequests(true)
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE,
                                              HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD)
                        .errorHandler(new RestErrors()).build())
                .unframedGrpcErrorHandler(new RestErrors())
                .maxRequestMessageLength(maxMessage)
                .maxResponseMessageLength(16 * 1024 * 1024);
        extraServices.forEach(grpc::addService);
        interceptors.forEach(grpc::intercept);

        ServerBuilder sb = Server.builder()
                .http(plane.config().port())
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(0)
                .idleTimeout(Duration.ofMinutes(5))
                .pingInterval(Duration.ofSeconds(30))
                .gracefulShutdownTimeout(min(Duration.ofSeconds(1), plane.config().shutdownGrace()),
                                         plane.config().shutdownGrace())
                .service(grpc.build())
                .decorator(new JsonBodyValidator(List.of(
                        dev.baton.proto.v1.JobsProto.getDescriptor().findServiceByName("JobService"),
                        dev.baton.proto.v1.TemplatesProto.getDescriptor().findServiceByName("TemplateService"),
                        dev.baton.proto.v1.FleetProto.getDescriptor().findServiceByName("FleetService"),
                        dev.baton.proto.v1.EnginesProto.getDescriptor().findServiceByName("EngineService")), maxMessage))
                .decorator(Route.builder().exact("/v1/jobs").methods(HttpMethod.POST).build(),
                           new RestCreatedStatus())
                .service("/healthz", new HealthzService(health))
                .service("/metrics", (ctx, req) -> HttpResponse.of(
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()))
                .serviceUnder("/docs", DocService.builder()
                        .exampleRequests(JobServiceGrpc.SERVICE_NAME, "SubmitJob", List.of(
                                SubmitJobRequest.newBuilder()
                                        .setInlineConfig(com.google.protobuf.Struct.newBuilder().putFields(
                                                "command", com.google.protobuf.Value.newBuilder().setListValue(
                                                        com.google.protobuf.ListValue.newBuilder()
                                                                .addValues(str("sleep")).addValues(str("30"))).build()))
                                        .setIdempotencyKey("example-1")
                                        .setRestartPolicy("onFailure")
                                        .setRequirements(JobRequirements.newBuilder().putLabels("zone", "a"))
                                        .build()))
                        .build());
        extraRoutes.accept(sb);
        return sb.build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static com.google.protobuf.Value str(String s) {
        return com.google.protobuf.Value.newBuilder().setStringValue(s).build();
    }
}
