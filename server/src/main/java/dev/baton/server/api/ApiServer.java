package dev.baton.server.api;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import com.google.protobuf.Descriptors.FileDescriptor;

import dev.baton.proto.v1.AgentProto;
import dev.baton.proto.v1.EndpointsProto;
import dev.baton.proto.v1.EnginesProto;
import dev.baton.proto.v1.FleetProto;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.JobsProto;
import dev.baton.proto.v1.LogsProto;
import dev.baton.proto.v1.SystemProto;
import dev.baton.proto.v1.TemplatesProto;
import dev.baton.proto.v1.WatchProto;
import dev.baton.proto.v1.WebhooksProto;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.TlsConfig;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.ha.StandbyGate;
import dev.baton.server.security.AdminGate;
import dev.baton.server.security.MethodAccess;
import dev.baton.server.security.OpenEndpoint;
import dev.baton.server.security.Role;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.netty.handler.ssl.ClientAuth;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one Armeria port: gRPC, gRPC-Web, REST/JSON transcoding, DocService at /docs, /healthz,
 * Prometheus /metrics and the standard gRPC health service. Agent and watch streams are long-lived,
 * so there is no request timeout and no whole-request size limit; single messages are bounded.
 * Admin calls pass the {@link AdminGate} (see docs/security.md); agents and gRPC health do not.
 */
public final class ApiServer {

    private static final AtomicBoolean preparing = new AtomicBoolean();

    private ApiServer() {}

    /**
     * Starts, on threads of their own, the parts of building the API that are the same for every
     * server, so that they overlap with reading the configuration and opening the store instead of
     * following them (on two cores they took about half of {@link #build}):
     * <ul>
     *   <li>Armeria's JSON transcoding set-up: its default error handler generates JSON code for the
     *       error detail types in a class initializer that {@link #build} would otherwise run;
     *   <li>the protobuf descriptors of Baton's API files, and Armeria's server and DocService classes.
     * </ul>
     * {@link #build} then finds them done, or waits for the same initialization (never repeats it).
     * Only the first call starts the threads (the server's {@code main} calls it first thing, and
     * every {@code BatonServer} again).
     */
    public static void prepareInBackground() {
        if (!preparing.compareAndSet(false, true)) {
            return;
        }
        startDaemon("baton-json-setup", HttpJsonTranscodingOptions::of);
        startDaemon("baton-api-warmup", ApiServer::initializeApiClasses);
    }

    private static void initializeApiClasses() {
        for (FileDescriptor file : List.of(AgentProto.getDescriptor(), JobsProto.getDescriptor(),
                                           TemplatesProto.getDescriptor(), FleetProto.getDescriptor(),
                                           EnginesProto.getDescriptor(), WebhooksProto.getDescriptor(),
                                           WatchProto.getDescriptor(), LogsProto.getDescriptor(),
                                           SystemProto.getDescriptor(), EndpointsProto.getDescriptor())) {
            file.getServices(); // a file's descriptor is built and cross-linked when first asked for
        }
        Server.builder();
        DocService.builder();
    }

    private static void startDaemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * {@code standby} is the outermost interceptor: a server that does not lead refuses every Baton
     * call with the leader's address before the {@link AdminGate} looks at the caller (see
     * {@link StandbyGate} for why).
     */
    public static Server build(ControlPlane plane, PrometheusMeterRegistry registry, HealthComponents health,
                               HealthStatusManager grpcHealth, AdminGate gate, StandbyGate standby,
                               List<BindableService> extraServices,
                               java.util.function.Consumer<ServerBuilder> extraRoutes) {
        BatonConfig config = plane.config();
        int maxMessage = config.maxMessageBytes();
        List<BindableService> services = new ArrayList<>(List.of(
                new JobEndpoint(plane), new TemplateEndpoint(plane), new FleetEndpoint(plane), new RouteEndpoint(plane),
                new SystemEndpoint(plane, health, System.currentTimeMillis()), grpcHealth.getHealthService()));
        services.addAll(extraServices);
        List<ServerServiceDefinition> definitions = new ArrayList<>(List.of(agentService(plane)));
        services.forEach(service -> definitions.add(service.bindService()));
        BindableService reflection = ProtoReflectionServiceV1.newInstance();
        List<ServerServiceDefinition> classified = new ArrayList<>(definitions);
        classified.add(reflection.bindService());
        MethodAccess.requireClassified(classified);
        JsonMarshaller json = new JsonMarshaller();
        GrpcServiceBuilder grpc = GrpcService.builder()
                .addServiceDefinitions(definitions)
                // Added as a service, not a definition: only then does Armeria give reflection the
                // list of services it describes (a bare definition answers every request UNKNOWN).
                .addService(reflection)
                // grpc-java order: the last interceptor runs first, so the standby refusal precedes auth.
                .intercept(new AdminAuthInterceptor(gate, config.openEndpoints().contains(OpenEndpoint.REFLECTION)),
                           standby)
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                // One marshaller for every service, built once JSON is in use (see JsonMarshaller);
                // watch events arrive pre-encoded (WatchFrame) and are written as their shared JSON.
                .jsonMarshallerFactory(service -> new PreEncodedJsonMarshaller(json.of(service)))
                .enableUnframedRequests(true)
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE,
                                              HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD)
                        .errorHandler(new RestErrors()).build())
                .unframedGrpcErrorHandler(new RestErrors())
                .maxRequestMessageLength(maxMessage)
                .maxResponseMessageLength(16 * 1024 * 1024);

        ServerBuilder sb = listen(Server.builder(), config.tls(), config.port())
                .http2MaxStreamsPerConnection(config.maxStreamsPerConnection())
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(0)
                .idleTimeout(Duration.ofMinutes(5))
                .pingInterval(Duration.ofSeconds(30))
                // One system call for the flushes of one event-loop turn, not one per message.
                .childChannelPipelineCustomizer(pipeline -> pipeline.addFirst(new FlushCoalescer()))
                .gracefulShutdownTimeout(min(Duration.ofSeconds(1), config.shutdownGrace()), config.shutdownGrace())
                .service(grpc.build())
                .decorator(new JsonBodyValidator(List.of(
                        dev.baton.proto.v1.JobsProto.getDescriptor().findServiceByName("JobService"),
                        dev.baton.proto.v1.TemplatesProto.getDescriptor().findServiceByName("TemplateService"),
                        dev.baton.proto.v1.FleetProto.getDescriptor().findServiceByName("FleetService"),
                        dev.baton.proto.v1.EnginesProto.getDescriptor().findServiceByName("EngineService"),
                        dev.baton.proto.v1.WebhooksProto.getDescriptor().findServiceByName("WebhookService")), maxMessage))
                .decorator(Route.builder().exact("/v1/jobs").methods(HttpMethod.POST).build(),
                           new RestCreatedStatus())
                .service("/healthz", guarded(new HealthzService(health), OpenEndpoint.HEALTHZ, gate, config))
                // Readiness is a probe like /healthz: open or guarded with it.
                .service("/readyz", guarded(new ReadyzService(standby), OpenEndpoint.HEALTHZ, "GET /readyz", gate, config))
                .service("/metrics", guarded((ctx, req) -> HttpResponse.of(
                        MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()),
                        OpenEndpoint.METRICS, gate, config))
                .serviceUnder("/docs", guarded(DocService.builder()
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
                        .build(), OpenEndpoint.DOCS, gate, config));
        extraRoutes.accept(sb);
        return sb.build(); // every service has registered its JSON messages by now
    }

    /** {@code service}, needing a viewer token unless AUTH_OPEN_ENDPOINTS leaves {@code endpoint} open. */
    private static HttpService guarded(HttpService service, OpenEndpoint endpoint, AdminGate gate, BatonConfig config) {
        return guarded(service, endpoint, "GET /" + endpoint.label(), gate, config);
    }

    private static HttpService guarded(HttpService service, OpenEndpoint endpoint, String call, AdminGate gate,
                                       BatonConfig config) {
        if (config.openEndpoints().contains(endpoint)) {
            return service;
        }
        return service.decorate(AdminHttpGuard.of(gate, call, Role.VIEWER));
    }

    private static ServerServiceDefinition agentService(ControlPlane plane) {
        AgentEndpoint endpoint = new AgentEndpoint(plane);
        TlsConfig tls = plane.config().tls();
        if (tls == null || tls.agentClientCert() != TlsConfig.AgentClientCert.REQUIRED) {
            return endpoint.bindService();
        }
        return ServerInterceptors.intercept(endpoint, new AgentClientCertificates(tls.clientCas()));
    }

    /**
     * Plaintext (HTTP/1.1 and h2c), or with TLS_CERT_FILE HTTPS and h2 only: no plaintext listener is
     * left on the port. With TLS_CLIENT_CA_FILE the handshake asks for a client certificate without
     * requiring one, so admin clients connect without; agents are checked by {@link AgentClientCertificates}.
     */
    private static ServerBuilder listen(ServerBuilder sb, TlsConfig tls, int port) {
        if (tls == null) {
            return sb.http(port);
        }
        sb.https(port).tls(tls.key(), tls.chain());
        if (tls.asksForClientCertificates()) {
            X509Certificate[] cas = tls.clientCas().toArray(X509Certificate[]::new);
            sb.tlsCustomizer(ssl -> ssl.clientAuth(ClientAuth.OPTIONAL).trustManager(cas));
        }
        return sb;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static com.google.protobuf.Value str(String s) {
        return com.google.protobuf.Value.newBuilder().setStringValue(s).build();
    }
}
